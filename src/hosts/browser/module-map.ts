/**
 * The browser host's module map: one pending or settled Module per (URL, module type), as HTML's
 * module map keys JavaScript, JSON and text modules apart. Entries that settle stay; a failed one
 * is removed, so a later import tries again.
 */

/** Promises by key, created on first request and forgotten when they reject. */
export class PromiseMap<T> {
  private readonly entries = new Map<string, Promise<T>>();

  /** The entry for `key`, created by `create` when there is none. */
  get(key: string, create: () => Promise<T>): Promise<T> {
    let pending = this.entries.get(key);
    if (pending !== undefined) return pending;
    pending = create();
    this.entries.set(key, pending);
    const settled = pending;
    settled.catch(() => {
      if (this.entries.get(key) === settled) this.entries.delete(key);
    });
    return pending;
  }

  /** Whether `key` has an entry (pending or fulfilled). */
  has(key: string): boolean {
    return this.entries.has(key);
  }
}

/**
 * The module map key of `url` imported as `type`: a JavaScript module is keyed by its URL, a JSON
 * or text module by its URL too, but apart.
 */
export function moduleMapKey(url: string, type: string | undefined): string {
  return type === 'json' || type === 'text' ? `${type} ${url}` : url;
}
