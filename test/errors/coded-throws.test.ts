/**
 * Every error modhost throws has a code (docs/errors.md promises it): no source file outside
 * src/errors/codes.ts constructs a built-in error class itself (`new TypeError(…)`, `Error(…)`, a
 * captured `…ErrorCtor`, or a class that extends one); errors are made with createError, which
 * sets `code`. The few exceptions are listed below with the reason each is not a modhost error.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const src = join(root, 'src');

/** Allowed sites: file (relative to the repository) and a piece of the line, with the reason. */
const ALLOWED: readonly { file: string; line: string; why: string }[] = [
  {
    file: 'src/cli/main.ts',
    line: 'UsageError',
    why:
      'a usage error of the command line, caught by main() and printed as usage with exit code 2; no program ' +
      'ever sees it',
  },
  {
    file: 'src/cli/run.ts',
    line: 'const error = new Error(',
    why:
      "Node's own UnhandledPromiseRejection error, rebuilt as Node builds it (with Node's code " +
      'ERR_UNHANDLED_REJECTION)',
  },
  {
    file: 'src/hosts/stack-traces.ts',
    line: "const stack = new Error().stack ?? '';",
    why: 'reads the current stack to find the file modhost runs from; nothing is thrown',
  },
];

const ERROR_CLASS = '(?:Error|TypeError|RangeError|SyntaxError|ReferenceError|EvalError|URIError|AggregateError)';
const PATTERNS: readonly { what: string; pattern: RegExp }[] = [
  // `new TypeError(`, `new ReferenceErrorCtor(`, `new UsageError(` …
  { what: 'constructs an error class', pattern: /\bnew\s+([A-Za-z_$][\w$]*Error(?:Ctor)?)\s*\(/ },
  // `TypeError('x')` called without `new` (also constructs).
  { what: 'calls an error constructor', pattern: new RegExp(`(?<![\\w$.])${ERROR_CLASS}\\s*\\(`) },
  // `class X extends Error`: errors of such a class would have no code either.
  { what: 'subclasses an error class', pattern: new RegExp(`\\bextends\\s+${ERROR_CLASS}\\b`) },
];

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** The line without its comment part (`//` outside strings, or a JSDoc / block comment line). */
function codeOf(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('*') || trimmed.startsWith('/*') || trimmed.startsWith('//')) return '';
  const comment = line.search(/\s\/\/\s/);
  return comment === -1 ? line : line.slice(0, comment);
}

describe('coded errors', () => {
  it('no source file builds an error without createError (except the listed, non-modhost errors)', () => {
    const offences: string[] = [];
    const used = new Set<(typeof ALLOWED)[number]>();
    for (const path of sourceFiles(src)) {
      const file = relative(root, path).split('\\').join('/');
      if (file === 'src/errors/codes.ts') continue; // createError itself
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = codeOf(line);
        for (const { what, pattern } of PATTERNS) {
          if (!pattern.test(code)) continue;
          const allowed = ALLOWED.find((a) => a.file === file && code.includes(a.line));
          if (allowed) used.add(allowed);
          else offences.push(`${file}:${i + 1}: ${what} without a code: ${line.trim()}`);
        }
      });
    }
    assert.deepEqual(offences, [], 'use createError(code, message, context) from src/errors/codes.ts');
    for (const a of ALLOWED) assert.ok(used.has(a), `allowed site no longer exists: ${a.file} ${a.line}`);
  });

  it('the check finds what it looks for', () => {
    const hits = (text: string) => PATTERNS.some(({ pattern }) => pattern.test(codeOf(text)));
    for (const bad of [
      "throw new TypeError('x');",
      'reject(new Error(message));',
      "throw RangeError('x');",
      'throw new SyntaxErrorCtor(m);',
      'class MyError extends TypeError {}',
      'const e = new AggregateError([], "x");',
    ]) {
      assert.ok(hits(bad), bad);
    }
    for (const good of [
      "throw createError('ERR_MODHOST_PARSE', message);",
      'throw InvalidHookResultError(referrer, request, result);',
      ' * throw new TypeError in a comment',
      "x = 1; // new TypeError('in a trailing comment')",
      'if (error instanceof TypeError) return;',
    ]) {
      assert.ok(!hits(good), good);
    }
  });
});
