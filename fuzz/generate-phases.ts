/**
 * The generator of *phase graphs*: module graphs that use import defer (`import defer * as ns`,
 * `import.defer()`), which the V8 oracle of Node 20 cannot parse. Their outcome is predicted by
 * the fuzzer's evaluation model (evaluation-model.ts), so the statements are the few forms that
 * model understands (PHASE_LINE_FORMS below): log markers, `export const`, top-level
 * `await __delay(n)`, `throw`, and reads of deferred namespaces, at top level, on a later turn or
 * after an `import.defer()`.
 *
 * Every graph is random, and about half of them also contain the shape that once broke an
 * invariant of modhost: a deferred module D whose dependency B sits in a cycle with a module A
 * that has top-level await, with A's evaluation pending when an importer of D evaluates or when
 * D's namespace is read (tc39/proposal-defer-import-eval#84).
 */
import type { Feature, Generated } from './generate.js';
import type { FuzzModule } from './graph.js';
import { Rng } from './rng.js';

/** The statement forms of phase graphs (the evaluation model parses exactly these). */
export const PHASE_LINE_FORMS = [
  'import "X";',
  'import defer * as nK from "X";',
  '__log.push("tag");',
  'export const v = "M.v";',
  'await __delay(n);',
  'throw new __E("tag");',
  'try { __log.push("tag " + __fmt(nK.key)); } catch (e) { __log.push("tag " + __err(e)); }',
  '__later(n, () => { try { ... } catch (e) { ... } });',
  '__dyn("tag", () => import("X"), n);',
  '__dyn("tag", () => import.defer("X"), n)[.then((ns) => { if (ns) { try { ... } catch (e) { ... } } })];',
] as const;

interface PhaseModule {
  readonly name: string;
  tla: boolean;
  readonly exportsV: boolean;
  readonly throws: boolean;
  /** Static requests in source order: evaluation (`import "X"`) or defer (`import defer * as`). */
  readonly imports: { readonly to: string; readonly defer: boolean }[];
  /** Statements other than imports, built after the edges are known. */
  readonly dyn: { readonly to: string; readonly defer: boolean }[];
}

const q = (s: string): string => JSON.stringify(s);

/** A read of a deferred namespace, logged with `prefix` (value or error). */
function accessStatement(prefix: string, alias: string, key: string): string {
  const log = (value: string): string => `__log.push(${q(prefix)} + ${value});`;
  return `try { ${log(`__fmt(${alias}.${key})`)} } catch (e) { ${log('__err(e)')} }`;
}

/** Generates the phase graph of `seed`. */
export function generatePhaseGraph(seed: number): Generated {
  return new PhaseGraphGenerator(seed).run();
}

class PhaseGraphGenerator {
  private readonly rng: Rng;
  private readonly features = new Set<Feature>();
  private readonly modules: PhaseModule[] = [];

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  run(): Generated {
    const rng = this.rng;
    const n = rng.range(3, 7);
    for (let i = 0; i < n; i++) {
      this.modules.push({
        name: `m${i}`,
        tla: i > 0 && rng.chance(0.3),
        exportsV: rng.chance(0.85),
        throws: rng.chance(0.06),
        imports: [],
        dyn: [],
      });
    }
    this.addEdges();
    if (rng.chance(0.5)) this.plantAsyncCycle();
    // Every phase graph defers something.
    if (!this.modules.some((m) => m.imports.some((e) => e.defer) || m.dyn.some((e) => e.defer))) {
      const from = rng.pick(this.modules);
      this.addEdge(from, rng.pick(this.modules.filter((m) => m !== from && m.name !== 'm0')), true);
    }
    this.noteFeatures();
    const lines: FuzzModule[] = this.modules.map((m) => ({ name: m.name, lines: this.body(m) }));
    return { graph: { entry: 'm0', modules: lines }, features: this.features };
  }

  private get(name: string): PhaseModule {
    const m = this.modules.find((x) => x.name === name);
    if (m === undefined) throw new Error(`no phase module ${name}`);
    return m;
  }

  private addEdge(from: PhaseModule, to: PhaseModule, defer: boolean): void {
    if (from.imports.some((e) => e.to === to.name && e.defer === defer)) return;
    from.imports.push({ to: to.name, defer });
  }

  private addEdges(): void {
    const rng = this.rng;
    const ms = this.modules;
    // A spanning forest from m0 (some modules are reached only by a dynamic import).
    for (let i = 1; i < ms.length; i++) {
      const to = ms[i]!;
      if (rng.chance(0.8)) this.addEdge(ms[rng.int(i)]!, to, rng.chance(0.4));
      else this.get('m0').dyn.push({ to: to.name, defer: rng.chance(0.5) });
    }
    // Extra edges, back edges (cycles) included.
    for (let k = rng.range(0, ms.length); k > 0; k--) {
      const from = rng.pick(ms);
      const to = rng.pick(ms.slice(1));
      if (from !== to || rng.chance(0.3)) this.addEdge(from, to, rng.chance(0.35));
    }
    // Dynamic imports from any module.
    for (let k = rng.range(0, 2); k > 0; k--) rng.pick(ms).dyn.push({ to: rng.pick(ms).name, defer: rng.chance(0.6) });
  }

  /**
   * A ← cycle → B with top-level await in A, D → B, and a module that defers D; m0 starts A's
   * evaluation first (statically or with an earlier import()) so that it is pending when D's
   * importer runs or D's namespace is read.
   */
  private plantAsyncCycle(): void {
    const rng = this.rng;
    const ms = this.modules.slice(1);
    if (ms.length < 3) return;
    const [a, b, d] = rng.shuffle(ms) as [PhaseModule, PhaseModule, PhaseModule];
    a.tla = true;
    this.addEdge(a, b, false);
    this.addEdge(b, a, false);
    this.addEdge(d, b, false);
    const m0 = this.get('m0');
    const deferrer = rng.chance(0.5) ? m0 : rng.pick(this.modules.filter((m) => m !== d));
    this.addEdge(deferrer, d, true);
    if (rng.chance(0.5)) m0.dyn.unshift({ to: a.name, defer: false });
    else if (!m0.imports.some((e) => e.to === a.name || e.to === b.name))
      m0.imports.unshift({ to: rng.pick([a, b]).name, defer: false });
    if (rng.chance(0.4)) m0.dyn.push({ to: d.name, defer: true });
    this.features.add('defer:async-cycle');
  }

  private noteFeatures(): void {
    for (const m of this.modules) {
      if (m.imports.some((e) => e.defer)) this.features.add('defer:import');
      if (m.dyn.some((e) => e.defer)) this.features.add('defer:import-defer');
      if (m.dyn.some((e) => !e.defer)) this.features.add('defer:dynamic-import');
      for (const e of m.imports)
        if (e.defer && this.hasAsyncBelow(this.get(e.to))) this.features.add('defer:async-dependency');
    }
  }

  /** True when `m` or a module it reaches statically has top-level await. */
  private hasAsyncBelow(m: PhaseModule): boolean {
    const seen = new Set<string>();
    const todo = [m];
    while (todo.length > 0) {
      const x = todo.pop()!;
      if (seen.has(x.name)) continue;
      seen.add(x.name);
      if (x.tla) return true;
      for (const e of x.imports) todo.push(this.get(e.to));
    }
    return false;
  }

  private body(m: PhaseModule): string[] {
    const rng = this.rng;
    const lines: string[] = [];
    const aliases: string[] = [];
    m.imports.forEach((e, k) => {
      if (e.defer) {
        const alias = `n${k}`;
        aliases.push(alias);
        lines.push(`import defer * as ${alias} from ${q(e.to)};`);
      } else lines.push(`import ${q(e.to)};`);
    });
    const statements: string[] = [];
    let k = 0;
    const tag = (): string => `${m.name}.${k++}`;
    statements.push(`__log.push(${q(`${m.name} run`)});`);
    if (m.exportsV) statements.push(`export const v = ${q(`${m.name}.v`)};`);
    for (const alias of aliases) {
      for (let i = rng.range(1, 2); i > 0; i--) {
        const key = rng.chance(0.85) ? 'v' : 'nope';
        if (rng.chance(0.55)) {
          this.features.add('defer:access-sync');
          statements.push(accessStatement(`${tag()} ${alias}.${key} `, alias, key));
        } else {
          this.features.add('defer:access-later');
          statements.push(
            `__later(${rng.range(0, 6)}, () => { ${accessStatement(`${tag()} later ${alias}.${key} `, alias, key)} });`,
          );
        }
      }
    }
    for (const d of m.dyn) {
      const t = tag();
      const delay = rng.range(0, 4);
      if (!d.defer) {
        statements.push(`__dyn(${q(`${t} import(${d.to})`)}, () => import(${q(d.to)}), ${delay});`);
      } else if (rng.chance(0.8)) {
        const key = rng.chance(0.9) ? 'v' : 'nope';
        statements.push(
          `__dyn(${q(`${t} import.defer(${d.to})`)}, () => import.defer(${q(d.to)}), ${delay})` +
            `.then((ns) => { if (ns) { ${accessStatement(`${t} got ${key} `, 'ns', key)} } });`,
        );
      } else {
        statements.push(`__dyn(${q(`${t} import.defer(${d.to})`)}, () => import.defer(${q(d.to)}), ${delay});`);
      }
    }
    if (m.throws) statements.push(`throw new __E(${q(tag())});`);
    // Shuffle everything but the first log line; then put the awaits in.
    const [first, ...rest] = statements;
    const order = [first!, ...rng.shuffle(rest)];
    if (m.tla) {
      for (let i = rng.range(1, 2); i > 0; i--) {
        const at = rng.range(1, order.length);
        order.splice(at, 0, `await __delay(${rng.range(0, 5)});`, `__log.push(${q(`${m.name} resumed ${i}`)});`);
      }
    }
    return [...lines, ...order];
  }
}
