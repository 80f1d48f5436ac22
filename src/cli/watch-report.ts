/**
 * One line per hot update, for `modhost run --watch` and the REPL's `.reload`: what changed, what
 * was evaluated again, who accepted it, how long it took — or why it could not be applied.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HotUpdateReport } from '../hot/index.js';
import { paint } from './output.js';

/** A module URL as the user knows it: a path relative to `cwd` for files. */
export function shownPath(url: string, cwd: string): string {
  if (!url.startsWith('file:')) return url;
  const path = relative(cwd, fileURLToPath(url));
  return path === '' ? '.' : path;
}

function list(urls: readonly string[], cwd: string): string {
  const shown = urls.map((url) => shownPath(url, cwd));
  return shown.length <= 4 ? shown.join(', ') : `${shown.slice(0, 3).join(', ')} and ${shown.length - 3} more`;
}

const ms = (duration: number): string => `${duration < 10 ? duration.toFixed(1) : Math.round(duration)} ms`;

/** The first line of an error's message, with its class. */
export function errorLine(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  return String(error);
}

/** Why an update is a full reload, with the file URLs it names shown as paths. */
export function shownReason(reason: string | undefined, cwd: string): string {
  if (reason === undefined) return 'no module accepts the update';
  return reason.replace(/file:\/\/[^\s)]+/g, (url) => shownPath(url, cwd));
}

/** The line for one update report (without a trailing newline). */
export function describeUpdate(report: HotUpdateReport, options: { cwd: string; colors: boolean }): string {
  const { cwd, colors } = options;
  if (report.changed.length === 0 && report.error === undefined) return 'no changes';
  const changed = report.changed.length === 0 ? '' : `${list(report.changed, cwd)} changed; `;
  if (report.error !== undefined && report.updated.length === 0) {
    return (
      `${paint(colors, '31', 'update failed')}: ${changed}${errorLine(report.error)}; the previous version ` +
      `keeps running`
    );
  }
  if (report.fullReload) {
    return `${paint(colors, '33', 'full reload')}: ${changed}${shownReason(report.reason, cwd)}`;
  }
  const accepted = report.boundaries.length === 0 ? '' : `, accepted by ${list(report.boundaries, cwd)}`;
  const pruned = report.pruned.length === 0 ? '' : `; pruned ${list(report.pruned, cwd)}`;
  const callbackError =
    report.error === undefined
      ? ''
      : `; ${paint(colors, '31', 'an accept callback threw')}: ${errorLine(report.error)}`;
  return (
    `${paint(colors, '32', 'hot update')}: ${changed}re-evaluated ` +
    `${list(report.updated, cwd)}${accepted}${pruned} (${ms(report.duration)})${callbackError}`
  );
}

export { ms as formatMilliseconds };
