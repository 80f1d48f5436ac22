/**
 * The Node host's module map: one Module per resolved URL, and apart from it one per URL imported
 * `with { type: 'text' }` (an attribute that selects another module is part of the key, as in
 * HTML's module map). A fresh host has a fresh map, hence fresh module instances.
 */
import type { Module } from '../../api/module.js';
import type { ImportAttributes } from './import-attributes.js';

export class ModuleMap {
  private readonly modules = new Map<string, Module>();

  /** The key of the module `url` imported with `attributes`. */
  static keyOf(url: string, attributes: ImportAttributes): string {
    return attributes.type === 'text' ? `text ${url}` : url;
  }

  get(key: string): Module | undefined {
    return this.modules.get(key);
  }

  set(key: string, module: Module): void {
    this.modules.set(key, module);
  }
}
