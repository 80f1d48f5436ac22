/**
 * Running one graph through one engine, in a fresh FuzzRuntime, and recording what was observable.
 */
import { type FuzzGraph, type GraphTexts, renderTexts } from './graph.js';
import { FuzzRuntime, snapshotNamespace } from './runtime.js';

/**
 * An engine under comparison. `importEntry` builds fresh module instances (one per specifier) for
 * `texts`, imports `entry` and resolves to its namespace. Specifiers not in `texts` must fail to
 * load with a {@link LoadError}; import.meta.url must be `urlOf(name)`.
 */
export interface Engine {
  readonly name: string;
  /**
   * `note` records a condition under which the engine's own result is known to be unreliable
   * (used by the V8 oracle, see known.ts); a note is a known-deviation zone id.
   */
  importEntry(texts: GraphTexts, entry: string, note?: (zone: string) => void): Promise<unknown>;
}

/** What one run showed. Two correct engines produce equal outcomes for every graph. */
export interface Outcome {
  /** Every module's log lines, with `~N` where turn N of the fake event loop began. */
  readonly log: readonly string[];
  /** `ns {...}` (the entry namespace after the last turn), `throw <error>`, or `pending`. */
  readonly entry: string;
  /** The turn in which the entry's import settled (null: never). */
  readonly settledTurn: number | null;
  /** A Node `ERR_VM_*` code seen on the oracle side (the run is then not evidence). */
  readonly artefact: string | null;
  /** The turn budget ran out. */
  readonly hung: boolean;
  /**
   * Unhandled rejections with an `ERR_MODHOST_INTERNAL` code during the run: an engine invariant
   * failed inside a promise job (the affected promise then never settles).
   */
  readonly internal: readonly string[];
  /** The entry namespace's string keys, when the import succeeded. */
  readonly entryKeys: readonly string[] | null;
  /** Known-deviation zones the engine noted while running (see Engine.importEntry). */
  readonly notes: readonly string[];
}

/** Runs `graph` through `engine` in a fresh runtime. Never rejects. */
export async function runGraph(engine: Engine, graph: FuzzGraph): Promise<Outcome> {
  const texts = renderTexts(graph);
  const runtime = new FuzzRuntime();
  const restore = runtime.install();
  const internal: string[] = [];
  const notes: string[] = [];
  const onRejection = (reason: unknown): void => {
    const code = (reason as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODHOST_INTERNAL') internal.push(String((reason as Error).message));
  };
  process.on('unhandledRejection', onRejection);
  try {
    let result: { ok: boolean; value: unknown } | null = null;
    let settledTurn: number | null = null;
    let promise: Promise<unknown>;
    try {
      promise = engine.importEntry(texts, graph.entry, (zone) => {
        if (!notes.includes(zone)) notes.push(zone);
      });
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => {
        result = { ok: true, value };
        settledTurn = runtime.turn;
      },
      (error: unknown) => {
        result = { ok: false, value: error };
        settledTurn = runtime.turn;
      },
    );
    const finished = await runtime.drive();
    const settled = result as { ok: boolean; value: unknown } | null;
    const entry =
      settled === null
        ? 'pending'
        : settled.ok
          ? `ns ${snapshotNamespace(settled.value)}`
          : `throw ${runtime.err(settled.value)}`;
    const entryKeys =
      settled?.ok === true && settled.value !== null && typeof settled.value === 'object'
        ? Reflect.ownKeys(settled.value).filter((k): k is string => typeof k === 'string')
        : null;
    return {
      log: runtime.log.slice(),
      entry,
      settledTurn,
      artefact: runtime.artefact,
      hung: !finished,
      internal: [...runtime.internal, ...internal],
      entryKeys,
      notes,
    };
  } finally {
    process.off('unhandledRejection', onRejection);
    restore();
  }
}
