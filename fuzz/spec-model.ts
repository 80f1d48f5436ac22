/**
 * A second opinion where V8 is a known-unreliable oracle (the export-resolution zones of
 * known.ts): the fuzzer's own model of GetExportedNames / ResolveExport (model.ts, written from
 * ECMA-262 16.2.1.7.2) applied to the module texts. It predicts only two things about the entry:
 * whether linking fails (an unresolvable or ambiguous import or re-export), and otherwise the
 * namespace's keys. It has no opinion when a graph has load or parse errors it cannot see.
 */
import type { Outcome } from './engine.js';
import type { FuzzGraph } from './graph.js';
import { type Decl, ExportModel, type ModulePlan } from './model.js';

/** What the model says linking and the entry namespace should give. */
export type Prediction =
  | { readonly kind: 'link-error' }
  | { readonly kind: 'namespace'; readonly keys: readonly string[] };

const NAME = String.raw`(?:[\w$]+|"[^"]*")`;
const unquote = (n: string): string => (n.startsWith('"') ? (JSON.parse(n) as string) : n);

/** Builds model plans from the generated syntax; null when a module uses a form it does not know. */
function plansOf(graph: FuzzGraph): Map<string, ModulePlan> | null {
  const plans = new Map<string, ModulePlan>();
  for (const module of graph.modules) {
    const plan: ModulePlan = {
      name: module.name,
      dynOnly: false,
      tla: false,
      localExports: new Map(),
      bindingKinds: new Map(),
      decls: [],
      exportNames: new Set(),
    };
    const declared = new Set<string>();
    const exportLists: [string, string][] = [];
    for (const line of module.lines) {
      let m: RegExpExecArray | null;
      for (const d of line.matchAll(/^(?:export )?(?:let|const|var|class|function\*?|async function\*?) ([\w$]+)/g))
        declared.add(d[1]!);
      if ((m = /^export default (?:async )?(?:function\*?|class) ([\w$]+)/.exec(line))) {
        plan.localExports.set('default', m[1]!);
        declared.add(m[1]!);
      } else if (/^export default /.test(line)) plan.localExports.set('default', '*default*');
      if ((m = /^export (?:let|const|var|class|function\*?|async function\*?) ([\w$]+)/.exec(line)))
        plan.localExports.set(m[1]!, m[1]!);
      if ((m = /^export \* from "([^"]+)";/.exec(line))) plan.decls.push({ kind: 'star', from: m[1]! });
      if ((m = new RegExp(`^export \\* as (${NAME}) from "([^"]+)";`).exec(line)))
        plan.decls.push({ kind: 'star-as', from: m[2]!, as: unquote(m[1]!) });
      if (
        (m = new RegExp(`^export \\{ ([\\w$]+)(?: as (${NAME}))? \\}; import \\* as \\1 from "([^"]+)";$`).exec(line))
      ) {
        // A re-exported namespace import: the indirect ~namespace~ entry (tc39/ecma262#3715).
        plan.decls.push({ kind: 'reexport-ns', from: m[3]!, alias: m[1]!, as: unquote(m[2] ?? m[1]!) });
        declared.add(m[1]!);
        continue;
      }
      if ((m = /^export \{([^}]*)\} from "([^"]+)";/.exec(line))) {
        for (const spec of m[1]!.split(',')) {
          const s = new RegExp(`^\\s*(${NAME})(?: as (${NAME}))?\\s*$`).exec(spec);
          if (s === null) return null;
          plan.decls.push({ kind: 'reexport', from: m[2]!, imported: unquote(s[1]!), as: unquote(s[2] ?? s[1]!) });
        }
      } else if ((m = /^export \{([^}]*)\};/.exec(line))) {
        for (const spec of m[1]!.split(',')) {
          const s = new RegExp(`^\\s*([\\w$]+)(?: as (${NAME}))?\\s*$`).exec(spec);
          if (s === null) return null;
          exportLists.push([s[1]!, unquote(s[2] ?? s[1]!)]);
        }
      }
      if ((m = new RegExp(`^import \\{ (${NAME}) as ([\\w$]+) \\} from "([^"]+)";`).exec(line))) {
        plan.decls.push({ kind: 'import-named', from: m[3]!, imported: unquote(m[1]!), alias: m[2]! });
        declared.add(m[2]!);
      } else if ((m = /^import ([\w$]+) from "([^"]+)";/.exec(line))) {
        plan.decls.push({ kind: 'import-default', from: m[2]!, alias: m[1]! });
        declared.add(m[1]!);
      } else if ((m = /^import \* as ([\w$]+) from "([^"]+)";/.exec(line))) {
        plan.decls.push({ kind: 'import-ns', from: m[2]!, alias: m[1]! });
        declared.add(m[1]!);
      } else if ((m = /^import "([^"]+)";/.exec(line))) plan.decls.push({ kind: 'import-bare', from: m[1]! });
      else if (/^import\b/.test(line)) return null;
    }
    for (const [local, exported] of exportLists) {
      // Re-exporting an import, or exporting an undeclared name (an early error), is out of scope.
      if (!declared.has(local) || plan.decls.some((d) => 'alias' in d && d.alias === local)) return null;
      plan.localExports.set(exported, local);
    }
    plans.set(module.name, plan);
  }
  return plans;
}

/** What linking and the entry namespace should look like, or null (no opinion). */
export function predictEntry(graph: FuzzGraph): Prediction | null {
  const plans = plansOf(graph);
  if (plans === null) return null;
  const model = new ExportModel(plans);
  const closure = new Set<string>();
  const todo = [graph.entry];
  while (todo.length > 0) {
    const name = todo.pop()!;
    if (closure.has(name)) continue;
    const plan = plans.get(name);
    // A missing or unparseable module fails the load before linking: not this model's business.
    if (plan === undefined || name === 'bad') return null;
    closure.add(name);
    todo.push(...plan.decls.map((d: Decl) => d.from));
  }
  for (const name of closure) {
    for (const d of plans.get(name)!.decls) {
      const wanted =
        d.kind === 'import-named' || d.kind === 'reexport'
          ? d.imported
          : d.kind === 'import-default'
            ? 'default'
            : null;
      if (wanted === null) continue;
      const r = model.resolve(d.from, wanted);
      if (r === null || r === 'ambiguous') return { kind: 'link-error' };
    }
  }
  return { kind: 'namespace', keys: model.resolvableNames(graph.entry).sort() };
}

/** Whether `outcome` (of either engine) matches the prediction. */
export function matchesPrediction(prediction: Prediction, outcome: Outcome): boolean {
  const linkError = outcome.entry.startsWith('throw SyntaxError') && !outcome.log.some((l) => !l.startsWith('~'));
  if (prediction.kind === 'link-error') return linkError;
  if (linkError) return false;
  if (outcome.entryKeys === null) return true;
  return JSON.stringify(outcome.entryKeys) === JSON.stringify(prediction.keys);
}
