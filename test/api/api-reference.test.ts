/**
 * docs/api.md cannot go stale: every export of every entry point in package.json's `exports`
 * (values and types, read from the entry files' export declarations) has a `### \`name\``
 * section, every member of an exported interface is named in its section, every method and
 * accessor of an exported class's prototype too, and every entry point has its `## \`…\`` part.
 * The runtime exports of each entry are compared with the exports read from its source, so the
 * reading itself cannot drift.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const api = readFileSync(join(root, 'docs', 'api.md'), 'utf8');

/** package.json `exports` entry → its TypeScript source (the browser bundle is built from src/browser). */
const ENTRIES: Record<string, string> = {
  modhost: 'src/index.ts',
  'modhost/node': 'src/hosts/node/index.ts',
  'modhost/commonjs': 'src/commonjs/index.ts',
  'modhost/browser': 'src/browser/index.ts',
  'modhost/test': 'src/testing/index.ts',
  'modhost/hot': 'src/hot/import-meta.ts',
};

interface Exported {
  readonly name: string;
  /** The file that declares it (followed through re-exports). */
  readonly file: string;
  /** Its name in that file. */
  readonly local: string;
}

function read(file: string): string {
  return readFileSync(join(root, file), 'utf8');
}

function resolveFrom(file: string, specifier: string): string {
  const path = relative(root, join(dirname(join(root, file)), specifier))
    .split('\\')
    .join('/');
  return path.replace(/\.js$/, '.ts');
}

/** Where `name` is declared, following `export … from` and `export *` chains from `file`. */
function declarationOf(file: string, name: string, seen = new Set<string>()): Exported | undefined {
  if (seen.has(`${file}#${name}`)) return undefined;
  seen.add(`${file}#${name}`);
  const text = read(file);
  const declared = new RegExp(
    `^export\\s+(?:declare\\s+)?(?:async\\s+)?(?:function\\*?|class|const|let|interface|type|enum)\\s+${name}\\b`,
    'm',
  );
  if (declared.test(text)) return { name, file, local: name };
  for (const list of exportLists(text)) {
    for (const entry of list.names) {
      if (entry.exported !== name) continue;
      if (list.from === undefined) return declarationOf(file, entry.local, seen) ?? { name, file, local: entry.local };
      return declarationOf(resolveFrom(file, list.from), entry.local, seen);
    }
  }
  for (const star of text.matchAll(/^export\s+\*\s+from\s+'([^']+)'/gm)) {
    const found = declarationOf(resolveFrom(file, star[1] ?? ''), name, seen);
    if (found) return found;
  }
  // A local declaration exported by a list without `from` (`export { x };`).
  if (
    new RegExp(
      `^(?:declare\\s+)?(?:async\\s+)?(?:function\\*?|class|const|let|interface|type)\\s+${name}\\b`,
      'm',
    ).test(text)
  ) {
    return { name, file, local: name };
  }
  return undefined;
}

/** `export { a, type b as c } [from '…']` and `export type { … } [from '…']` lists of a file. */
function exportLists(text: string): { names: { local: string; exported: string }[]; from: string | undefined }[] {
  const lists: { names: { local: string; exported: string }[]; from: string | undefined }[] = [];
  for (const match of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}(?:\s+from\s+'([^']+)')?/gm)) {
    const names = (match[1] ?? '')
      .split(',')
      .map((part) => part.trim().replace(/^type\s+/, ''))
      .filter((part) => part !== '')
      .map((part) => {
        const [local, exported] = part.split(/\s+as\s+/);
        return { local: local ?? part, exported: exported ?? local ?? part };
      });
    lists.push({ names, from: match[2] });
  }
  return lists;
}

/** Every name an entry file exports (values and types). */
function exportsOf(file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const text = read(file);
  for (const match of text.matchAll(
    /^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|class|const|let|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm,
  )) {
    names.add(match[1] ?? '');
  }
  for (const list of exportLists(text)) for (const { exported } of list.names) names.add(exported);
  for (const star of text.matchAll(/^export\s+\*\s+from\s+'([^']+)'/gm)) {
    for (const name of exportsOf(resolveFrom(file, star[1] ?? ''), seen)) names.add(name);
  }
  return names;
}

/** The top-level members of `interface name { … }` in `file` (its own lines, two-space indented). */
function interfaceMembers(file: string, name: string): string[] {
  const text = read(file);
  const members: string[] = [];
  for (const start of text.matchAll(new RegExp(`^export\\s+interface\\s+${name}\\b[^{]*\\{\\n`, 'gm'))) {
    const body = text.slice((start.index ?? 0) + start[0].length);
    const end = body.search(/^\}/m);
    for (const line of body.slice(0, end).split('\n')) {
      const member = /^ {2}(?:readonly\s+)?(?:get\s+|set\s+)?([A-Za-z_$][\w$]*)\??\s*[(:<]/.exec(line);
      if (member?.[1]) members.push(member[1]);
    }
  }
  return members;
}

/** The text of the `### \`name\`` section of docs/api.md (up to the next heading of level 2 or 3). */
function sectionOf(name: string): string | undefined {
  const heading = new RegExp(`^### \`${name.replace(/\$/g, '\\$')}\`.*$`, 'm').exec(api);
  if (!heading) return undefined;
  const rest = api.slice(heading.index + heading[0].length);
  const next = rest.search(/^#{2,3} /m);
  return next === -1 ? rest : rest.slice(0, next);
}

function mentions(section: string, member: string): boolean {
  return new RegExp(`\`[^\`\\n]*\\b${member.replace(/\$/g, '\\$')}\\b[^\`\\n]*\``).test(section);
}

describe('docs/api.md', () => {
  it('has a part per entry point of package.json', () => {
    const pkg = JSON.parse(read('package.json')) as { exports: Record<string, unknown> };
    for (const key of Object.keys(pkg.exports)) {
      if (key === './package.json') continue;
      const entry = key === '.' ? 'modhost' : `modhost/${key.slice(2)}`;
      assert.match(api, new RegExp(`^## \`${entry}\``, 'm'), `docs/api.md has no "## \`${entry}\`" part`);
    }
  });

  for (const [entry, file] of Object.entries(ENTRIES)) {
    it(`documents every export of ${entry}, every member of its interfaces and classes`, async () => {
      const names = exportsOf(file);
      // The reading of the source agrees with what the built entry really exports (values).
      const runtime = (await import(pathToFileURL(join(root, 'dist', file.replace(/\.ts$/, '.js'))).href)) as Record<
        string,
        unknown
      >;
      for (const key of Object.keys(runtime)) assert.ok(names.has(key), `${entry}: ${key} exported but not read`);
      const missing: string[] = [];
      for (const name of names) {
        const section = sectionOf(name);
        if (section === undefined) {
          missing.push(`### \`${name}\` (exported by ${entry})`);
          continue;
        }
        const declaration = declarationOf(file, name);
        assert.ok(
          declaration && existsSync(join(root, declaration.file)),
          `${entry}: cannot find where ${name} is declared`,
        );
        for (const member of interfaceMembers(declaration.file, declaration.local)) {
          if (!mentions(section, member)) missing.push(`\`${member}\` in the section of ${name}`);
        }
        const value = runtime[name];
        if (typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value))) {
          const proto = (value as { prototype: object }).prototype;
          for (const key of Object.getOwnPropertyNames(proto)) {
            if (key !== 'constructor' && !mentions(section, key)) missing.push(`\`${key}\` in the section of ${name}`);
          }
        }
      }
      assert.deepEqual(missing, [], `docs/api.md is missing (for ${entry}):\n${missing.join('\n')}`);
    });
  }

  it('the member check finds what it looks for', () => {
    assert.ok(interfaceMembers('src/hosts/node/host.ts', 'NodeHost').includes('moduleFor'));
    assert.ok(interfaceMembers('src/hosts/node/compile-cache.ts', 'CompileCache').includes('flush'));
    assert.ok(!mentions('`host.resolver`', 'resolve'));
    assert.ok(mentions('`host.resolve(specifier, parentURL)`', 'resolve'));
  });
});
