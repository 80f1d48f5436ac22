/**
 * The Node host's module map: one Module per resolved URL, and apart from it one per URL imported
 * `with { type: 'text' }` (an attribute that selects another module is part of the key, as in
 * HTML's module map). A fresh host has a fresh map, hence fresh module instances; a fork's map
 * also holds the parent's Modules it shares. The map is the host's one record of which instance a
 * URL stands for: replacing an entry (hot module replacement) or dropping them all (dispose) are
 * operations on it.
 */
import type { Module } from '../../api/module.js';
import type { ImportAttributes } from './import-attributes.js';

export class ModuleMap {
  private readonly modules = new Map<string, Module>();

  /** The key of the module `url` imported with `attributes`. */
  static keyOf(url: string, attributes: ImportAttributes): string {
    return attributes.type === 'text' ? `text ${url}` : url;
  }

  /** The URL of a key, and whether it is the module of a text import. */
  static parseKey(key: string): { url: string; text: boolean } {
    return key.startsWith('text ') ? { url: key.slice(5), text: true } : { url: key, text: false };
  }

  get(key: string): Module | undefined {
    return this.modules.get(key);
  }

  set(key: string, module: Module): void {
    this.modules.set(key, module);
  }

  /** Forgets the module of `key` (the next import loads it again). */
  delete(key: string): boolean {
    return this.modules.delete(key);
  }

  /** The modules, in the order they were made. */
  values(): IterableIterator<Module> {
    return this.modules.values();
  }

  /** The keys, in the order their modules were made. */
  keys(): IterableIterator<string> {
    return this.modules.keys();
  }

  get size(): number {
    return this.modules.size;
  }

  /** Forgets every module (a disposed host). */
  clear(): void {
    this.modules.clear();
  }
}
