/**
 * V8 as the oracle: runs an in-memory module graph through Node's vm.SourceTextModule (requires
 * `--experimental-vm-modules`) and through modhost, and returns what each observed, so a test
 * can assert they agree. Module code logs with `__log.push(...)`.
 */

import { importModule } from '../../src/index.js';
import { nativeModules } from '../native-modules.js';
import { graph, withLog } from './helpers.js';

export interface Outcome {
  log: unknown[];
  /** Namespace keys and primitive values (functions/objects shown by typeof). */
  namespace?: Record<string, unknown>;
  /** Constructor name of the error the import rejected with. */
  error?: string;
}

function snapshot(ns: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Reflect.ownKeys(ns)) {
    if (typeof key === 'symbol') continue;
    let value: unknown;
    try {
      value = ns[key];
    } catch (error) {
      value = `throws ${(error as Error).constructor.name}`;
    }
    out[key] =
      value !== null && (typeof value === 'object' || typeof value === 'function') ? `<${typeof value}>` : value;
  }
  return out;
}

/** Runs the graph natively. Settles after `settleTicks` extra macrotask turns so async logs land. */
export async function runNative(texts: Record<string, string>, entry: string): Promise<Outcome> {
  const get = nativeModules(texts, 'memory:/');
  const { log, restore } = withLog();
  const outcome: Outcome = { log };
  try {
    const m = get(entry);
    await m.link(get);
    await m.evaluate();
    outcome.namespace = snapshot(m.namespace);
  } catch (error) {
    outcome.error = (error as Error)?.constructor?.name ?? typeof error;
  }
  await new Promise((r) => setTimeout(r, 5));
  restore();
  return outcome;
}

/** Runs the graph through modhost. */
export async function runModhost(texts: Record<string, string>, entry: string): Promise<Outcome> {
  const { log, restore } = withLog();
  const g = graph(texts);
  const outcome: Outcome = { log };
  try {
    const ns = await importModule(g.get(entry));
    outcome.namespace = snapshot(ns);
  } catch (error) {
    outcome.error = (error as Error)?.constructor?.name ?? typeof error;
  }
  await new Promise((r) => setTimeout(r, 5));
  restore();
  return outcome;
}
