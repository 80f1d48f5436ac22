/**
 * The repository's own code, as the house tests read it: the files under the code folders and
 * their import statements, parsed with a real TypeScript parser (@babel/parser; the installed
 * TypeScript 7 has no JavaScript API).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@babel/parser';

/** The repository root (this file runs as dist/test/house/code-files.js). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The folders holding the project's code. */
export const CODE_FOLDERS = ['src', 'test', 'bench', 'fuzz', 'scripts', 'examples'] as const;

/** Paths (relative to the root, `/`-separated) that are data, not code: fixtures, generated output. */
const NOT_CODE = [/(^|\/)fixtures\//, /(^|\/)node_modules\//, /^bench\/results\//, /^fuzz\/repros\//];

const CODE_EXTENSION = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

/** One code file: its root-relative path (`src/records/loading.ts`) and text. */
export interface CodeFile {
  readonly path: string;
  readonly text: string;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Every code file under the code folders (TypeScript and JavaScript), sorted by path. */
export function codeFiles(): CodeFile[] {
  const files: CodeFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const path = toPosix(relative(REPO_ROOT, full));
      if (NOT_CODE.some((pattern) => pattern.test(`${path}${entry.isDirectory() ? '/' : ''}`))) continue;
      if (entry.isDirectory()) walk(full);
      else if (CODE_EXTENSION.test(entry.name)) files.push({ path, text: readFileSync(full, 'utf8') });
    }
  };
  for (const folder of CODE_FOLDERS) walk(join(REPO_ROOT, folder));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** How a module is named by an import. */
export type ImportTarget =
  /** A file of the repository, root-relative (a `.js` specifier names its `.ts` source). */
  | { readonly kind: 'file'; readonly path: string }
  /** A Node built-in (`node:fs`, or a bare `fs`). */
  | { readonly kind: 'builtin'; readonly name: string }
  /** An npm package, by package name (`meriyah`, `@babel/parser`). */
  | { readonly kind: 'package'; readonly name: string }
  /** A dynamic `import()` whose specifier is not a string literal. */
  | { readonly kind: 'computed' };

/** One import of a file. */
export interface ImportEdge {
  readonly from: string;
  /** The specifier as written (or the source text of a computed one). */
  readonly specifier: string;
  readonly target: ImportTarget;
  /** `import type`, `export type … from`, `import('x')` in a type: erased at compile time. */
  readonly typeOnly: boolean;
  /** How it is written: 'import', 'export-from', 'dynamic-import', 'type-import', 'import-equals'. */
  readonly form: string;
  readonly line: number;
}

const BUILTINS = new Set(builtinModules);

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function targetOf(from: string, specifier: string): ImportTarget {
  if (specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(packageName(specifier))) {
    return { kind: 'builtin', name: specifier.startsWith('node:') ? specifier.slice(5) : specifier };
  }
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const joined = toPosix(relative(REPO_ROOT, join(REPO_ROOT, dirname(from), specifier)));
    return { kind: 'file', path: joined.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts') };
  }
  return { kind: 'package', name: packageName(specifier) };
}

/** A parsed syntax node, as far as the walk needs to know it. */
interface SyntaxNode {
  readonly type: string;
  readonly loc?: { readonly start: { readonly line: number } } | null;
  readonly [key: string]: unknown;
}

function isNode(value: unknown): value is SyntaxNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function stringValue(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'StringLiteral' && typeof node.value === 'string') return node.value;
  // `import('x')` in a type: older parser versions wrap the string in a TSLiteralType.
  if (node.type === 'TSLiteralType') return stringValue(node.literal);
  return undefined;
}

/**
 * Every import of `file`: static imports, `export … from`, dynamic `import()` (a computed
 * specifier is reported as such), `import('x')` types and `import x = require('x')`.
 */
export function importsOf(file: CodeFile): ImportEdge[] {
  const typescript = /\.[mc]?ts$/.test(file.path);
  let ast: ReturnType<typeof parse>;
  try {
    ast = parse(file.text, { sourceType: 'module', plugins: typescript ? ['typescript'] : [], errorRecovery: false });
  } catch (error) {
    throw new Error(`${file.path} does not parse: ${(error as Error).message}`, { cause: error });
  }
  const edges: ImportEdge[] = [];
  const add = (node: SyntaxNode, specifier: string, typeOnly: boolean, form: string): void => {
    edges.push({
      from: file.path,
      specifier,
      target: targetOf(file.path, specifier),
      typeOnly,
      form,
      line: node.loc?.start.line ?? 0,
    });
  };
  const visit = (node: SyntaxNode): void => {
    switch (node.type) {
      case 'ImportDeclaration': {
        const specifier = stringValue(node.source);
        if (specifier !== undefined) add(node, specifier, node.importKind === 'type', 'import');
        break;
      }
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration': {
        const specifier = stringValue(node.source);
        if (specifier !== undefined) add(node, specifier, node.exportKind === 'type', 'export-from');
        break;
      }
      case 'CallExpression':
      case 'ImportExpression': {
        const callee = node.callee;
        const dynamic = node.type === 'ImportExpression' || (isNode(callee) && callee.type === 'Import');
        if (dynamic) {
          const argument = node.type === 'ImportExpression' ? node.source : (node.arguments as unknown[])[0];
          const specifier = stringValue(argument);
          if (specifier !== undefined) add(node, specifier, false, 'dynamic-import');
          else {
            const range = argument as { start?: number; end?: number } | undefined;
            edges.push({
              from: file.path,
              specifier: file.text.slice(range?.start ?? 0, range?.end ?? 0),
              target: { kind: 'computed' },
              typeOnly: false,
              form: 'dynamic-import',
              line: node.loc?.start.line ?? 0,
            });
          }
        }
        break;
      }
      case 'TSImportType': {
        const specifier = stringValue(node.argument);
        if (specifier !== undefined) add(node, specifier, true, 'type-import');
        break;
      }
      case 'TSExternalModuleReference': {
        const specifier = stringValue(node.expression);
        if (specifier !== undefined) add(node, specifier, false, 'import-equals');
        break;
      }
    }
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
      const child = node[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) visit(item);
      } else if (isNode(child)) {
        visit(child);
      }
    }
  };
  visit(ast.program as unknown as SyntaxNode);
  return edges;
}
