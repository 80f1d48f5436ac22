/**
 * Files that the cold-load workload runs: one entry module per library, and an ES module copy of
 * rxjs. rxjs's own ES builds use extensionless relative specifiers (`./internal/Observable`), which
 * only bundlers resolve, and Node's resolution of `rxjs` picks its CommonJS build; the copy adds
 * the extensions (nothing else changes) so that rxjs can also be measured as an ES module graph.
 * Everything is written under bench/results/fixtures (gitignored), inside the repository so that
 * bare specifiers resolve to its node_modules.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fixturesDir, nodeModules } from './paths.js';

export interface ColdLoadTarget {
  id: string;
  label: string;
  /** Absolute path of the entry module. */
  entry: string;
}

/** What each cold-load entry imports. */
const ENTRIES: ReadonlyArray<{ id: string; label: string; specifier: string }> = [
  { id: 'lodash-es', label: 'lodash-es (lodash.js, its index)', specifier: 'lodash-es' },
  { id: 'three', label: 'three (src/Three.js)', specifier: 'three/src/Three.js' },
  { id: 'date-fns', label: 'date-fns (index.js)', specifier: 'date-fns' },
  { id: 'rxjs', label: "rxjs (package entry: Node's resolution picks dist/cjs)", specifier: 'rxjs' },
  {
    id: 'rxjs-esm',
    label: 'rxjs ES modules (dist/esm, specifiers given extensions)',
    specifier: '../rxjs-esm/index.js',
  },
];

function withExtension(fromFile: string, specifier: string): string {
  const base = join(dirname(fromFile), specifier);
  if (existsSync(`${base}.js`)) return `${specifier}.js`;
  if (existsSync(join(base, 'index.js'))) return `${specifier}/index.js`;
  return specifier;
}

function copyRxjsEsm(target: string): void {
  const source = join(nodeModules, 'rxjs', 'dist', 'esm');
  const files: string[] = [];
  (function walk(dir: string) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.js')) files.push(path);
    }
  })(source);
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(
      /(\bfrom\s*|\bimport\s*)(['"])(\.\.?\/[^'"]*)\2/g,
      (_match, lead: string, quote: string, specifier: string) =>
        `${lead}${quote}${withExtension(file, specifier)}${quote}`,
    );
    const out = join(target, relative(source, file));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
  writeFileSync(join(target, 'package.json'), '{ "type": "module" }\n');
}

/** Writes (once) and returns the cold-load entries. */
export function coldLoadTargets(): ColdLoadTarget[] {
  const entriesDir = join(fixturesDir, 'entries');
  mkdirSync(entriesDir, { recursive: true });
  const rxjsEsm = join(fixturesDir, 'rxjs-esm');
  if (!existsSync(join(rxjsEsm, 'package.json'))) copyRxjsEsm(rxjsEsm);
  return ENTRIES.map(({ id, label, specifier }) => {
    const entry = join(entriesDir, `${id}.mjs`);
    // Touching the namespace makes sure the graph really loaded (an empty namespace fails the run).
    writeFileSync(
      entry,
      `import * as ns from '${specifier}';\nif (Object.keys(ns).length < 10) throw new Error('${id}: unexpectedly ` +
        `small namespace');\n`,
    );
    return { id, label, entry };
  });
}
