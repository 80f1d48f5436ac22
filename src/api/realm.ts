/**
 * The realm the public constructors use: the default host hooks (no host loading: modules get
 * their dependencies from importHook) and an evaluator based on indirect eval. Hosts (Node,
 * browser) build their own realms with `createRealm`.
 */
import { defaultHostHooks, type HostHooks, type Realm } from '../records/index.js';
import { canonicalModuleRecord, registerCanonicalModule } from './canonical.js';
import { moduleRecordOf } from './module.js';
import { moduleSourceFromRecord } from './module-source.js';

// biome-ignore lint/security/noGlobalEval: an evaluator's job is to run code as a global script
const indirectEval = globalThis.eval;

/** Evaluates compiled module code as a global, strict Script and returns its completion value. */
export function evaluateWithIndirectEval(code: string): unknown {
  return indirectEval(code);
}

export interface RealmOptions {
  hostHooks?: HostHooks;
  /** Turns compiled code (a Script's text) into its completion value; `url` names it for stack traces. */
  evaluator?: (code: string, url: string) => unknown;
  /** Hot replacement: the realm's modules record their importers (Realm.trackImporters). */
  trackImporters?: boolean;
}

/** Creates a realm for a host. Modules of one realm may import modules of another. */
export function createRealm(options: RealmOptions = {}): Realm {
  const realm: Realm = {
    hostHooks: options.hostHooks ?? defaultHostHooks,
    evaluator: options.evaluator ?? evaluateWithIndirectEval,
    moduleRecordOf,
    // ESM phase imports: `import(moduleSource)` in this realm's modules.
    moduleRecordOfSource: (value: unknown) => canonicalModuleRecord(value, realm, realm),
    // A host's module whose ModuleSource is made on first use (createModuleFromSourceRecord): a
    // fresh one, the canonical instance's source in this realm, as createModuleInRealm makes it.
    createModuleSourceObject(record) {
      const source = moduleSourceFromRecord(record.source);
      registerCanonicalModule(source, record, realm);
      return source;
    },
    trackImporters: options.trackImporters === true,
  };
  return realm;
}

export const defaultRealm: Realm = createRealm();
