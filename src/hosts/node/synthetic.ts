/**
 * Modules without a ModuleSource (the proposal's note: `module.source` is null for them): Node
 * built-ins, JSON modules and, until the CommonJS runtime takes over, CommonJS files loaded by
 * Node's own require. Each is a Synthetic Module Record (ECMA-262 16.2.1.8) wrapped in a Module.
 */

import { type Module, moduleFromRecord } from '../../api/module.js';
import { createSyntheticModuleRecord, type Realm, SetSyntheticModuleExport } from '../../records/index.js';

/**
 * A Module whose exports are `default` plus `names`, evaluated by `getValues` at evaluation time
 * (so a throwing CommonJS body surfaces as an evaluation error, as in Node).
 */
export function syntheticModule(
  realm: Realm,
  url: string,
  names: readonly string[],
  getValues: () => { default: unknown; named: (name: string) => unknown },
): Module {
  const exportNames = ['default', ...names.filter((n) => n !== 'default')];
  const record = createSyntheticModuleRecord(
    exportNames,
    (module) => {
      const values = getValues();
      SetSyntheticModuleExport(module, 'default', values.default);
      for (const name of exportNames) {
        if (name !== 'default') SetSyntheticModuleExport(module, name, values.named(name));
      }
    },
    realm,
    { url },
  );
  return moduleFromRecord(record);
}
