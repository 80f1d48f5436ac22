/**
 * What a run reports: one record per graph (sent from the worker to the main process), and their
 * aggregation into the final summary.
 */
import { FEATURES } from './generate.js';

/** The result for one graph. */
export interface GraphRecord {
  readonly seed: number;
  readonly features: readonly string[];
  /** The oracle's entry outcome: "namespace", "throw <Class>" or "pending". */
  readonly entry: string;
  /** Error class names seen in the oracle's log, with counts. */
  readonly errors: Readonly<Record<string, number>>;
  readonly turns: number;
  readonly verdict: 'agree' | 'skipped' | 'divergence' | 'known';
  readonly corrected: boolean;
  /** What the engine was compared with: the V8 oracle, or the evaluation model (phase graphs). */
  readonly referee: string;
  readonly kind?: string;
  readonly detail?: string;
  readonly zones?: readonly string[];
}

/** A graph whose run ended the worker process (a V8 abort, or the engine's). */
export interface CrashRecord {
  readonly seed: number;
  readonly phase: string;
  readonly signal: string;
}

/** Aggregates graph records into the end-of-run report. */
export class Summary {
  graphs = 0;
  readonly featureCounts = new Map<string, number>(FEATURES.map((f) => [f, 0]));
  readonly entries = new Map<string, number>();
  readonly errors = new Map<string, number>();
  readonly divergences: GraphRecord[] = [];
  readonly known: GraphRecord[] = [];
  readonly crashes: CrashRecord[] = [];
  readonly skippedSeeds: number[] = [];
  skipped = 0;
  corrected = 0;
  /** Graphs compared with the evaluation model instead of V8 (import defer). */
  modelChecked = 0;
  turns = 0;
  maxTurns = 0;

  add(record: GraphRecord): void {
    this.graphs++;
    for (const f of record.features) this.featureCounts.set(f, (this.featureCounts.get(f) ?? 0) + 1);
    this.entries.set(record.entry, (this.entries.get(record.entry) ?? 0) + 1);
    for (const [k, n] of Object.entries(record.errors)) this.errors.set(k, (this.errors.get(k) ?? 0) + n);
    this.turns += record.turns;
    this.maxTurns = Math.max(this.maxTurns, record.turns);
    if (record.corrected) this.corrected++;
    if (record.referee === 'evaluation model' && record.verdict !== 'skipped') this.modelChecked++;
    if (record.verdict === 'skipped') {
      this.skipped++;
      this.skippedSeeds.push(record.seed);
    }
    if (record.verdict === 'divergence') this.divergences.push(record);
    if (record.verdict === 'known') this.known.push(record);
  }

  /** The report printed at the end of a run. */
  format(header: string, quiet: boolean): string {
    const out: string[] = [''];
    out.push(header);
    out.push(
      `divergences: ${this.divergences.length}; explained by known V8 deviations: ${this.known.length}; ` +
        `oracle aborts: ${this.crashes.length}; skipped (oracle artefacts): ${this.skipped}; ` +
        `oracle corrected for a known V8 deviation: ${this.corrected}; ` +
        `import defer graphs checked against the evaluation model: ${this.modelChecked}`,
    );
    const sorted = (m: Map<string, number>): string =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
    if (!quiet) {
      out.push(`entry outcomes (oracle): ${sorted(this.entries)}`);
      out.push(`errors seen in logs (oracle): ${sorted(this.errors)}`);
      out.push(
        `turns per graph: ${(this.turns / Math.max(1, this.graphs)).toFixed(1)} on average, ${this.maxTurns} at most`,
      );
      out.push('features (graphs exercising each):');
      const rows = [...this.featureCounts].map(([f, n]) => `${f} ${n}`);
      for (let i = 0; i < rows.length; i += 6) out.push(`  ${rows.slice(i, i + 6).join(' · ')}`);
      const missing = [...this.featureCounts].filter(([, n]) => n === 0).map(([f]) => f);
      if (missing.length > 0) out.push(`features never generated: ${missing.join(', ')}`);
    }
    for (const d of this.divergences)
      out.push(`  DIVERGENCE seed ${d.seed} (${d.kind}): ${(d.detail ?? '').slice(0, 300)}`);
    if (this.known.length > 0)
      out.push(`known V8 deviations: ${this.known.map((k) => `${k.seed} (${(k.zones ?? []).join('+')})`).join(', ')}`);
    if (this.skippedSeeds.length > 0)
      out.push(`skipped (Node vm artefact on the oracle side): seeds ${this.skippedSeeds.join(', ')}`);
    for (const c of this.crashes) out.push(`  process ended (${c.signal}) at seed ${c.seed} during ${c.phase}`);
    return out.join('\n');
  }
}
