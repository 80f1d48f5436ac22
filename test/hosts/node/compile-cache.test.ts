import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ModuleSource, moduleSourceRecordOf } from '../../../src/api/module-source.js';
import { createCompileCache } from '../../../src/hosts/node/compile-cache.js';
import { createNodeHost } from '../../../src/hosts/node/host.js';
import { RUNNING_NODE } from '../../../src/hosts/node/node-release.js';

const URL_A = 'file:///app/a.js';
const TEXT_A = 'export const a = 1;\nexport function f() { return a + 1; }\n';

function withDir(body: (dir: string) => void | Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modhost-cc-'));
    try {
      await body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** The code a host evaluates for a source (what the cache's evaluate() receives). */
function codeOf(source: ModuleSource): string {
  return moduleSourceRecordOf(source, 'test').compiled.code;
}

/**
 * Where a pack file's compiled code and code caches start, and the header's entries (the layout
 * compile-cache.ts documents).
 */
function packLayout(bytes: Buffer): {
  code: number;
  caches: number;
  entries: Array<{ codeStart: number; codeLength: number; cacheStart?: number; cacheLength?: number }>;
  functions: Array<{ cacheStart?: number; cacheLength?: number }>;
} {
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', HEADER_AT, HEADER_AT + headerLength));
  const code = HEADER_AT + headerLength;
  return { code, caches: code + header.codeLength, entries: header.entries, functions: header.functions };
}

/** "MHPK", format, header length, then the header's SHA-256: where the header JSON starts. */
const HEADER_AT = 12 + 32;

/** A copy of the pack `bytes` whose header is `edit`ed, with the header's hash made to match. */
function withHeader(bytes: Buffer, edit: (header: Record<string, unknown>) => void): Buffer {
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', HEADER_AT, HEADER_AT + headerLength));
  edit(header);
  const newHeader = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.from(bytes.subarray(0, HEADER_AT));
  prefix.writeUInt32LE(newHeader.length, 8);
  createHash('sha256').update(newHeader).digest().copy(prefix, 12);
  return Buffer.concat([prefix, newHeader, bytes.subarray(HEADER_AT + headerLength)]);
}

/** The bytes of the one pack under `dir`. */
function packBytes(dir: string): Buffer {
  const packDir = createCompileCache({ dir }).dir;
  return readFileSync(join(packDir, readdirSync(packDir)[0]!));
}

/**
 * A second run over a filled cache, the way a host does it: get (hit), evaluate (V8 compiles
 * without a code cache, so this run's flush stores one); then flushes.
 */
function addCodeCache(dir: string, name: string, text = TEXT_A, url = URL_A): void {
  const cache = createCompileCache({ dir, name });
  const source = cache.get(text, url);
  assert.ok(source instanceof ModuleSource);
  cache.evaluate(codeOf(source), url);
  assert.deepEqual(cache.stats, { records: 1, codeCaches: 0 });
  cache.flush();
}

/**
 * Fills the pack 'app' under `dir` with TEXT_A and its V8 code cache, then flips bytes of that
 * code cache: the first, and every `step`-th after it.
 */
function damageCodeCache(dir: string, step: number): void {
  fill(dir, 'app');
  addCodeCache(dir, 'app');
  const packDir = createCompileCache({ dir }).dir;
  const pack = join(packDir, readdirSync(packDir)[0]!);
  const bytes = Buffer.from(readFileSync(pack));
  const { caches, entries } = packLayout(bytes);
  const { cacheStart, cacheLength } = entries[0]!;
  assert.ok(cacheStart !== undefined && cacheLength !== undefined && cacheLength > 0);
  const from = caches + cacheStart;
  for (let i = from; i < from + cacheLength; i += step) bytes[i] = bytes[i]! ^ 0xff;
  writeFileSync(pack, bytes);
}

/** Fills a cache the way a host does: get (miss), construct, set, evaluate; then flushes. */
function fill(dir: string, name: string, text = TEXT_A, url = URL_A): void {
  const cache = createCompileCache({ dir, name });
  assert.equal(cache.get(text, url), undefined);
  const source = new ModuleSource(text, { url });
  cache.set(text, url, source);
  cache.evaluate(codeOf(source), url);
  cache.flush();
}

/**
 * Runs module code in a child Node with `createCompileCache` and `ModuleSource` in scope; resolves
 * to its exit code.
 */
function runChild(body: string, flags: string[] = []): Promise<number | null> {
  const moduleUrl = new URL('../../../src/hosts/node/compile-cache.js', import.meta.url).href;
  const sourceUrl = new URL('../../../src/api/module-source.js', import.meta.url).href;
  const code = `const { createCompileCache } = await import(${JSON.stringify(moduleUrl)});
    const { ModuleSource } = await import(${JSON.stringify(sourceUrl)});
    ${body}`;
  return new Promise((resolve) => {
    spawn(process.execPath, [...flags, '--input-type=module', '-e', code], { stdio: 'inherit' }).on('exit', resolve);
  });
}

/** Whether this Node's compile cache keeps code caches of CommonJS wrappers (not Node 20). */
const CJS_CODE_CACHES = RUNNING_NODE.compileFunctionCachedDataKeepsImport;

describe('compile cache (hosts/node/compile-cache)', () => {
  it(
    'a second cache with the same name serves the record; the third, V8 accepts the code cache the second made',
    withDir((dir) => {
      fill(dir, 'app');
      // The run that made the record asked V8 for no code cache: the pack has none yet.
      assert.equal(packLayout(packBytes(dir)).entries[0]!.cacheLength, undefined);
      addCodeCache(dir, 'app');
      const cache = createCompileCache({ dir, name: 'app' });
      const source = cache.get(TEXT_A, URL_A);
      assert.ok(source instanceof ModuleSource);
      assert.deepEqual(source.bindings, new ModuleSource(TEXT_A).bindings);
      const generator = cache.evaluate(codeOf(source), URL_A);
      assert.equal(typeof generator, 'function');
      assert.deepEqual(cache.stats, { records: 1, codeCaches: 1 });
    }),
  );

  it(
    'keys entries by URL and text: an edited module or another URL misses',
    withDir((dir) => {
      fill(dir, 'app');
      const cache = createCompileCache({ dir, name: 'app' });
      assert.equal(cache.get(`${TEXT_A}// edited\n`, URL_A), undefined);
      assert.equal(cache.get(TEXT_A, 'file:///app/other.js'), undefined);
      assert.ok(cache.get(TEXT_A, URL_A) instanceof ModuleSource);
    }),
  );

  it(
    'one entry per URL: a module edited during the run (--watch) leaves only its last text in the pack',
    withDir((dir) => {
      const cache = createCompileCache({ dir, name: 'app' });
      for (const text of [TEXT_A, `${TEXT_A}// edit 1\n`, `${TEXT_A}// edit 2\n`]) {
        assert.equal(cache.get(text, URL_A), undefined);
        cache.set(text, URL_A, new ModuleSource(text, { url: URL_A }));
      }
      cache.flush();
      const next = createCompileCache({ dir, name: 'app' });
      assert.equal(next.get(TEXT_A, URL_A), undefined);
      assert.equal(next.get(`${TEXT_A}// edit 1\n`, URL_A), undefined);
      assert.ok(next.get(`${TEXT_A}// edit 2\n`, URL_A) instanceof ModuleSource);
    }),
  );

  it(
    'different names use different packs',
    withDir((dir) => {
      fill(dir, 'one');
      assert.equal(createCompileCache({ dir, name: 'two' }).get(TEXT_A, URL_A), undefined);
      assert.equal(readdirSync(createCompileCache({ dir }).dir).length, 1);
    }),
  );

  it(
    'a truncated, garbled or foreign pack is ignored, and the next flush rewrites it',
    withDir((dir) => {
      fill(dir, 'app');
      for (const damage of [
        (b: Buffer) => b.subarray(0, 20),
        (b: Buffer) => Buffer.concat([b.subarray(0, HEADER_AT), Buffer.from('{"not json'), b.subarray(60)]),
        () => Buffer.from('plain text, not a pack'),
        (b: Buffer) => {
          const c = Buffer.from(b);
          c.writeUInt32LE(999, 4);
          return c;
        },
      ]) {
        const packDir = createCompileCache({ dir }).dir;
        const pack = join(packDir, readdirSync(packDir)[0]!);
        writeFileSync(pack, damage(readFileSync(pack)));
        assert.equal(createCompileCache({ dir, name: 'app' }).get(TEXT_A, URL_A), undefined);
        fill(dir, 'app');
        assert.ok(createCompileCache({ dir, name: 'app' }).get(TEXT_A, URL_A) instanceof ModuleSource);
      }
    }),
  );

  it(
    'a damaged code cache never reaches V8: the module still evaluates and the cache is rebuilt',
    withDir((dir) => {
      // Flip bytes of the code cache. Release builds of V8 do not checksum code caches, so the
      // pack's own SHA-256 must catch this before V8 deserializes garbage.
      damageCodeCache(dir, 7);
      const cache = createCompileCache({ dir, name: 'app' });
      const source = cache.get(TEXT_A, URL_A)!;
      assert.equal(typeof cache.evaluate(codeOf(source), URL_A), 'function');
      assert.deepEqual(cache.stats, { records: 1, codeCaches: 0 });
      cache.flush();
      const again = createCompileCache({ dir, name: 'app' });
      const source2 = again.get(TEXT_A, URL_A)!;
      again.evaluate(codeOf(source2), URL_A);
      assert.deepEqual(again.stats, { records: 1, codeCaches: 1 });
    }),
  );

  it(
    'damaged compiled code never runs: the pack is ignored, and the next flush repairs it',
    withDir((dir) => {
      fill(dir, 'app');
      const packDir = createCompileCache({ dir }).dir;
      const pack = join(packDir, readdirSync(packDir)[0]!);
      const bytes = Buffer.from(readFileSync(pack));
      const { code, entries } = packLayout(bytes);
      // `a = 1` becomes `a = 2`: still valid code, so only the hash can tell.
      const at = bytes.indexOf('a = 1', code + entries[0]!.codeStart, 'latin1');
      assert.ok(at > 0);
      bytes[at + 4] = '2'.charCodeAt(0);
      writeFileSync(pack, bytes);
      const cache = createCompileCache({ dir, name: 'app' });
      assert.equal(cache.get(TEXT_A, URL_A), undefined);
      assert.equal(cache.get(TEXT_A, URL_A), undefined, 'a second get() misses too');
      const source = new ModuleSource(TEXT_A, { url: URL_A });
      cache.set(TEXT_A, URL_A, source);
      cache.flush();
      const again = createCompileCache({ dir, name: 'app' }).get(TEXT_A, URL_A);
      assert.ok(again instanceof ModuleSource);
      assert.equal(codeOf(again), codeOf(source));
    }),
  );

  it(
    'compiled code with characters outside ASCII comes back exactly, next to ASCII-only modules',
    withDir((dir) => {
      const texts = [
        ['file:///app/u.js', 'export const s = "héllo \u{1F600} 😀 ✓";\n'],
        ['file:///app/b.js', 'export const t = "plain";\n'],
        ['file:///app/c.js', '// 日本語\nexport default "ünïcödé";\n'],
      ] as const;
      const cache = createCompileCache({ dir, name: 'app' });
      const expected = new Map<string, string>();
      for (const [url, text] of texts) {
        const source = new ModuleSource(text, { url });
        cache.set(text, url, source);
        expected.set(url, codeOf(source));
        cache.evaluate(codeOf(source), url);
      }
      cache.flush();
      // The second run makes the code caches, the third uses them.
      for (const codeCaches of [0, 3]) {
        const next = createCompileCache({ dir, name: 'app' });
        for (const [url, text] of [...texts].reverse()) {
          const source = next.get(text, url);
          assert.ok(source instanceof ModuleSource, url);
          assert.equal(codeOf(source), expected.get(url));
          assert.equal(typeof next.evaluate(codeOf(source), url), 'function');
        }
        assert.deepEqual(next.stats, { records: 3, codeCaches });
        next.flush();
      }
    }),
  );

  it(
    'an entry whose byte ranges fall outside the pack makes the whole pack unusable',
    withDir((dir) => {
      fill(dir, 'app');
      const packDir = createCompileCache({ dir }).dir;
      const pack = join(packDir, readdirSync(packDir)[0]!);
      const bytes = readFileSync(pack);
      writeFileSync(
        pack,
        withHeader(bytes, (header) => {
          (header.entries as Array<{ codeLength: number }>)[0]!.codeLength = bytes.length;
        }),
      );
      assert.equal(createCompileCache({ dir, name: 'app' }).get(TEXT_A, URL_A), undefined);
      // Within the pack but not what the header said (a damaged digit that is still JSON): the
      // header's hash catches it, or a verified region would be sliced in the wrong place.
      fill(dir, 'app');
      const good = readFileSync(pack);
      const text = good.toString('latin1');
      const at = text.indexOf('"codeStart":0');
      assert.ok(at > 0);
      const damaged = Buffer.from(good);
      damaged.write('"codeStart":1', at, 'latin1');
      writeFileSync(pack, damaged);
      assert.equal(createCompileCache({ dir, name: 'app' }).get(TEXT_A, URL_A), undefined);
    }),
  );

  it(
    'CommonJS wrappers: noted, then cached, then served; other bodies, parameters, files or extensions miss',
    withDir((dir) => {
      const body = 'function inner(x) { return x * 2; }\nreturn inner(a) + b;';
      type Wrapper = (a: number, b: number) => number;
      if (!CJS_CODE_CACHES) {
        // Node 20: compiled as vm.compileFunction compiles them, with nothing to store.
        for (const run of [1, 2, 3]) {
          const cache = createCompileCache({ dir, name: 'cjs' });
          const made = cache.compileFunction(body, ['a', 'b'], { filename: '/app/m.js' }) as Wrapper;
          assert.equal(made(2, run), 4 + run);
          cache.flush();
          assert.deepEqual(cache.stats, { records: 0, codeCaches: 0 });
        }
        assert.deepEqual(readdirSync(dir), []);
        return;
      }
      const packBytes = () => {
        const packDir = createCompileCache({ dir }).dir;
        return readFileSync(join(packDir, readdirSync(packDir)[0]!));
      };
      // The first run notes the wrapper; the second makes its code cache (the pack grows by it).
      const sizes: number[] = [];
      for (const run of [1, 2]) {
        const cache = createCompileCache({ dir, name: 'cjs' });
        const made = cache.compileFunction(body, ['a', 'b'], { filename: '/app/m.js' }) as Wrapper;
        assert.equal(made(2, run), 4 + run);
        assert.deepEqual(Object.keys(made), [], 'no cachedData properties on the wrapper');
        assert.deepEqual(cache.stats, { records: 0, codeCaches: 0 });
        cache.flush();
        sizes.push(packBytes().length);
      }
      assert.ok(sizes[1]! > sizes[0]! + 100, `${sizes}`);
      const next = createCompileCache({ dir, name: 'cjs' });
      const served = next.compileFunction(body, ['a', 'b'], { filename: '/app/m.js' }) as Wrapper;
      assert.equal(served(3, 1), 7);
      assert.deepEqual(Object.keys(served), []);
      assert.deepEqual(next.stats, { records: 0, codeCaches: 1 });
      next.compileFunction(`${body} `, ['a', 'b'], { filename: '/app/m.js' });
      next.compileFunction(body, ['a', 'c'], { filename: '/app/m.js' });
      next.compileFunction(body, ['a', 'b'], { filename: '/app/n.js' });
      next.compileFunction(body, ['a', 'b'], { filename: '/app/m.js', contextExtensions: [{ z: 1 }] });
      assert.deepEqual(next.stats, { records: 0, codeCaches: 1 });
    }),
  );

  it(
    'a damaged CommonJS code cache never reaches V8 and is made again',
    withDir((dir) => {
      const body = 'return typeof module;';
      if (!CJS_CODE_CACHES) return; // (Node 20 keeps none: the test above checks that)
      for (const _run of [1, 2]) {
        const cache = createCompileCache({ dir, name: 'cjs' });
        cache.compileFunction(body, ['module'], { filename: '/app/m.js' });
        cache.flush();
      }
      const packDir = createCompileCache({ dir }).dir;
      const pack = join(packDir, readdirSync(packDir)[0]!);
      const bytes = Buffer.from(readFileSync(pack));
      const { caches, functions } = packLayout(bytes);
      const { cacheStart, cacheLength } = functions[0]!;
      assert.ok(cacheStart !== undefined && cacheLength !== undefined);
      const from = caches + cacheStart;
      for (let i = from; i < from + cacheLength; i += 5) bytes[i] = bytes[i]! ^ 0xff;
      writeFileSync(pack, bytes);
      const damaged = createCompileCache({ dir, name: 'cjs' });
      assert.equal(
        (damaged.compileFunction(body, ['module'], { filename: '/app/m.js' }) as (m: unknown) => string)({}),
        'object',
      );
      assert.deepEqual(damaged.stats, { records: 0, codeCaches: 0 });
      damaged.flush();
      const again = createCompileCache({ dir, name: 'cjs' });
      again.compileFunction(body, ['module'], { filename: '/app/m.js' });
      assert.deepEqual(again.stats, { records: 0, codeCaches: 1 });
    }),
  );

  it(
    "a host's CommonJS modules compile with the code caches of its compile cache, and behave the same",
    withDir(async (dir) => {
      const app = join(dir, 'app');
      mkdirSync(app);
      writeFileSync(
        join(app, 'dep.cjs'),
        'exports.twice = (x) => x * 2;\nexports.callee = Object.keys(arguments.callee);\n',
      );
      writeFileSync(
        join(app, 'main.cjs'),
        "const dep = require('./dep.cjs');\nmodule.exports = { value: dep.twice(21), callee: dep.callee, later: " +
          "() => import('./dep.cjs') };\n",
      );
      const url = pathToFileURL(join(app, 'main.cjs')).href;
      const results: unknown[] = [];
      const served: number[] = [];
      // Noted, cached, served.
      for (let run = 0; run < 3; run++) {
        const compileCache = createCompileCache({ dir, name: 'host' });
        const host = createNodeHost({ compileCache });
        const main = (await host.import(url)).default as {
          value: number;
          callee: string[];
          later: () => Promise<unknown>;
        };
        results.push([main.value, main.callee, typeof ((await main.later()) as { twice?: unknown }).twice]);
        served.push(compileCache.stats.codeCaches);
        compileCache.flush();
        host.dispose();
      }
      assert.deepEqual(results[0], [42, [], 'function']);
      assert.deepEqual(results[1], results[0]);
      assert.deepEqual(results[2], results[0]);
      if (CJS_CODE_CACHES) {
        assert.deepEqual(served.slice(0, 2), [0, 0]);
        assert.ok(served[2]! >= 2, `served ${served[2]}`);
      } else {
        assert.deepEqual(served, [0, 0, 0]);
      }
    }),
  );

  it(
    'a run that does not evaluate a stored entry keeps its stored hash: a damaged code cache stays damaged',
    withDir((dir) => {
      damageCodeCache(dir, Number.POSITIVE_INFINITY);
      // A run that gets the entry but never evaluates it, and adds another: the pack is written.
      const partial = createCompileCache({ dir, name: 'app' });
      assert.ok(partial.get(TEXT_A, URL_A) instanceof ModuleSource);
      const other = 'export const b = 2;\n';
      partial.set(other, 'file:///app/b.js', new ModuleSource(other, { url: 'file:///app/b.js' }));
      partial.flush();
      // The next run must still see the damage and not hand the bytes to V8.
      const next = createCompileCache({ dir, name: 'app' });
      const source = next.get(TEXT_A, URL_A)!;
      assert.equal(typeof next.evaluate(codeOf(source), URL_A), 'function');
      assert.deepEqual(next.stats, { records: 1, codeCaches: 0 });
    }),
  );

  it(
    'a text with a lone surrogate is not cached (UTF-8 cannot hold it, and keys would collide)',
    withDir((dir) => {
      const lone = 'export const s = "\uD800x";\n';
      const replaced = 'export const s = "\uFFFDx";\n';
      const cache = createCompileCache({ dir, name: 'app' });
      assert.equal(cache.get(lone, URL_A), undefined);
      cache.set(lone, URL_A, new ModuleSource(lone, { url: URL_A }));
      cache.set(replaced, 'file:///app/r.js', new ModuleSource(replaced, { url: 'file:///app/r.js' }));
      cache.flush();
      const next = createCompileCache({ dir, name: 'app' });
      assert.equal(next.get(lone, URL_A), undefined);
      const kept = next.get(replaced, 'file:///app/r.js');
      assert.ok(kept instanceof ModuleSource);
      assert.ok(codeOf(kept).includes('\uFFFDx'));
    }),
  );

  it(
    'CommonJS: one wrapper per file in the pack, and a caller\u2019s own code cache options are left to vm',
    withDir((dir) => {
      const cache = createCompileCache({ dir, name: 'cjs' });
      for (const version of [1, 2, 3]) cache.compileFunction(`return ${version};`, [], { filename: '/app/w.js' });
      cache.flush();
      const packDir = createCompileCache({ dir }).dir;
      if (CJS_CODE_CACHES) {
        const pack = readFileSync(join(packDir, readdirSync(packDir)[0]!));
        assert.equal(packLayout(pack).functions.length, 1);
      }
      const own = cache.compileFunction('return 1;', [], { filename: '/app/x.js', produceCachedData: true }) as {
        cachedDataProduced?: boolean;
      };
      assert.equal(own.cachedDataProduced, true);
    }),
  );

  it(
    'flush writes nothing when the run only hit the cache, and nothing at all without entries',
    withDir((dir) => {
      createCompileCache({ dir, name: 'empty' }).flush();
      assert.deepEqual(readdirSync(dir), []);
    }),
  );

  it(
    'entries are written at process exit even when the cache was garbage-collectable long before',
    withDir(async (dir) => {
      const child =
        `
      (() => {
        const cache = createCompileCache({ dir: ${JSON.stringify(dir)}, name: 'app' });
        cache.set(${JSON.stringify(TEXT_A)}, ${JSON.stringify(URL_A)}, new ` +
        `ModuleSource(${JSON.stringify(TEXT_A)}, { url: ${JSON.stringify(URL_A)} }));
      })();
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 5)); }`;
      assert.equal(await runChild(child, ['--expose-gc']), 0);
      assert.ok(createCompileCache({ dir, name: 'app' }).get(TEXT_A, URL_A) instanceof ModuleSource);
    }),
  );

  it(
    'concurrent processes filling one pack leave a readable pack (atomic rename)',
    withDir(async (dir) => {
      const child = `
      for (let round = 0; round < 20; round++) {
        const cache = createCompileCache({ dir: ${JSON.stringify(dir)}, name: 'shared' });
        for (let i = 0; i < 20; i++) {
          const text = 'export const v = ' + i + ';' + ' '.repeat(process.pid % 7);
          const url = 'file:///m' + i + '.js';
          if (!cache.get(text, url)) cache.set(text, url, new ModuleSource(text, { url }));
        }
        cache.flush();
      }`;
      const runs = Array.from({ length: 4 }, () => runChild(child));
      assert.deepEqual(await Promise.all(runs), [0, 0, 0, 0]);
      const packDir = createCompileCache({ dir }).dir;
      assert.deepEqual(
        readdirSync(packDir).filter((f) => f.endsWith('.tmp')),
        [],
      );
      const cache = createCompileCache({ dir, name: 'shared' });
      // The last writer's entries are all there: at least one of the four variants of each module.
      let found = 0;
      for (let i = 0; i < 20; i++) {
        for (let pad = 0; pad < 7; pad++) {
          if (cache.get(`export const v = ${i};${' '.repeat(pad)}`, `file:///m${i}.js`)) found++;
        }
      }
      assert.ok(found >= 20, `expected every module from the last writer, found ${found}`);
    }),
  );
});
