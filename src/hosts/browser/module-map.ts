/**
 * The browser host's module map: one pending or settled Module per (URL, module type), as HTML's
 * module map keys JavaScript, JSON and text modules apart. Entries that settle stay; a failed one
 * is removed, so a later import tries again.
 */

/** Promises by key, created on first request and forgotten when they reject. */
export class PromiseMap<T> {
  private readonly entries = new Map<string, Promise<T>>();
  /** Values of the entries that settled successfully. */
  private readonly values = new Map<string, T>();

  /** The entry for `key`, created by `create` when there is none. */
  get(key: string, create: () => Promise<T>): Promise<T> {
    let pending = this.entries.get(key);
    if (pending !== undefined) return pending;
    pending = create();
    this.entries.set(key, pending);
    const settled = pending;
    settled.then(
      (value) => {
        if (this.entries.get(key) === settled) this.values.set(key, value);
      },
      () => {
        if (this.entries.get(key) === settled) this.entries.delete(key);
      },
    );
    return pending;
  }

  /** The value of `key`'s entry if it has settled successfully. */
  settled(key: string): T | undefined {
    return this.values.get(key);
  }

  /** Makes `value` the entry of `key` (undefined: forget `key`); hot updates replace modules. */
  replace(key: string, value: T | undefined): void {
    if (value === undefined) {
      this.entries.delete(key);
      this.values.delete(key);
      return;
    }
    this.entries.set(key, Promise.resolve(value));
    this.values.set(key, value);
  }

  /** The keys of the entries that settled successfully. */
  settledKeys(): IterableIterator<string> {
    return this.values.keys();
  }

  /** Whether `key` has an entry (pending or fulfilled). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Forgets every entry (a disposed host). */
  clear(): void {
    this.entries.clear();
    this.values.clear();
  }
}

/**
 * The module map key of `url` imported as `type`: a JavaScript module is keyed by its URL, a JSON
 * or text module by its URL too, but apart.
 */
export function moduleMapKey(url: string, type: string | undefined): string {
  return type === 'json' || type === 'text' ? `${type} ${url}` : url;
}

/** The URL and module type of a {@link moduleMapKey} (no type for a JavaScript module). */
export function parseModuleMapKey(key: string): { url: string; type: 'json' | 'text' | undefined } {
  if (key.startsWith('json ')) return { url: key.slice(5), type: 'json' };
  if (key.startsWith('text ')) return { url: key.slice(5), type: 'text' };
  return { url: key, type: undefined };
}
