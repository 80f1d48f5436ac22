/**
 * Delta debugging of a diverging graph: repeatedly drop whole modules, chunks of lines (halving
 * the chunk size down to single lines, as in ddmin), and simplify what is left (delays to 0,
 * logging-only statements out), keeping each change only while the divergence persists.
 */
import { type FuzzGraph, type FuzzModule, graphSize } from './graph.js';

/** True when `graph` still shows the divergence being minimised. */
export type StillDiverges = (graph: FuzzGraph) => Promise<boolean>;

/** The smallest graph found that still diverges. */
export interface MinimiseResult {
  readonly graph: FuzzGraph;
  /** How many candidate graphs were run. */
  readonly checks: number;
}

/**
 * Shrinks `graph` while `stillDiverges` holds. `graph` itself must diverge. Stops after
 * `maxChecks` candidates (the result is then smaller but maybe not minimal).
 */
export async function minimiseGraph(
  graph: FuzzGraph,
  stillDiverges: StillDiverges,
  maxChecks = 3000,
): Promise<MinimiseResult> {
  let current = graph;
  let checks = 0;
  const attempt = async (candidate: FuzzGraph): Promise<boolean> => {
    if (checks >= maxChecks) return false;
    checks++;
    if (await stillDiverges(candidate)) {
      current = candidate;
      return true;
    }
    return false;
  };

  for (let round = 0; round < 20 && checks < maxChecks; round++) {
    const before = graphSize(current) + current.modules.length * 1000;
    // 1. Whole modules (never the entry).
    for (const module of current.modules.slice()) {
      if (module.name === current.entry) continue;
      await attempt({ ...current, modules: current.modules.filter((m) => m.name !== module.name) });
    }
    // 2. Chunks of lines, ddmin-style, module by module.
    for (const name of current.modules.map((m) => m.name)) {
      let chunk = Math.ceil(lengthOf(current, name) / 2);
      while (chunk >= 1 && checks < maxChecks) {
        for (let start = 0; start < lengthOf(current, name); ) {
          const lines = linesOf(current, name);
          const next = [...lines.slice(0, start), ...lines.slice(start + chunk)];
          if (!(await attempt(withLines(current, name, next)))) start += chunk;
        }
        chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2);
      }
    }
    // 3. Simplify single lines.
    for (const name of current.modules.map((m) => m.name)) {
      for (let i = 0; i < lengthOf(current, name); i++) {
        for (const simpler of simplifications(linesOf(current, name)[i]!)) {
          const lines = linesOf(current, name).slice();
          lines[i] = simpler;
          if (await attempt(withLines(current, name, lines))) break;
        }
      }
    }
    if (graphSize(current) + current.modules.length * 1000 === before) break;
  }
  return { graph: current, checks };
}

function linesOf(graph: FuzzGraph, name: string): readonly string[] {
  return graph.modules.find((m) => m.name === name)?.lines ?? [];
}

function lengthOf(graph: FuzzGraph, name: string): number {
  return linesOf(graph, name).length;
}

function withLines(graph: FuzzGraph, name: string, lines: readonly string[]): FuzzGraph {
  return { ...graph, modules: graph.modules.map((m): FuzzModule => (m.name === name ? { name, lines } : m)) };
}

/** Candidate simpler versions of one line, most aggressive first. */
export function simplifications(line: string): string[] {
  const out: string[] = [];
  // Timer lengths down to 0 (one at a time, so relative order can be kept where it matters).
  const timer = /(__delay|__reject|__slowThenable|__later)\((\d+)/g;
  for (let m = timer.exec(line); m !== null; m = timer.exec(line)) {
    const n = Number(m[2]);
    for (const smaller of n > 1 ? [0, n - 1] : n === 1 ? [0] : []) {
      out.push(`${line.slice(0, m.index)}${m[1]}(${smaller}${line.slice(m.index + m[0].length)}`);
    }
  }
  // Logging-only statements inside a line.
  const logCall = /__log\.push\("[^"\\]*"\);\s?/g;
  for (let m = logCall.exec(line); m !== null; m = logCall.exec(line)) {
    const shorter = (line.slice(0, m.index) + line.slice(m.index + m[0].length)).trim();
    if (shorter !== '') out.push(shorter);
  }
  // Reads inside log lines.
  const read = /__v\(\(\) => [\w$]+(\[[^\]]*\])?\)/g;
  for (let m = read.exec(line); m !== null; m = read.exec(line))
    out.push(`${line.slice(0, m.index)}"-"${line.slice(m.index + m[0].length)}`);
  return out.filter((s) => s !== line);
}
