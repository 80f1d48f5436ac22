/** How the CLI reports an uncaught error: name, code, message, location, code frame, stack. */
import { codeFrame, locationOf, OWN_DIST, paint, useColor } from './output.js';

export function formatUncaught(error: unknown, kind: 'Uncaught' | 'Unhandled rejection'): string {
  const color = useColor(process.stderr);
  if (typeof error !== 'object' || error === null) {
    return `${paint(color, '31', kind)}: ${String(error)}\n`;
  }
  const e = error as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' ? ` [${e.code}]` : '';
  const lines = [`${paint(color, '31;1', `${kind} ${name}${code}`)}: ${String(e.message ?? '')}`];
  const location = locationOf(error);
  if (location !== undefined) {
    lines.push(`    at ${location.url}:${location.line}:${location.column}`);
    const frame = codeFrame(location, color);
    if (frame !== undefined) lines.push('', frame, '');
  }
  if (typeof e.stack === 'string') {
    const all = e.stack.split('\n').filter((l) => /^\s+at /.test(l));
    // modhost's own frames (linking, hooks) are noise in a report about the user's program.
    // A link error has no user frames at all: its code frame above already shows the import.
    const frames = OWN_DIST === '' ? all : all.filter((l) => !l.includes(OWN_DIST));
    if (frames.length > 0) lines.push(paint(color, '2', frames.join('\n')));
  }
  return `${lines.join('\n')}\n`;
}
