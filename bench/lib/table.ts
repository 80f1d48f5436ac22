/** Renders the rows as one Markdown table (the same text goes to the terminal and to docs/PERFORMANCE.md). */
import { pairedRatio, type Summary } from './stats.js';
import type { Cell, Row, Target } from './types.js';

/**
 * The table's column headers, in order; the quick test checks them. "no TLA": Endo's Compartment
 * cannot run modules with top-level await (no workload here needs it).
 */
export const COLUMNS = [
  'id',
  'workload',
  'unit',
  'baseline',
  'native',
  'modhost',
  'Endo (no TLA)',
  'modhost÷native',
  'Endo÷native',
  'modhost÷Endo',
  'target',
  'met',
] as const;

/** Three significant digits, without exponent notation for ordinary magnitudes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function spreadText(summary: Summary): string {
  if (summary.n < 2 || summary.median === 0) return '';
  return ` ±${Math.round((summary.mad / Math.abs(summary.median)) * 100)}%`;
}

function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return '–';
  if (cell.error !== undefined) return cell.error.replace(/\|/g, '/');
  if (cell.summary === undefined) return '–';
  return `${formatNumber(cell.summary.median)}${spreadText(cell.summary)}${cell.note ? ` (${cell.note})` : ''}`;
}

/** Median of the round-by-round ratios a÷b, or undefined when either side has no samples. */
export function ratioOf(a: Cell | undefined, b: Cell | undefined): Summary | undefined {
  if (a?.summary === undefined || b?.summary === undefined) return undefined;
  return pairedRatio(a.samples, b.samples);
}

function ratioText(ratio: Summary | undefined): string {
  if (ratio === undefined) return '–';
  return `${formatNumber(ratio.median)}×`;
}

/** The measured value a target is checked against, or undefined when it was not measured. */
export function targetValue(row: Row): number | undefined {
  const target = row.target;
  if (target === undefined) return undefined;
  if (target.ratio === 'modhost') return row.cells.modhost?.summary?.median;
  const other = target.ratio === 'modhost/native' ? row.cells.native : row.cells.endo;
  return ratioOf(row.cells.modhost, other)?.median;
}

function targetText(target: Target | undefined): string {
  if (target === undefined) return '';
  const op = target.op === '<=' ? '≤' : '≥';
  const what = target.ratio === 'modhost' ? 'modhost' : target.ratio === 'modhost/native' ? '÷native' : '÷Endo';
  return `${what} ${op} ${target.value}×`;
}

/** Whether the row meets its target: true, false, or undefined (no target or no value). */
export function targetMet(row: Row): boolean | undefined {
  const value = targetValue(row);
  if (row.target === undefined || value === undefined) return undefined;
  return row.target.op === '<=' ? value <= row.target.value : value >= row.target.value;
}

/** The whole table as Markdown. */
export function renderTable(rows: readonly Row[]): string {
  const lines = [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const met = targetMet(row);
    const cells = [
      row.id,
      row.label,
      row.unit,
      row.baseline,
      cellText(row.cells.native),
      cellText(row.cells.modhost),
      cellText(row.cells.endo),
      ratioText(ratioOf(row.cells.modhost, row.cells.native)),
      ratioText(ratioOf(row.cells.endo, row.cells.native)),
      ratioText(ratioOf(row.cells.modhost, row.cells.endo)),
      targetText(row.target),
      met === undefined ? (row.target ? 'n/a' : '') : met ? 'yes' : 'NO',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
