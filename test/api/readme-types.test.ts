/**
 * The README's examples type-check against the published types: every code block preceded by
 * `<!-- typecheck -->` is written to a TypeScript file of a scratch project that imports
 * `modhost` through the package's own `exports` (dist/src/*.d.ts), and `tsc --noEmit` (strict,
 * noUncheckedIndexedAccess) must accept them all. A deliberately wrong use must be rejected, so
 * the check cannot pass by checking nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The code blocks the README marks with `<!-- typecheck -->` on the line before the fence. */
function markedSnippets(markdown: string): string[] {
  const snippets: string[] = [];
  const pattern = /<!-- typecheck -->\n```(?:js|ts)\n([\s\S]*?)\n```/g;
  for (const match of markdown.matchAll(pattern)) snippets.push(match[1] ?? '');
  return snippets;
}

/** A scratch project whose `modhost` is this repository; returns its folder. */
function scratchProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-types-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'modhost'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
      },
      include: ['*.ts'],
    }),
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function typecheck(dir: string): { status: number | null; output: string } {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('README examples type-check (strict)', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the marked examples', () => {
    assert.ok(markedSnippets(readme).length >= 3, 'the README marks its API examples with <!-- typecheck -->');
  });

  it('tsc --noEmit accepts every marked example', () => {
    const files: Record<string, string> = {};
    markedSnippets(readme).forEach((snippet, i) => {
      files[`readme-${i + 1}.ts`] = snippet;
    });
    const dir = scratchProject(files);
    dirs.push(dir);
    const { status, output } = typecheck(dir);
    assert.equal(status, 0, output);
  });

  it('tsc rejects a wrong use of the same types (the check is real)', () => {
    const dir = scratchProject({
      'wrong.ts': [
        "import { importModule, ModuleSource } from 'modhost';",
        "const ns = await importModule<{ n: number }>(new ModuleSource('export const n = 1;'));",
        'const s: string = ns.n;',
        "new ModuleSource('', { importHook: 5 });",
        'console.log(s);',
      ].join('\n'),
    });
    dirs.push(dir);
    const { status, output } = typecheck(dir);
    assert.notEqual(status, 0);
    assert.match(output, /wrong\.ts\(3,7\): error TS2322/);
    assert.match(output, /wrong\.ts\(4,/);
  });

  it('import.meta.hot is typed through modhost/hot only, and a wrong use is rejected', () => {
    const use = [
      "import.meta.hot?.accept(['./a.js', './b.js'], ([a, b]) => console.log(a?.x, b));",
      "import.meta.hot?.on('modhost:beforeUpdate', (payload) => console.log(payload));",
      'export {};',
    ];
    const withTypes = scratchProject({ 'hot.ts': ['/// <reference types="modhost/hot" />', ...use].join('\n') });
    const without = scratchProject({ 'hot.ts': use.join('\n') });
    const wrong = scratchProject({
      'hot.ts': ['/// <reference types="modhost/hot" />', 'import.meta.hot?.accept(42);', 'export {};'].join('\n'),
    });
    dirs.push(withTypes, without, wrong);
    const accepted = typecheck(withTypes);
    assert.equal(accepted.status, 0, accepted.output);
    const missing = typecheck(without);
    assert.notEqual(missing.status, 0);
    assert.match(missing.output, /hot\.ts\(1,13\): error TS2339: Property 'hot' does not exist/);
    const rejected = typecheck(wrong);
    assert.notEqual(rejected.status, 0);
    assert.match(rejected.output, /hot\.ts\(2,/);
  });
});
