/**
 * The graph generator. From a seed alone it builds a module graph (static modules m0..mN, entry
 * m0, plus modules only reached by `import()`: x0..), then writes each module's text line by line.
 * It records which features the graph exercises so a run can show its coverage.
 *
 * Every module logs what it does to `__log` with a tag `<module>.<slot>`, so evaluation order,
 * TDZ outcomes and live-binding values are all visible in one list.
 */
import { generatePhaseGraph } from './generate-phases.js';
import type { FuzzGraph, FuzzModule } from './graph.js';
import { type BindingKind, type Decl, ExportModel, type ModulePlan } from './model.js';
import { Rng } from './rng.js';

/** Every feature the generator can emit; the tests check each appears across a run. */
export const FEATURES = [
  'cycle:self',
  'cycle:2',
  'cycle:3',
  'cycle:4+',
  'import:named',
  'import:default',
  'import:default-by-name',
  'import:namespace',
  'import:bare',
  'reexport:named',
  'reexport:default',
  'export-star',
  'export-star-as',
  'reexport:namespace-import',
  'star:ambiguous',
  'star:same-binding',
  'string-export-name',
  'export:alias',
  'export:two-names',
  'link:missing-export',
  'link:ambiguous-import',
  'load:missing-module',
  'load:parse-error',
  'binding:let',
  'binding:const',
  'binding:var',
  'binding:class',
  'binding:function',
  'binding:async',
  'binding:generator',
  'binding:asyncgen',
  'binding:writer',
  'default:fn-named',
  'default:fn-anon',
  'default:async-fn',
  'default:gen-fn',
  'default:asyncgen-fn',
  'default:class-named',
  'default:class-anon',
  'default:arrow',
  'default:async-arrow',
  'default:paren-fn',
  'default:paren-class',
  'default:named-fn-expr',
  'default:comma-fn',
  'default:expr',
  'default:await-expr',
  'default:alias',
  'default:ident',
  'class:static-this-name',
  'read:import',
  'read:local',
  'typeof',
  'tdz:local',
  'tdz:import',
  'tdz:namespace',
  'tdz:typeof',
  'call:import',
  'call:hoisted-across-cycle',
  'call:local-hoisted',
  'live:write',
  'live:observe-later',
  'assign-import',
  'namespace:ops',
  'microtask',
  'import-meta',
  'tla',
  'tla:resolved',
  'tla:timer',
  'tla:thenable',
  'tla:slow-thenable',
  'tla:reject-caught',
  'tla:reject-uncaught',
  'tla:all',
  'tla:for-await',
  'tla:block',
  'tla:async-iife',
  'tla:export-await',
  'throw:sync',
  'throw:after-await',
  'dyn:deferred',
  'dyn:immediate',
  'dyn:awaited',
  'dyn:rethrow',
  'dyn:missing',
  'dyn:parse-error',
  'dyn:only-module',
  // Phase graphs (generate-phases.ts; checked against the evaluation model, not V8):
  'defer:import',
  'defer:access-sync',
  'defer:access-later',
  'defer:import-defer',
  'defer:dynamic-import',
  'defer:async-dependency',
  'defer:async-cycle',
] as const;

/** One of FEATURES. */
export type Feature = (typeof FEATURES)[number];

/** A generated graph and the features it exercises. */
export interface Generated {
  readonly graph: FuzzGraph;
  readonly features: ReadonlySet<Feature>;
}

type DefaultForm =
  | 'fn-named'
  | 'fn-anon'
  | 'async-fn'
  | 'gen-fn'
  | 'asyncgen-fn'
  | 'class-named'
  | 'class-anon'
  | 'arrow'
  | 'async-arrow'
  | 'paren-fn'
  | 'paren-class'
  | 'named-fn-expr'
  | 'comma-fn'
  | 'expr'
  | 'await-expr'
  | 'alias'
  | 'ident';

interface LocalPlan {
  readonly name: string;
  readonly kind: BindingKind;
  readonly exportAs: string[];
  /** `export let a` rather than `let a` plus `export { a }`. */
  readonly inline: boolean;
  /** For a writer function `set_a`: the binding it assigns. */
  readonly writes?: string;
}

interface Builder {
  readonly plan: ModulePlan;
  readonly locals: LocalPlan[];
  defaultForm: DefaultForm | null;
  defaultLocal: string | null;
}

/** A name a statement can read: an import binding or a local. */
interface Ref {
  readonly expr: string;
  readonly kind: BindingKind | 'namespace' | 'value';
  readonly isImport: boolean;
  /** For imports: the module that owns the binding. */
  readonly origin: string | null;
}

const q = (s: string): string => JSON.stringify(s);
const IDENT = /^[A-Za-z_$][\w$]*$/;
const exportName = (n: string): string => (IDENT.test(n) ? n : q(n));
const LEXICAL = new Set<string>(['let', 'const', 'class', 'value']);
const HOISTED = new Set<string>(['function', 'async', 'generator', 'asyncgen']);

/**
 * Seeds whose graph is a phase graph (import defer; generate-phases.ts): one in eight, so every
 * run of eight or more seeds has some, and the graphs of all other seeds stay as they were.
 */
export function isPhaseSeed(seed: number): boolean {
  return ((seed % 8) + 8) % 8 === 7;
}

/** Generates the graph for `seed`; the same seed always gives the same graph. */
export function generateGraph(seed: number): Generated {
  if (isPhaseSeed(seed)) return generatePhaseGraph(seed);
  return new GraphGenerator(seed).run();
}

class GraphGenerator {
  private readonly rng: Rng;
  private readonly features = new Set<Feature>();
  private readonly builders = new Map<string, Builder>();
  private readonly plans = new Map<string, ModulePlan>();
  private readonly model = new ExportModel(this.plans);
  private staticNames: string[] = [];
  private dynNames: string[] = [];
  private sccOf = new Map<string, number>();
  /** Each module's static dependency closure (itself included). */
  private closures = new Map<string, Set<string>>();
  private badText: string | null = null;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  run(): Generated {
    const rng = this.rng;
    const nStatic = rng.range(1, 6);
    const nDyn = rng.chance(0.3) ? rng.range(1, 2) : 0;
    this.staticNames = Array.from({ length: nStatic }, (_, i) => `m${i}`);
    this.dynNames = Array.from({ length: nDyn }, (_, i) => `x${i}`);
    for (const name of this.staticNames) this.addModule(name, false);
    for (const name of this.dynNames) this.addModule(name, true);
    this.addEdges();
    this.chooseNames();
    this.analyseGraph();
    const modules: FuzzModule[] = [];
    for (const builder of this.builders.values()) modules.push({ name: builder.plan.name, lines: this.body(builder) });
    if (this.badText !== null) modules.push({ name: 'bad', lines: [this.badText] });
    return { graph: { entry: 'm0', modules }, features: this.features };
  }

  // ---- modules, locals, default exports

  private addModule(name: string, dynOnly: boolean): void {
    const rng = this.rng;
    const plan: ModulePlan = {
      name,
      dynOnly,
      tla: rng.chance(0.35),
      localExports: new Map(),
      bindingKinds: new Map(),
      decls: [],
      exportNames: new Set(),
    };
    const builder: Builder = { plan, locals: [], defaultForm: null, defaultLocal: null };
    this.plans.set(name, plan);
    this.builders.set(name, builder);
    const names = rng.shuffle(['a', 'b', 'c', 'd', 'e']).slice(0, rng.range(0, 4));
    for (const local of names) {
      const kind = rng.weighted<BindingKind>({
        let: 5,
        const: 4,
        var: 3,
        class: 3,
        function: 4,
        async: 2,
        generator: 1,
        asyncgen: 1,
        value: 0,
      });
      const exportAs: string[] = [];
      let inline = false;
      if (rng.chance(0.75)) {
        inline = rng.chance(0.5);
        exportAs.push(
          inline || rng.chance(0.6) ? local : this.freshExportName(plan, ['x', 'y', 'z', 'a-b', 'default']),
        );
        if (!inline && rng.chance(0.15)) {
          const second = this.freshExportName(plan, ['x', 'y', 'z', 'w']);
          if (!exportAs.includes(second)) exportAs.push(second);
        }
      }
      this.addLocal(builder, { name: local, kind, exportAs, inline });
      if ((kind === 'let' || kind === 'var') && rng.chance(0.35)) {
        this.addLocal(builder, {
          name: `set_${local}`,
          kind: 'function',
          exportAs: [`set_${local}`],
          inline: true,
          writes: local,
        });
      }
    }
    if (!plan.exportNames.has('default') && rng.chance(0.6)) this.chooseDefault(builder);
  }

  private freshExportName(plan: ModulePlan, pool: string[]): string {
    for (const n of this.rng.shuffle(pool)) if (!plan.exportNames.has(n)) return n;
    let i = 0;
    while (plan.exportNames.has(`e${i}`)) i++;
    return `e${i}`;
  }

  private addLocal(builder: Builder, local: LocalPlan): void {
    const { plan } = builder;
    const exportAs = local.exportAs.filter((n) => !plan.exportNames.has(n));
    const fixed = { ...local, exportAs };
    builder.locals.push(fixed);
    plan.bindingKinds.set(local.name, local.kind);
    for (const n of exportAs) {
      plan.exportNames.add(n);
      plan.localExports.set(n, local.name);
    }
  }

  private chooseDefault(builder: Builder): void {
    const { plan } = builder;
    let form = this.rng.weighted<DefaultForm>({
      'fn-named': 3,
      'fn-anon': 3,
      'async-fn': 2,
      'gen-fn': 1,
      'asyncgen-fn': 1,
      'class-named': 2,
      'class-anon': 3,
      arrow: 2,
      'async-arrow': 1,
      'paren-fn': 2,
      'paren-class': 2,
      'named-fn-expr': 1,
      'comma-fn': 1,
      expr: 3,
      'await-expr': plan.tla ? 2 : 0,
      alias: 2,
      ident: 2,
    });
    const mutable = builder.locals.filter((l) => l.writes === undefined);
    if ((form === 'alias' || form === 'ident') && mutable.length === 0) form = 'expr';
    builder.defaultForm = form;
    this.features.add(`default:${form}`);
    let binding = '*default*';
    let kind: BindingKind = 'value';
    switch (form) {
      case 'fn-named':
        binding = 'dflt';
        kind = 'function';
        break;
      case 'class-named':
        binding = 'Dflt';
        kind = 'class';
        break;
      case 'fn-anon':
        kind = 'function';
        break;
      case 'async-fn':
        kind = 'async';
        break;
      case 'gen-fn':
        kind = 'generator';
        break;
      case 'asyncgen-fn':
        kind = 'asyncgen';
        break;
      case 'class-anon':
        kind = 'class';
        break;
      case 'alias': {
        const local = this.rng.pick(mutable);
        builder.defaultLocal = local.name;
        binding = local.name;
        kind = local.kind;
        break;
      }
      case 'ident':
        builder.defaultLocal = this.rng.pick(mutable).name;
        break;
      default:
        break;
    }
    plan.exportNames.add('default');
    plan.localExports.set('default', binding);
    if (binding !== '*default*' || kind !== 'value') plan.bindingKinds.set(binding, kind);
  }

  // ---- edges

  private addEdges(): void {
    const rng = this.rng;
    const s = this.staticNames;
    const all = [...s, ...this.dynNames];
    const edges: { from: string; to: string; kind?: Decl['kind'] }[] = [];
    for (let i = 1; i < s.length; i++) edges.push({ from: s[rng.int(i)]!, to: s[i]! });
    const extra = rng.range(0, s.length);
    for (let i = 0; i < extra; i++) {
      const from = rng.pick(all);
      const to = rng.chance(0.08) ? from : rng.pick(s);
      edges.push({ from, to });
    }
    for (const x of this.dynNames) {
      for (let i = rng.range(0, 2); i > 0; i--) edges.push({ from: x, to: rng.pick(s) });
    }
    if (rng.chance(0.35)) {
      const size = Math.min(s.length, rng.pick([1, 2, 2, 3, 3, 4, 5]));
      const ring = rng.shuffle(s).slice(0, size);
      for (let i = 0; i < ring.length; i++) edges.push({ from: ring[i]!, to: ring[(i + 1) % ring.length]! });
    }
    if (s.length >= 4 && rng.chance(0.2)) {
      // A diamond of star exports: a re-exports b and c, which both re-export d.
      const [a, b, c, d] = rng.shuffle(s) as [string, string, string, string];
      const viaNs = rng.chance(0.3);
      // Either way of re-exporting d's namespace, on each side (one binding: tc39/ecma262#3715).
      const nsForm = (): Decl['kind'] => (viaNs ? (rng.chance(0.5) ? 'star-as' : 'reexport-ns') : 'star');
      edges.push({ from: a, to: b, kind: 'star' }, { from: a, to: c, kind: 'star' });
      edges.push({ from: b, to: d, kind: nsForm() }, { from: c, to: d, kind: nsForm() });
    }
    if (rng.chance(0.05)) edges.push({ from: rng.pick(all), to: 'nope' });
    if (rng.chance(0.04)) {
      edges.push({ from: rng.pick(all), to: 'bad' });
      this.makeBad();
    }
    for (const edge of edges) this.addDecl(edge.from, edge.to, edge.kind);
  }

  private addDecl(from: string, to: string, forced?: Decl['kind']): void {
    const plan = this.plans.get(from)!;
    const n = plan.decls.length;
    const kind =
      forced ??
      this.rng.weighted<Decl['kind']>({
        'import-named': 30,
        'import-default': 10,
        'import-ns': 12,
        'import-bare': 7,
        reexport: 10,
        star: 20,
        'star-as': 8,
        'reexport-ns': 4,
      });
    switch (kind) {
      case 'import-named':
        plan.decls.push({ kind, from: to, imported: '', alias: `i${n}` });
        break;
      case 'import-default':
        plan.decls.push({ kind, from: to, alias: `d${n}` });
        break;
      case 'import-ns':
        plan.decls.push({ kind, from: to, alias: `n${n}` });
        break;
      case 'import-bare':
        plan.decls.push({ kind, from: to });
        break;
      case 'reexport':
        plan.decls.push({ kind, from: to, imported: '', as: '' });
        break;
      case 'star':
        plan.decls.push({ kind, from: to });
        break;
      case 'star-as': {
        // Diamonds use one name on both sides so that the two namespaces meet under one name.
        const as = forced === 'star-as' ? 'ns' : this.freshExportName(plan, ['ns0', 'ns1', 'ns', 'a', 'b']);
        if (plan.exportNames.has(as)) return;
        plan.exportNames.add(as);
        plan.decls.push({ kind, from: to, as });
        break;
      }
      case 'reexport-ns': {
        const as = forced === 'reexport-ns' ? 'ns' : this.freshExportName(plan, ['ns0', 'ns1', 'ns', 'a', 'b']);
        if (plan.exportNames.has(as)) return;
        plan.exportNames.add(as);
        plan.decls.push({ kind, from: to, alias: `n${n}`, as });
        break;
      }
    }
  }

  private makeBad(): void {
    this.badText = this.rng.pick([
      'export { missing };',
      'let dup = 1; let dup = 2;',
      'export default 1; export default 2;',
      'new.target;',
      'import { a } from "m0"; const a = 1;',
      'export const x = 1; export { x };',
    ]);
  }

  /** Picks the names of named imports and re-exports, now that local exports and stars are known. */
  private chooseNames(): void {
    const rng = this.rng;
    for (const plan of this.plans.values()) {
      for (const d of plan.decls) {
        if (d.kind !== 'reexport') continue;
        const imported = this.pickImportName(d.from);
        if (imported === null) continue;
        let as = imported;
        if (imported === 'default' && rng.chance(0.4)) this.features.add('reexport:default');
        else if (plan.exportNames.has(as) || rng.chance(0.3))
          as = this.freshExportName(plan, ['r0', 'r1', 'y', 'default', 'a-b']);
        if (plan.exportNames.has(as)) continue;
        if (as === 'default' || imported === 'default') this.features.add('reexport:default');
        d.imported = imported;
        d.as = as;
        plan.exportNames.add(as);
      }
    }
    for (const plan of this.plans.values()) {
      for (let i = 0; i < plan.decls.length; i++) {
        const d = plan.decls[i]!;
        if (d.kind === 'import-named') {
          const name = this.pickImportName(d.from);
          if (name === null) plan.decls[i] = { kind: 'import-ns', from: d.from, alias: `n${i}` };
          else d.imported = name;
        } else if (d.kind === 'import-default' && this.plans.has(d.from)) {
          const r = this.model.resolve(d.from, 'default');
          if ((r === null || r === 'ambiguous') && !rng.chance(0.05))
            plan.decls[i] = { kind: 'import-ns', from: d.from, alias: `n${i}` };
        }
      }
      plan.decls.splice(0, plan.decls.length, ...plan.decls.filter((d) => d.kind !== 'reexport' || d.imported !== ''));
    }
  }

  /** A name to import from `from`: usually one that resolves; now and then a missing or ambiguous one. */
  private pickImportName(from: string): string | null {
    const rng = this.rng;
    if (!this.plans.has(from)) return 'a';
    const good = this.model.resolvableNames(from);
    const ambiguous = this.model.ambiguousNames(from);
    const r = rng.next();
    if (ambiguous.length > 0 && r < 0.12) return rng.pick(ambiguous);
    if (r < 0.06) return rng.pick(['zz', 'default']);
    return good.length === 0 ? null : rng.pick(good);
  }

  // ---- graph analysis (features that depend on the whole graph)

  private analyseGraph(): void {
    const deps = (name: string): string[] =>
      this.plans
        .get(name)
        ?.decls.map((d) => d.from)
        .filter((t) => this.plans.has(t)) ?? [];
    // Tarjan's SCC over static edges.
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    let sccId = 0;
    const visit = (v: string): void => {
      idx.set(v, index);
      low.set(v, index);
      index++;
      stack.push(v);
      onStack.add(v);
      for (const w of deps(v)) {
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const members: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          members.push(w);
          this.sccOf.set(w, sccId);
        } while (w !== v);
        sccId++;
        if (members.length === 1) {
          if (deps(v).includes(v)) this.features.add('cycle:self');
        } else this.features.add(members.length === 2 ? 'cycle:2' : members.length === 3 ? 'cycle:3' : 'cycle:4+');
      }
    };
    for (const name of this.plans.keys()) if (!idx.has(name)) visit(name);
    for (const name of this.plans.keys()) {
      const closure = new Set<string>();
      const queue = [name];
      while (queue.length > 0) {
        const v = queue.pop()!;
        if (closure.has(v)) continue;
        closure.add(v);
        queue.push(...deps(v));
      }
      this.closures.set(name, closure);
    }
    for (const plan of this.plans.values()) {
      if (this.model.ambiguousNames(plan.name).length > 0) this.features.add('star:ambiguous');
      if (this.model.sameBindingStarNames(plan.name).length > 0) this.features.add('star:same-binding');
      for (const d of plan.decls) {
        if (d.from === 'nope') this.features.add('load:missing-module');
        if (d.from === 'bad') this.features.add('load:parse-error');
        switch (d.kind) {
          case 'import-named':
            this.features.add(d.imported === 'default' ? 'import:default-by-name' : 'import:named');
            this.noteResolution(d.from, d.imported, 'link:missing-export');
            if (!IDENT.test(d.imported)) this.features.add('string-export-name');
            break;
          case 'import-default':
            this.features.add('import:default');
            this.noteResolution(d.from, 'default', 'link:missing-export');
            break;
          case 'import-ns':
            this.features.add('import:namespace');
            break;
          case 'import-bare':
            this.features.add('import:bare');
            break;
          case 'reexport':
            this.features.add('reexport:named');
            this.noteResolution(d.from, d.imported, 'link:missing-export');
            if (!IDENT.test(d.as) || !IDENT.test(d.imported)) this.features.add('string-export-name');
            break;
          case 'star':
            this.features.add('export-star');
            break;
          case 'star-as':
            this.features.add('export-star-as');
            break;
          case 'reexport-ns':
            this.features.add('reexport:namespace-import');
            break;
        }
      }
    }
  }

  private noteResolution(from: string, name: string, missing: Feature): void {
    if (!this.plans.has(from)) return;
    const r = this.model.resolve(from, name);
    if (r === null) this.features.add(missing);
    else if (r === 'ambiguous') this.features.add('link:ambiguous-import');
  }

  private sameScc(a: string, b: string | null): boolean {
    return (
      b !== null &&
      this.sccOf.get(a) === this.sccOf.get(b) &&
      (a !== b || this.plans.get(a)!.decls.some((d) => d.from === a))
    );
  }

  // ---- module bodies

  private body(builder: Builder): string[] {
    const rng = this.rng;
    const { plan } = builder;
    type Slot =
      | { kind: 'decl'; decl: Decl }
      | { kind: 'local'; local: LocalPlan }
      | { kind: 'export-list'; local: LocalPlan }
      | { kind: 'default' }
      | { kind: 'stmt' }
      | { kind: 'await' }
      | { kind: 'throw' };
    const slots: Slot[] = [];
    for (const decl of plan.decls) slots.push({ kind: 'decl', decl });
    for (const local of builder.locals) {
      slots.push({ kind: 'local', local });
      if (!local.inline && local.exportAs.length > 0) slots.push({ kind: 'export-list', local });
    }
    if (builder.defaultForm !== null) slots.push({ kind: 'default' });
    for (let i = rng.range(1, 6); i > 0; i--) slots.push({ kind: 'stmt' });
    if (plan.tla) {
      this.features.add('tla');
      for (let i = rng.range(1, 3); i > 0; i--) slots.push({ kind: 'await' });
    }
    if (rng.chance(plan.tla ? 0.1 : 0.06)) slots.push({ kind: 'throw' });
    const order = rng.shuffle(slots);

    const refs: Ref[] = [];
    const namespaces: { alias: string; from: string }[] = [];
    for (const d of plan.decls) {
      if (d.kind === 'import-named') {
        refs.push({
          expr: d.alias,
          kind: this.model.kindOf(d.from, d.imported) ?? 'value',
          isImport: true,
          origin: this.model.originOf(d.from, d.imported),
        });
      } else if (d.kind === 'import-default') {
        refs.push({
          expr: d.alias,
          kind: this.model.kindOf(d.from, 'default') ?? 'value',
          isImport: true,
          origin: this.model.originOf(d.from, 'default'),
        });
      } else if (d.kind === 'import-ns' || d.kind === 'reexport-ns') {
        namespaces.push({ alias: d.alias, from: d.from });
      }
    }
    const declared = new Set<string>();
    const localRefs: Ref[] = builder.locals.map((l) => ({
      expr: l.name,
      kind: l.kind,
      isImport: false,
      origin: plan.name,
    }));
    if (builder.defaultForm === 'fn-named')
      localRefs.push({ expr: 'dflt', kind: 'function', isImport: false, origin: plan.name });
    if (builder.defaultForm === 'class-named')
      localRefs.push({ expr: 'Dflt', kind: 'class', isImport: false, origin: plan.name });
    const ctx: BodyContext = { builder, refs: [...refs, ...localRefs], namespaces, declared, awaited: false };

    const lines: string[] = [];
    order.forEach((slot, k) => {
      const tag = `${plan.name}.${k}`;
      switch (slot.kind) {
        case 'decl':
          lines.push(renderDecl(slot.decl));
          break;
        case 'local':
          lines.push(this.localLine(ctx, slot.local, tag));
          declared.add(slot.local.name);
          break;
        case 'export-list': {
          const names = slot.local.exportAs.map((n) =>
            n === slot.local.name ? n : `${slot.local.name} as ${exportName(n)}`,
          );
          lines.push(`export { ${names.join(', ')} };`);
          break;
        }
        case 'default':
          lines.push(this.defaultLine(ctx, tag));
          if (builder.defaultForm === 'fn-named') declared.add('dflt');
          if (builder.defaultForm === 'class-named') declared.add('Dflt');
          break;
        case 'stmt':
          lines.push(this.statement(ctx, tag));
          break;
        case 'await':
          lines.push(this.awaitStatement(ctx, tag));
          ctx.awaited = true;
          break;
        case 'throw':
          lines.push(this.throwStatement(ctx, tag));
          break;
      }
    });
    return lines;
  }

  private localLine(ctx: BodyContext, local: LocalPlan, tag: string): string {
    const rng = this.rng;
    const exp = local.inline ? 'export ' : '';
    const value = q(`${ctx.builder.plan.name}.${local.name}`);
    if (local.exportAs.some((n) => n !== local.name)) this.features.add('export:alias');
    if (local.exportAs.length > 1) this.features.add('export:two-names');
    if (local.exportAs.some((n) => !IDENT.test(n))) this.features.add('string-export-name');
    if (local.writes !== undefined) {
      this.features.add('binding:writer');
      return `${exp}function ${local.name}(v) { ${local.writes} = v; return ${q(`${local.name} done`)}; }`;
    }
    this.features.add(`binding:${local.kind}` as Feature);
    const other = this.someRef(ctx);
    const read = other === null ? '"-"' : `__v(() => ${other.expr})`;
    switch (local.kind) {
      case 'let':
      case 'const':
      case 'var': {
        let init = value;
        if (ctx.builder.plan.tla && rng.chance(0.2)) {
          init = `await __delay(${rng.range(0, 4)}, ${value})`;
          this.features.add('tla:export-await');
        } else if (other !== null && rng.chance(0.25)) {
          init = `${value} + ${read}`;
          this.noteRead(ctx, other, false);
        }
        return `${exp}${local.kind} ${local.name} = ${init};`;
      }
      case 'class':
        if (rng.chance(0.6)) {
          this.features.add('class:static-this-name');
          return (
            `${exp}class ${local.name} { static { __log.push(${q(`${tag} class `)} + this.name + " " + ` +
            `${read}); } }`
          );
        }
        return `${exp}class ${local.name} {}`;
      case 'function':
        return (
          `${exp}function ${local.name}(arg) { __log.push(${q(`${tag} ${local.name}(`)} + arg + ") " + ` +
          `${read}); return ${value}; }`
        );
      case 'async':
        return (
          `${exp}async function ${local.name}(arg) { __log.push(${q(`${tag} ${local.name}(`)} + arg + ")"); ` +
          `await 0; __log.push(${q(`${tag} ${local.name} resumed `)} + ${read}); return ${value}; }`
        );
      case 'generator':
        return `${exp}function* ${local.name}() { yield ${value}; }`;
      case 'asyncgen':
        return `${exp}async function* ${local.name}() { yield ${value}; }`;
      case 'value':
        return `${exp}const ${local.name} = ${value};`;
    }
  }

  private defaultLine(ctx: BodyContext, tag: string): string {
    const rng = this.rng;
    const { builder } = ctx;
    const m = builder.plan.name;
    const staticBlock = (): string => {
      this.features.add('class:static-this-name');
      return `static { __log.push(${q(`${tag} default class `)} + JSON.stringify(this.name)); }`;
    };
    switch (builder.defaultForm!) {
      case 'fn-named':
        return `export default function dflt() { __log.push(${q(`${tag} dflt()`)}); return ${q(`${m}.dflt`)}; }`;
      case 'fn-anon':
        return `export default function () { __log.push(${q(`${tag} default()`)}); return ${q(`${m}.default`)}; }`;
      case 'async-fn':
        return `export default async function () { await 0; return ${q(`${m}.default`)}; }`;
      case 'gen-fn':
        return `export default function* () { yield ${q(`${m}.default`)}; }`;
      case 'asyncgen-fn':
        return `export default async function* () { yield 1; }`;
      case 'class-named':
        return `export default class Dflt { ${staticBlock()} }`;
      case 'class-anon':
        return rng.chance(0.7) ? `export default class { ${staticBlock()} }` : 'export default class {}';
      case 'arrow':
        return `export default () => ${q(`${m}.default`)};`;
      case 'async-arrow':
        return 'export default async () => 1;';
      case 'paren-fn':
        return `export default (function () { return ${q(`${m}.default`)}; });`;
      case 'paren-class':
        return `export default (class { ${staticBlock()} });`;
      case 'named-fn-expr':
        return 'export default (function inner() {});';
      case 'comma-fn':
        return 'export default (0, function () {});';
      case 'expr':
        return `export default ${q(`${m}.`)} + "default";`;
      case 'await-expr':
        return `export default await __delay(${rng.range(0, 3)}, ${q(`${m}.default`)});`;
      case 'alias':
        return `export { ${builder.defaultLocal!} as default };`;
      case 'ident':
        return `export default ${builder.defaultLocal!};`;
    }
  }

  private someRef(ctx: BodyContext): Ref | null {
    return ctx.refs.length === 0 ? null : this.rng.pick(ctx.refs);
  }

  /** Records read-related features for a read of `ref` at the current point. */
  private noteRead(ctx: BodyContext, ref: Ref, viaTypeof: boolean): void {
    const m = ctx.builder.plan.name;
    if (ref.isImport) {
      this.features.add('read:import');
      if (LEXICAL.has(ref.kind) && this.sameScc(m, ref.origin))
        this.features.add(viaTypeof ? 'tdz:typeof' : 'tdz:import');
    } else {
      this.features.add('read:local');
      if (LEXICAL.has(ref.kind) && !ctx.declared.has(ref.expr))
        this.features.add(viaTypeof ? 'tdz:typeof' : 'tdz:local');
    }
  }

  private statement(ctx: BodyContext, tag: string): string {
    const rng = this.rng;
    const hasRefs = ctx.refs.length > 0;
    const imports = ctx.refs.filter((r) => r.isImport);
    const locals = ctx.refs.filter((r) => !r.isImport);
    const kind = rng.weighted({
      step: 2,
      read: hasRefs ? 6 : 0,
      typeof: hasRefs ? 2 : 0,
      ns: ctx.namespaces.length > 0 ? 5 : 0,
      call: hasRefs ? 4 : 0,
      write: locals.length > 0 ? 2 : 0,
      assign: imports.length + ctx.namespaces.length > 0 ? 1 : 0,
      later: hasRefs ? 3 : 0,
      micro: 2,
      meta: 2,
      dyn: 3,
      klass: 1,
    });
    const log = (expr: string): string =>
      `try { __log.push(${q(`${tag} `)} + ${expr}); } catch (e) { __log.push(${q(`${tag} `)} + __err(e)); }`;
    switch (kind) {
      case 'step':
        return `__log.push(${q(`${tag} step`)});`;
      case 'read': {
        const ref = rng.pick(ctx.refs);
        this.noteRead(ctx, ref, false);
        return log(`__fmt(${ref.expr})`);
      }
      case 'typeof': {
        const ref = rng.pick(ctx.refs);
        this.features.add('typeof');
        this.noteRead(ctx, ref, true);
        return log(`typeof ${ref.expr}`);
      }
      case 'ns':
        return this.namespaceStatement(ctx, log);
      case 'call': {
        const callable = ctx.refs.filter((r) => HOISTED.has(r.kind));
        const ref = callable.length > 0 && rng.chance(0.85) ? rng.pick(callable) : rng.pick(ctx.refs);
        if (ref.isImport) {
          this.features.add('call:import');
          if (HOISTED.has(ref.kind) && this.sameScc(ctx.builder.plan.name, ref.origin))
            this.features.add('call:hoisted-across-cycle');
        } else if (HOISTED.has(ref.kind) && !ctx.declared.has(ref.expr)) this.features.add('call:local-hoisted');
        if (ref.expr.startsWith('set_')) this.features.add('live:write');
        return log(`__fmt(${ref.expr}(${q(tag)}))`);
      }
      case 'write': {
        const ref = rng.pick(locals);
        this.features.add('live:write');
        if (LEXICAL.has(ref.kind) && !ctx.declared.has(ref.expr)) this.features.add('tdz:local');
        return (
          `try { ${ref.expr} = ${q(`${tag} wrote`)}; __log.push(${q(`${tag} wrote ${ref.expr}`)}); } catch ` +
          `(e) { __log.push(${q(`${tag} `)} + __err(e)); }`
        );
      }
      case 'assign': {
        this.features.add('assign-import');
        const targets = [...imports.map((r) => r.expr), ...ctx.namespaces.map((n) => n.alias)];
        const target = rng.pick(targets);
        const form = rng.pick([
          `${target} = 1`,
          `${target} += "x"`,
          `${target}++`,
          `${target} = (__log.push(${q(`${tag} rhs`)}), 2)`,
          `[${target}] = [3]`,
        ]);
        return (
          `try { ${form}; __log.push(${q(`${tag} assigned`)}); } catch (e) { __log.push(${q(`${tag} `)} + ` +
          `__err(e)); }`
        );
      }
      case 'later': {
        const ref = rng.pick(ctx.refs);
        this.features.add('live:observe-later');
        return `__later(${rng.range(0, 6)}, () => __log.push(${q(`${tag} later `)} + __v(() => ${ref.expr})));`;
      }
      case 'micro': {
        this.features.add('microtask');
        const read = hasRefs ? `__v(() => ${rng.pick(ctx.refs).expr})` : '"-"';
        return rng.chance(0.5)
          ? `Promise.resolve().then(() => __log.push(${q(`${tag} micro `)} + ${read}));`
          : `queueMicrotask(() => __log.push(${q(`${tag} micro `)} + ${read}));`;
      }
      case 'meta': {
        this.features.add('import-meta');
        return log(
          rng.pick([
            'import.meta.url',
            'String(import.meta === import.meta)',
            'String(Object.getPrototypeOf(import.meta))',
            'Object.keys(import.meta).join()',
            'typeof import.meta',
          ]),
        );
      }
      case 'dyn':
        return this.dynStatement(ctx, tag, false);
      case 'klass': {
        this.features.add('class:static-this-name');
        const read = hasRefs ? `__v(() => ${rng.pick(ctx.refs).expr})` : '"-"';
        return (
          `class K${tag.replace(/\W/g, '_')} { static { __log.push(${q(`${tag} `)} + this.name + " " + ` +
          `${read}); } }`
        );
      }
      default:
        throw new Error(`unknown statement kind ${kind}`);
    }
  }

  private namespaceStatement(ctx: BodyContext, log: (expr: string) => string): string {
    const rng = this.rng;
    const ns = rng.pick(ctx.namespaces);
    const names = this.plans.has(ns.from) ? this.model.exportedNames(ns.from) : [];
    const key = names.length > 0 && rng.chance(0.85) ? rng.pick(names) : rng.pick(['zz', 'default', 'then']);
    const kind = this.plans.has(ns.from) ? this.model.kindOf(ns.from, key) : null;
    if (kind !== null && LEXICAL.has(kind) && this.sameScc(ctx.builder.plan.name, this.model.originOf(ns.from, key)))
      this.features.add('tdz:namespace');
    const k = q(key);
    const form = rng.weighted({
      get: 6,
      whole: 2,
      in: 1,
      keys: 1,
      ownKeys: 1,
      set: 1,
      del: 1,
      desc: 1,
      has: 1,
      frozen: 1,
      tag: 1,
      proto: 1,
    });
    if (form !== 'get' && form !== 'whole') this.features.add('namespace:ops');
    switch (form) {
      case 'get':
        return log(`__fmt(${ns.alias}[${k}])`);
      case 'whole':
        return log(`__fmt(${ns.alias})`);
      case 'in':
        return log(`String(${k} in ${ns.alias})`);
      case 'keys':
        return log(`Object.keys(${ns.alias}).join()`);
      case 'ownKeys':
        return log(`Reflect.ownKeys(${ns.alias}).length`);
      case 'set':
        return log(`String(${ns.alias}[${k}] = 5)`);
      case 'del':
        return log(`String(delete ${ns.alias}[${k}])`);
      case 'desc':
        return log(`JSON.stringify(Object.getOwnPropertyDescriptor(${ns.alias}, ${k}))`);
      case 'has':
        return log(`String(Object.prototype.hasOwnProperty.call(${ns.alias}, ${k}))`);
      case 'frozen':
        return log(
          `String([Object.isFrozen(${ns.alias}), Object.isSealed(${ns.alias}), Object.isExtensible(${ns.alias})])`,
        );
      case 'tag':
        return log(`${ns.alias}[Symbol.toStringTag]`);
      default:
        return log(`String(Object.getPrototypeOf(${ns.alias}))`);
    }
  }

  private dynStatement(ctx: BodyContext, tag: string, awaited: boolean): string {
    const rng = this.rng;
    const m = ctx.builder.plan.name;
    const choices: string[] = [...this.staticNames, ...this.dynNames, m];
    if (rng.chance(0.1)) choices.push('nope');
    if (this.badText !== null || rng.chance(0.05)) {
      if (this.badText === null) this.makeBad();
      choices.push('bad');
    }
    // Awaiting the import of a module that (statically) depends on the importer deadlocks: legal,
    // and kept now and then, but mostly steered around so that the rest of the graph runs.
    const live = choices.filter((t) => !(this.closures.get(t)?.has(m) ?? false));
    const target = rng.pick(awaited && live.length > 0 && rng.chance(0.9) ? live : choices);
    if (target === 'nope') this.features.add('dyn:missing');
    if (target === 'bad') this.features.add('dyn:parse-error');
    if (this.dynNames.includes(target)) this.features.add('dyn:only-module');
    // Starting an import synchronously is only order-independent for modules whose evaluation has
    // already begun when this code runs: the importer's own static dependencies (see runtime.ts).
    const immediate = this.closures.get(m)!.has(target) && rng.chance(0.5);
    this.features.add(immediate ? 'dyn:immediate' : 'dyn:deferred');
    const delay = immediate ? -1 : rng.range(0, 5);
    const call = `__dyn(${q(`${tag} import(${target})`)}, () => import(${q(target)}), ${delay}`;
    if (!awaited) return `${call});`;
    this.features.add('dyn:awaited');
    if (rng.chance(0.3)) {
      this.features.add('dyn:rethrow');
      return `await ${call}, true);`;
    }
    const names = this.plans.has(target) ? this.model.exportedNames(target) : [];
    const key = names.length > 0 ? rng.pick(names) : 'default';
    const v = `dn${tag.replace(/\W/g, '_')}`;
    return `const ${v} = await ${call}); __log.push(${q(`${tag} got `)} + __v(() => ${v}[${q(key)}]));`;
  }

  private awaitStatement(ctx: BodyContext, tag: string): string {
    const rng = this.rng;
    const kind = rng.weighted({
      resolved: 3,
      timer: 5,
      thenable: 2,
      slow: 1,
      rejectCaught: 2,
      all: 1,
      forAwait: 1,
      block: 1,
      iife: 1,
      dyn: 2,
    });
    const before = `__log.push(${q(`${tag} await`)}); `;
    const after = ` __log.push(${q(`${tag} resumed`)});`;
    const d = (): number => rng.range(0, 5);
    switch (kind) {
      case 'resolved':
        this.features.add('tla:resolved');
        return `${before}await ${rng.pick(['0', 'null', 'undefined', 'Promise.resolve(1)', '"s"'])};${after}`;
      case 'timer':
        this.features.add('tla:timer');
        return `${before}await __delay(${d()});${after}`;
      case 'thenable':
        this.features.add('tla:thenable');
        return `${before}await __thenable(1);${after}`;
      case 'slow':
        this.features.add('tla:slow-thenable');
        return `${before}await __slowThenable(${d()}, 1);${after}`;
      case 'rejectCaught':
        this.features.add('tla:reject-caught');
        return (
          `${before}try { await __reject(${d()}, ${q(tag)}); } catch (e) { __log.push(${q(`${tag} caught `)} ` +
          `+ __err(e)); }`
        );
      case 'all':
        this.features.add('tla:all');
        return `${before}await Promise.all([__delay(${d()}), __delay(${d()})]);${after}`;
      case 'forAwait':
        this.features.add('tla:for-await');
        return `for await (const v of [__delay(${d()}, 1), 2]) __log.push(${q(`${tag} for-await `)} + v);`;
      case 'block':
        this.features.add('tla:block');
        return rng.chance(0.5)
          ? `{ ${before}await __delay(${d()});${after} }`
          : `if (__log) { ${before}await 0;${after} }`;
      case 'iife':
        this.features.add('tla:async-iife');
        return `${before}await (async () => { await 0; __log.push(${q(`${tag} inner`)}); })();${after}`;
      default:
        return this.dynStatement(ctx, tag, true);
    }
  }

  private throwStatement(ctx: BodyContext, tag: string): string {
    if (ctx.builder.plan.tla && this.rng.chance(0.4)) {
      this.features.add('tla:reject-uncaught');
      return `__log.push(${q(`${tag} await reject`)}); await __reject(${this.rng.range(0, 4)}, ${q(tag)});`;
    }
    this.features.add(ctx.awaited ? 'throw:after-await' : 'throw:sync');
    return `__log.push(${q(`${tag} throw`)}); throw new __E(${q(tag)});`;
  }
}

interface BodyContext {
  readonly builder: Builder;
  readonly refs: Ref[];
  readonly namespaces: { alias: string; from: string }[];
  readonly declared: Set<string>;
  awaited: boolean;
}

function renderDecl(d: Decl): string {
  const from = q(d.from);
  switch (d.kind) {
    case 'import-named':
      return `import { ${exportName(d.imported)} as ${d.alias} } from ${from};`;
    case 'import-default':
      return `import ${d.alias} from ${from};`;
    case 'import-ns':
      return `import * as ${d.alias} from ${from};`;
    case 'import-bare':
      return `import ${from};`;
    case 'reexport':
      return d.imported === d.as
        ? `export { ${exportName(d.imported)} } from ${from};`
        : `export { ${exportName(d.imported)} as ${exportName(d.as)} } from ${from};`;
    case 'star':
      return `export * from ${from};`;
    case 'star-as':
      return `export * as ${exportName(d.as)} from ${from};`;
    case 'reexport-ns':
      // One line, the export list first: its request still ends the line (invariants.ts, known.ts).
      return (
        `export { ${d.alias === d.as ? d.alias : `${d.alias} as ${exportName(d.as)}`} }; ` +
        `import * as ${d.alias} from ${from};`
      );
  }
}
