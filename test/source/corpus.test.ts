/**
 * Real packages: every module compiles to code V8 accepts as a Script, and whole module graphs
 * (lodash-es, date-fns, three) run through the compiled code (with a test-only linker) give what
 * V8 gives running the same files as native modules.
 */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { InstantiationResult, ModuleSourceRecord } from '../../src/source/index.js';
import { createModuleSourceRecord } from '../../src/source/index.js';
import { fakeRuntime, generatorOf } from './harness.js';

const modules = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../node_modules');

function jsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) jsFiles(full, out);
    else if (entry.name.endsWith('.js')) out.push(full);
  }
  return out;
}

for (const corpus of ['lodash-es', 'three/src', 'rxjs/dist/esm', 'date-fns/locale']) {
  test(`every module of ${corpus} compiles to a valid Script`, () => {
    const files = jsFiles(path.join(modules, corpus));
    assert.ok(files.length > 100);
    for (const file of files) {
      const record = createModuleSourceRecord(fs.readFileSync(file, 'utf8'), { url: `file://${file}` });
      assert.doesNotThrow(() => new vm.Script(record.compiled.code), file);
    }
  });
}

interface Linked {
  readonly record: ModuleSourceRecord;
  readonly gen: Generator<unknown, void, unknown>;
  readonly getters: Map<string, () => unknown>;
  readonly deps: Map<string, Linked>;
  evaluated: boolean;
  namespace?: object;
}

/** A test-only linker: relative specifiers, local/indirect/star exports, no cycles through stars. */
function link(file: string, cache = new Map<string, Linked>()): Linked {
  const cached = cache.get(file);
  if (cached) return cached;
  const record = createModuleSourceRecord(fs.readFileSync(file, 'utf8'), { url: `file://${file}` });
  let bound: readonly (() => unknown)[] = [];
  const gen = generatorOf(record)(fakeRuntime(() => bound));
  const init = gen.next().value as InstantiationResult;
  const getters = new Map(record.compiled.getterNames.map((name, i) => [name, init.getters[i]!] as const));
  const linked: Linked = { record, gen, getters, deps: new Map(), evaluated: false };
  cache.set(file, linked);
  for (const request of record.requestedModules)
    linked.deps.set(request.specifier, link(path.resolve(path.dirname(file), request.specifier), cache));
  bound = record.importEntries.map((entry) => {
    const dep = linked.deps.get(entry.moduleRequest.specifier)!;
    return entry.importName === null ? () => namespace(dep) : resolve(dep, entry.importName)!;
  });
  init.setImports(bound);
  return linked;
}

function resolve(m: Linked, name: string): (() => unknown) | undefined {
  for (const e of m.record.localExportEntries) if (e.exportName === name) return m.getters.get(e.localName);
  for (const e of m.record.indirectExportEntries) {
    if (e.exportName !== name) continue;
    const dep = m.deps.get(e.moduleRequest.specifier)!;
    return e.importName === null ? () => namespace(dep) : resolve(dep, e.importName);
  }
  if (name === 'default') return undefined;
  for (const e of m.record.starExportEntries) {
    const found = resolve(m.deps.get(e.moduleRequest.specifier)!, name);
    if (found) return found;
  }
  return undefined;
}

function exportedNames(m: Linked): string[] {
  const names = new Set([...m.record.localExportEntries, ...m.record.indirectExportEntries].map((e) => e.exportName));
  for (const e of m.record.starExportEntries)
    for (const name of exportedNames(m.deps.get(e.moduleRequest.specifier)!)) if (name !== 'default') names.add(name);
  return [...names];
}

function namespace(m: Linked): object {
  if (m.namespace) return m.namespace;
  const ns = Object.create(null) as object;
  for (const name of exportedNames(m).sort())
    Object.defineProperty(ns, name, { get: resolve(m, name), enumerable: true });
  return (m.namespace = ns);
}

function evaluate(m: Linked): void {
  if (m.evaluated) return;
  m.evaluated = true;
  for (const dep of m.deps.values()) evaluate(dep);
  assert.equal(m.gen.next().done, true, 'no top-level await in these packages');
}

async function native(file: string): Promise<Record<string, unknown>> {
  const cache = new Map<string, vm.SourceTextModule>();
  const main = new vm.SourceTextModule(fs.readFileSync(file, 'utf8'), { identifier: file });
  await main.link(async (specifier: string, referrer: vm.Module) => {
    const target = path.resolve(path.dirname(referrer.identifier), specifier);
    let module = cache.get(target);
    if (!module)
      cache.set(target, (module = new vm.SourceTextModule(fs.readFileSync(target, 'utf8'), { identifier: target })));
    return module;
  });
  await main.evaluate();
  return main.namespace as Record<string, unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: probes call library functions of many shapes
type Probe = (ns: Record<string, any>) => unknown;

const GRAPHS: [string, Probe][] = [
  [
    'lodash-es/lodash.js',
    (ns) => [
      Object.keys(ns).length,
      ns.default.VERSION,
      ns.chunk([1, 2, 3, 4, 5], 2),
      ns.template('hi <%= n %>')({ n: 'x' }),
      ns
        .default([1, 2, 3])
        .map((x: number) => x * 2)
        .value(),
      ns.camelCase('foo bar'),
    ],
  ],
  [
    'date-fns/index.js',
    (ns) => [
      Object.keys(ns).length,
      ns.format(new Date(2020, 0, 2), 'yyyy-MM-dd EEEE'),
      ns.formatDistance(new Date(2020, 0, 1), new Date(2021, 0, 1)),
    ],
  ],
  [
    'three/src/Three.js',
    (ns) => [
      Object.keys(ns).length,
      ns.REVISION,
      new ns.Vector3(1, 2, 2).length(),
      new ns.BoxGeometry(1, 1, 1).attributes.position.count,
      new ns.Color('red').getHexString(),
    ],
  ],
];

for (const [entry, probe] of GRAPHS) {
  test(`the ${entry} graph runs as under V8`, async () => {
    const file = path.join(modules, entry);
    const expected = probe(await native(file));
    const root = link(file);
    evaluate(root);
    assert.deepEqual(probe(namespace(root) as Record<string, unknown>), expected);
  });
}
