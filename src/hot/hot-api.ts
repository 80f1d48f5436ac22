/**
 * The public shape of `import.meta.hot` (Vite's `ViteHotContext`, as modhost implements it in
 * ./context.ts). ./import-meta.ts puts it on `ImportMeta` for projects that opt in.
 */

/** A module namespace as an accept callback receives it. */
export type ImportMetaHotNamespace = Record<string, unknown>;

/** `import.meta.hot` (Vite's HMR API; docs/api.md, `HotContext`). */
export interface ImportMetaHot {
  /** Kept across the replacements of this module: pass state from one version to the next. */
  readonly data: Record<string, unknown>;
  /** This module accepts updates of itself (it is evaluated again; its importers are relinked). */
  accept(callback?: (next: ImportMetaHotNamespace | undefined) => void): void;
  /** This module accepts updates of `dep` (a specifier as in its imports): it is relinked, not re-run. */
  accept(dep: string, callback?: (next: ImportMetaHotNamespace | undefined) => void): void;
  /** The same for several dependencies; `undefined` for those the update did not change. */
  accept(deps: readonly string[], callback?: (next: (ImportMetaHotNamespace | undefined)[]) => void): void;
  /** Accepts updates of itself as long as importers use no export but `names`. */
  acceptExports(names: string | readonly string[], callback?: (next: ImportMetaHotNamespace | undefined) => void): void;
  /** Called before this instance is replaced (or the program reloaded): clean up side effects. */
  dispose(callback: (data: Record<string, unknown>) => unknown): void;
  /** Called when no module imports this one any more after an update. */
  prune(callback: (data: Record<string, unknown>) => unknown): void;
  /** A change to this module is a full reload. */
  decline(): void;
  /** Propagates the current update to this module's importers, as if it did not accept itself. */
  invalidate(message?: string): void;
  /** Listens to an HMR event (`modhost:beforeUpdate`, …, also named `vite:…`) or a custom one. */
  on(event: string, callback: (payload: unknown) => void): void;
  /** Removes a listener registered with `on`. */
  off(event: string, callback: (payload: unknown) => void): void;
  /** Sends a custom event to the `on` listeners of every module of the host. */
  send(event: string, data?: unknown): void;
}
