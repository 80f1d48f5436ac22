/**
 * The generator's own picture of a graph's exports: GetExportedNames and ResolveExport over the
 * plans (ECMA-262 16.2.1.6.2-3), so that the generator can pick import names that mostly resolve,
 * plant ambiguous and missing ones on purpose, and say which features a graph exercises. It only
 * steers generation: the engines are compared with each other, never with this model.
 */

export type BindingKind = 'let' | 'const' | 'var' | 'class' | 'function' | 'async' | 'generator' | 'asyncgen' | 'value';

/** Export-related declarations of one module. */
export type Decl =
  | { readonly kind: 'import-named'; readonly from: string; imported: string; readonly alias: string }
  | { readonly kind: 'import-default'; readonly from: string; readonly alias: string }
  | { readonly kind: 'import-ns'; readonly from: string; readonly alias: string }
  | { readonly kind: 'import-bare'; readonly from: string }
  | { readonly kind: 'reexport'; readonly from: string; imported: string; as: string }
  | { readonly kind: 'star'; readonly from: string }
  | { readonly kind: 'star-as'; readonly from: string; readonly as: string }
  /** `import * as alias from "m"; export { alias as as }` (a ~namespace~ re-export since tc39/ecma262#3715). */
  | { readonly kind: 'reexport-ns'; readonly from: string; readonly alias: string; readonly as: string };

/** The generator's plan of one module's bindings and export-related declarations. */
export interface ModulePlan {
  readonly name: string;
  readonly dynOnly: boolean;
  readonly tla: boolean;
  /** Export name → local binding name ("*default*" for `export default <expression>`). */
  readonly localExports: Map<string, string>;
  /** Local binding name → what kind of declaration made it. */
  readonly bindingKinds: Map<string, BindingKind>;
  readonly decls: Decl[];
  /** Every export name used so far (they must be unique within a module). */
  readonly exportNames: Set<string>;
}

/** ResolveExport's result: a binding, null (not found / circular), or ambiguous. */
export type Resolution = { readonly module: string; readonly binding: string } | 'ambiguous' | null;

/** The binding name of a namespace re-export (`export * as ns from`). */
export const NAMESPACE = '*namespace*';

/** GetExportedNames and ResolveExport over a set of plans (missing modules resolve nothing). */
export class ExportModel {
  constructor(private readonly plans: ReadonlyMap<string, ModulePlan>) {}

  /** GetExportedNames(exportStarSet). */
  exportedNames(module: string, starSet: Set<string> = new Set()): string[] {
    const plan = this.plans.get(module);
    if (plan === undefined || starSet.has(module)) return [];
    starSet.add(module);
    const names: string[] = [...plan.localExports.keys()];
    for (const d of plan.decls) {
      if ((d.kind === 'reexport' && d.imported !== '') || d.kind === 'star-as' || d.kind === 'reexport-ns')
        names.push(d.as);
    }
    for (const d of plan.decls) {
      if (d.kind !== 'star') continue;
      for (const n of this.exportedNames(d.from, starSet)) {
        if (n !== 'default' && !names.includes(n)) names.push(n);
      }
    }
    return names;
  }

  /** ResolveExport(exportName, resolveSet); resolveSet is shared by the whole recursion, as in the spec. */
  resolve(module: string, name: string, resolveSet: string[] = []): Resolution {
    const plan = this.plans.get(module);
    if (plan === undefined) return null;
    const key = `${module}\u0000${name}`;
    if (resolveSet.includes(key)) return null;
    resolveSet.push(key);
    const local = plan.localExports.get(name);
    if (local !== undefined) return { module, binding: local };
    for (const d of plan.decls) {
      if (d.kind === 'reexport' && d.imported !== '' && d.as === name)
        return this.resolve(d.from, d.imported, resolveSet);
      // 6.a.iii: both ways of re-exporting a namespace are the same indirect entry (tc39/ecma262#3715).
      if ((d.kind === 'star-as' || d.kind === 'reexport-ns') && d.as === name)
        return { module: d.from, binding: NAMESPACE };
    }
    if (name === 'default') return null;
    let found: { readonly module: string; readonly binding: string } | null = null;
    for (const d of plan.decls) {
      if (d.kind !== 'star') continue;
      const r = this.resolve(d.from, name, resolveSet);
      if (r === 'ambiguous') return 'ambiguous';
      if (r === null) continue;
      if (found === null) found = r;
      else if (found.module !== r.module || found.binding !== r.binding) return 'ambiguous';
    }
    return found;
  }

  /** Names that resolve to a binding (the namespace's keys). */
  resolvableNames(module: string): string[] {
    return this.exportedNames(module).filter((n) => {
      const r = this.resolve(module, n);
      return r !== null && r !== 'ambiguous';
    });
  }

  /** Names that star exports make ambiguous. */
  ambiguousNames(module: string): string[] {
    return this.exportedNames(module).filter((n) => this.resolve(module, n) === 'ambiguous');
  }

  /**
   * Names reached through two or more star exports that still resolve to one binding (the case
   * that is NOT ambiguous).
   */
  sameBindingStarNames(module: string): string[] {
    const plan = this.plans.get(module);
    if (plan === undefined) return [];
    const stars = plan.decls.filter((d) => d.kind === 'star');
    if (stars.length < 2) return [];
    const out: string[] = [];
    for (const n of this.exportedNames(module)) {
      if (plan.localExports.has(n) || n === 'default') continue;
      const via = stars.filter((d) => this.exportedNames(d.from).includes(n)).length;
      const r = this.resolve(module, n);
      if (via >= 2 && r !== null && r !== 'ambiguous') out.push(n);
    }
    return out;
  }

  /** The kind of the binding an export name of `module` resolves to. */
  kindOf(module: string, name: string): BindingKind | 'namespace' | null {
    const r = this.resolve(module, name);
    if (r === null || r === 'ambiguous') return null;
    if (r.binding === NAMESPACE) return 'namespace';
    return this.plans.get(r.module)?.bindingKinds.get(r.binding) ?? 'value';
  }

  /** The module that owns the binding an export name of `module` resolves to. */
  originOf(module: string, name: string): string | null {
    const r = this.resolve(module, name);
    return r === null || r === 'ambiguous' ? null : r.module;
  }
}
