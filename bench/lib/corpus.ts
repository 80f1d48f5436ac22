/**
 * Real-world ES module texts: every ESM file of lodash-es, three/src, date-fns and rxjs (its ES2015
 * build, dist/esm). The files are read once and kept as strings, so only parsing is measured.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { nodeModules } from './paths.js';

export interface CorpusFile {
  /** Path relative to node_modules, e.g. "three/src/math/Vector3.js". */
  name: string;
  text: string;
  bytes: number;
}

/**
 * A flat (sequential) copy of `text`. Concatenation gives V8 a rope ("cons string") that every
 * consumer first flattens, a cost that belongs to the harness, not to the contender; texts handed
 * to contenders are flattened before the timed part.
 */
export function flat(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** The four libraries: id → folder under node_modules holding its ES modules. */
export const CORPORA: Readonly<Record<string, string>> = {
  'lodash-es': 'lodash-es',
  three: 'three/src',
  'date-fns': 'date-fns',
  rxjs: 'rxjs/dist/esm',
};

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(path, out);
    } else if (entry.name.endsWith('.js') || entry.name.endsWith('.mjs')) {
      out.push(path);
    }
  }
}

/**
 * The ES module files of one corpus, sorted by name. (date-fns's `.js` files are ESM because its
 * package.json says `"type": "module"`; its CommonJS twins are `.cjs` and are not read.)
 * `limit` keeps only the first files (for --quick).
 */
export function readCorpus(id: string, limit = Infinity): CorpusFile[] {
  const folder = CORPORA[id];
  if (folder === undefined) throw new Error(`unknown corpus ${id}`);
  const paths: string[] = [];
  walk(join(nodeModules, folder), paths);
  paths.sort();
  return paths.slice(0, limit).map((path) => {
    const text = readFileSync(path, 'utf8');
    return { name: relative(nodeModules, path), text, bytes: Buffer.byteLength(text) };
  });
}
