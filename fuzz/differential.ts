/**
 * One differential check (engine under test vs oracle on one graph) and the reproduction record
 * written for a divergence.
 */
import { compareOutcomes, type Divergence } from './compare.js';
import { type Engine, type Outcome, runGraph } from './engine.js';
import { hasPhaseSyntax, modelOutcome } from './evaluation-model.js';
import { type FuzzGraph, renderTexts } from './graph.js';
import { brokenInvariant } from './invariants.js';
import { correctOracle, oracleZones } from './known.js';
import { minimiseGraph } from './minimise.js';
import { matchesPrediction, predictEntry } from './spec-model.js';

/** Both outcomes of one graph and how they compare. */
export interface CheckResult {
  readonly actual: Outcome;
  readonly expected: Outcome;
  /** Null when the outcomes agree or when the oracle run is not evidence (see `skipped`). */
  readonly divergence: Divergence | null;
  /** The oracle hit a Node vm artefact (ERR_VM_*), so the graph proves nothing either way. */
  readonly skipped: boolean;
  /** Known V8 deviations corrected in `expected` (see known.ts). */
  readonly corrected: readonly string[];
}

/** Options of checkGraph. */
export interface CheckOptions {
  /**
   * Replace known V8 deviations in the oracle's outcome by the spec's answer (default true).
   * Off when the engine under test is V8 itself (the harness self-check).
   */
  readonly correctOracle?: boolean;
}

/** Runs `graph` through both engines (each in a fresh state) and compares. */
export async function checkGraph(
  engine: Engine,
  oracle: Engine,
  graph: FuzzGraph,
  options: CheckOptions = {},
): Promise<CheckResult> {
  if (hasPhaseSyntax(graph)) return checkPhaseGraph(engine, graph);
  const actual = await runGraph(engine, graph);
  const raw = await runGraph(oracle, graph);
  if (raw.artefact !== null) return { actual, expected: raw, divergence: null, skipped: true, corrected: [] };
  const { outcome: expected, applied } =
    options.correctOracle === false ? { outcome: raw, applied: [] } : correctOracle(graph, raw);
  return { actual, expected, divergence: compareOutcomes(actual, expected), skipped: false, corrected: applied };
}

/**
 * A graph with import phase syntax, which V8 in Node 20 cannot parse: the engine is compared with
 * the fuzzer's evaluation model (evaluation-model.ts) instead. Skipped when the model has no
 * opinion (a form it does not know) or when the engine under test is V8 itself.
 */
async function checkPhaseGraph(engine: Engine, graph: FuzzGraph): Promise<CheckResult> {
  const actual = await runGraph(engine, graph);
  const expected = engine.name === 'v8' ? null : modelOutcome(graph);
  if (expected === null) return { actual, expected: actual, divergence: null, skipped: true, corrected: [] };
  return { actual, expected, divergence: compareOutcomes(actual, expected), skipped: false, corrected: [] };
}

/** The name of what `graph`'s outcome is compared with. */
export function refereeOf(graph: FuzzGraph, oracle: Engine): string {
  return hasPhaseSyntax(graph) ? 'evaluation model' : oracle.name;
}

/** A self-contained reproduction, as written to fuzz/repros/<seed>.json. */
export interface Repro {
  readonly seed: number;
  readonly engine: string;
  readonly oracle: string;
  readonly kind: string;
  readonly detail: string;
  /** The minimised graph: entry and module texts. */
  readonly entry: string;
  readonly modules: Record<string, string>;
  readonly outcomes: { readonly engine: Outcome; readonly oracle: Outcome };
  /** The graph as generated, before minimisation. */
  readonly original: { readonly entry: string; readonly modules: Record<string, string> };
  readonly checks: number;
  /** Known-V8-deviation zones the minimised graph is still in (see known.ts); empty: a real divergence. */
  readonly zones: readonly string[];
  /**
   * 'engine bug?' when the minimised graph is outside every zone, an invariant failed, or the
   * engine disagrees with the fuzzer's spec model of export resolution (spec-model.ts).
   */
  readonly verdict: 'engine bug?' | 'known V8 deviation';
  /** The spec model's view of the minimised graph (only consulted inside a zone). */
  readonly specModel: string;
  readonly command: string;
}

/**
 * Minimises a diverging graph, keeping the divergence's kind fixed, and builds its repro record.
 * `graph` must diverge (`first` is its check result).
 */
export async function reproduce(
  seed: number,
  engine: Engine,
  oracle: Engine,
  graph: FuzzGraph,
  first: CheckResult,
  maxChecks?: number,
  options: CheckOptions = {},
): Promise<Repro> {
  const kind = first.divergence!.kind;
  const { graph: small, checks } = await minimiseGraph(
    graph,
    async (candidate) => {
      if (brokenInvariant(candidate) !== null) return false;
      const r = await checkGraph(engine, oracle, candidate, options);
      return r.divergence !== null && r.divergence.kind === kind;
    },
    maxChecks,
  );
  const final = await checkGraph(engine, oracle, small, options);
  const zones = [...oracleZones(small), ...final.expected.notes];
  let specModel = 'not consulted';
  let engineMatchesModel = true;
  if (zones.length > 0) {
    const prediction = predictEntry(small);
    if (prediction === null) specModel = 'no opinion';
    else {
      engineMatchesModel = matchesPrediction(prediction, final.actual);
      const oracleMatches = matchesPrediction(prediction, final.expected);
      const said = prediction.kind === 'link-error' ? 'link error' : `namespace keys [${prediction.keys.join(',')}]`;
      specModel =
        `predicts ${said}: engine ${engineMatchesModel ? 'agrees' : 'DISAGREES'}, oracle ` +
        `${oracleMatches ? 'agrees' : 'disagrees'}`;
    }
  }
  return {
    seed,
    engine: engine.name,
    oracle: refereeOf(small, oracle),
    kind,
    detail: final.divergence?.detail ?? first.divergence!.detail,
    entry: small.entry,
    modules: { ...renderTexts(small) },
    outcomes: { engine: final.actual, oracle: final.expected },
    original: { entry: graph.entry, modules: { ...renderTexts(graph) } },
    checks,
    zones,
    verdict: zones.length === 0 || kind === 'internal' || !engineMatchesModel ? 'engine bug?' : 'known V8 deviation',
    specModel,
    command: `node --experimental-vm-modules dist/fuzz/main.js --seed ${seed} --count 1`,
  };
}

/** Turns module texts back into a graph (one line per text line), e.g. to replay a repro. */
export function graphFromTexts(entry: string, modules: Record<string, string>): FuzzGraph {
  return {
    entry,
    modules: Object.entries(modules).map(([name, text]) => ({ name, lines: text.replace(/\n$/, '').split('\n') })),
  };
}
