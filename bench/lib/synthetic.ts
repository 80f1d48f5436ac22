/**
 * Synthetic module graphs of a given size and shape, as in-memory files (`./m0.js` is the entry).
 * Every module is small, so the per-module cost of the host (records, linking, hooks, evaluation)
 * dominates rather than parsing. Each shape has a checksum computed by the entry, so a contender
 * that skips work or links wrongly is caught.
 *
 * - wide:    the entry imports every other module directly (a star).
 * - deep:    one import chain m0 → m1 → … (recursion depth = module count).
 * - layered: √n-wide layers, each module importing two modules of the next layer (depth ≈ √n).
 * - cyclic:  a 4-ary tree in which every child also imports its parent back, so the whole graph is
 *            one strongly connected component; children call the parent's hoisted function
 *            before the parent has evaluated.
 */

export const SHAPES = ['wide', 'deep', 'layered', 'cyclic'] as const;
export type Shape = (typeof SHAPES)[number];

export interface SyntheticGraph {
  files: Map<string, string>;
  entry: string;
  /** The value of the entry's `check` export. */
  expected: number;
}

const name = (i: number): string => `./m${i}.js`;

function wide(n: number, tail: string): SyntheticGraph {
  const files = new Map<string, string>();
  const lines: string[] = [];
  let expected = 0;
  for (let i = 1; i < n; i++) {
    lines.push(`import { v as v${i} } from '${name(i)}';`);
    files.set(name(i), `export const v = ${i};\nexport function get() { return v; }\n${tail}`);
    expected += i;
  }
  // One statement per import keeps the entry's syntax tree flat at any size.
  lines.push('let sum = 0;');
  for (let i = 1; i < n; i++) lines.push(`sum += v${i};`);
  lines.push('export const check = sum;');
  files.set(name(0), `${lines.join('\n')}\n${tail}`);
  return { files, entry: name(0), expected };
}

function deep(n: number, tail: string): SyntheticGraph {
  const files = new Map<string, string>();
  for (let i = 0; i < n - 1; i++) {
    files.set(
      name(i),
      `import { v as next } from '${name(i + 1)}';\nexport const v = next + 1;\nexport const check = v;\n${tail}`,
    );
  }
  files.set(name(n - 1), `export const v = 0;\nexport const check = v;\n${tail}`);
  return { files, entry: name(0), expected: n - 1 };
}

function layered(n: number, tail: string): SyntheticGraph {
  const files = new Map<string, string>();
  const width = Math.max(1, Math.ceil(Math.sqrt(n - 1)));
  // Module 0 is layer "-1"; modules 1..n-1 fill layers of `width`.
  const layerOf = (i: number) => Math.floor((i - 1) / width);
  const value = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 1; i--) {
    const next = (layerOf(i) + 1) * width + 1;
    const targets = [next + ((i - 1) % width), next + (i % width)].filter((t) => t < n);
    const uniq = [...new Set(targets)];
    const imports = uniq.map((t, k) => `import { v as d${k} } from '${name(t)}';`).join('\n');
    const sum = uniq.map((_, k) => `d${k}`).join(' + ') || '0';
    value[i] = (uniq.reduce((s, t) => s + (value[t] as number), 0) + 1) % 1_000_003;
    files.set(name(i), `${imports}\nexport const v = (${sum} + 1) % 1000003;\n${tail}`);
  }
  const top = Math.min(width, n - 1);
  const lines: string[] = [];
  let expected = 0;
  for (let i = 1; i <= top; i++) {
    lines.push(`import { v as t${i} } from '${name(i)}';`);
    expected = (expected + (value[i] as number)) % 1_000_003;
  }
  lines.push('let sum = 0;');
  for (let i = 1; i <= top; i++) lines.push(`sum = (sum + t${i}) % 1000003;`);
  lines.push('export const check = sum;');
  files.set(name(0), `${lines.join('\n')}\n${tail}`);
  return { files, entry: name(0), expected };
}

function cyclic(n: number, tail: string): SyntheticGraph {
  const files = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const lines: string[] = [];
    const children: number[] = [];
    for (let c = 4 * i + 1; c <= 4 * i + 4 && c < n; c++) children.push(c);
    for (const [k, c] of children.entries()) lines.push(`import { size as s${k} } from '${name(c)}';`);
    if (i > 0) {
      lines.push(`import { id as parentId } from '${name(Math.floor((i - 1) / 4))}';`);
      // The parent has not evaluated yet: only its hoisted function can be called here.
      lines.push(`if (parentId() !== ${Math.floor((i - 1) / 4)}) throw new Error('bad parent');`);
    }
    lines.push(`export function id() { return ${i}; }`);
    lines.push(`export const size = 1${children.map((_, k) => ` + s${k}`).join('')};`);
    lines.push('export const check = size;');
    files.set(name(i), `${lines.join('\n')}\n${tail}`);
  }
  return { files, entry: name(0), expected: n };
}

/**
 * Generates a graph. `salt` goes into a trailing comment of every module so that every sample
 * gives V8 texts it has not compiled before.
 */
export function generateGraph(shape: Shape, n: number, salt: string): SyntheticGraph {
  if (n < 2) throw new RangeError('a graph needs at least two modules');
  const tail = `// ${salt}\n`;
  const graph =
    shape === 'wide'
      ? wide(n, tail)
      : shape === 'deep'
        ? deep(n, tail)
        : shape === 'layered'
          ? layered(n, tail)
          : cyclic(n, tail);
  // Template strings are ropes in V8; flatten them here, outside any timed part.
  for (const [name, text] of graph.files) graph.files.set(name, Buffer.from(text, 'utf8').toString('utf8'));
  return graph;
}
