/**
 * Spec references in records/ and source/: a file that cites clause or step numbers says which
 * ECMA-262 text they follow (the ES2026 draft at tc39/ecma262@000164db; ARCHITECTURE.md "Which
 * text the step numbers follow"), and section anchors are full links (https://tc39.es/…#sec-…).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const EDITION = 'ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db)';

function files(): { path: string; text: string }[] {
  return ['src/records', 'src/source'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => ({ path: `${dir}/${name}`, text: readFileSync(join(root, dir, name), 'utf8') })),
  );
}

/** The comments of a TypeScript file (good enough for these files: no comment markers in strings that matter). */
function comments(text: string): string {
  return [...text.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)].map((m) => m[0]).join('\n');
}

describe('spec references in records/ and source/', () => {
  it('a file with clause or step numbers names the ECMA-262 text they follow', () => {
    const missing = files()
      .filter(({ text }) => /\b\d+\.\d+\.\d+\b/.test(comments(text)) || /\/\/\s*\d+(-\d+)?\./.test(text))
      .filter(
        ({ text }) =>
          !comments(text)
            .replace(/\n \* /g, ' ')
            .includes(EDITION),
      )
      .map(({ path }) => relative(root, join(root, path)));
    assert.deepEqual(missing, []);
  });

  it('section anchors are links', () => {
    const bare: string[] = [];
    for (const { path, text } of files()) {
      text.split('\n').forEach((line, i) => {
        if (/(^|[^/\w])#sec-/.test(line)) bare.push(`${path}:${i + 1}`);
      });
    }
    assert.deepEqual(bare, []);
  });
});
