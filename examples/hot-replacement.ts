/**
 * Hot module replacement with true rebinding: a host made with `hot: true` runs a small graph
 * written to a temporary folder; greet.js is edited and applied with `host.update(urls)`. app.js,
 * two levels above greet.js (through messages.js, which re-exports it), is not evaluated again,
 * keeps its state, and its import of `greet` reads the new function. A broken edit is refused
 * and the running version stays.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createNodeHost } from '../src/hosts/node/index.js'; // in a project: from 'modhost/node'

type Say = (line: string) => void;

/** greet.js accepts its own updates: only it is evaluated again, its importers are relinked. */
const greetWith = (greeting: string) =>
  `export const greet = (who) => '${greeting}, ' + who;\nif (import.meta.hot) import.meta.hot.accept();\n`;

export async function hotReplacement(say: Say): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-example-hot-'));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  const url = (name: string) => pathToFileURL(join(dir, name)).href;
  const names = (urls: string[]) => urls.map((u) => basename(u)).join(', ') || 'none';
  write('package.json', '{ "type": "module" }');
  write('greet.js', greetWith('hello'));
  write('messages.js', `export { greet } from './greet.js';\n`);
  write(
    'app.js',
    `import { greet } from './messages.js';
let calls = 0; // state: evaluating app.js again would reset it
export const welcome = (who) => greet(who) + ' (call ' + ++calls + ')';
`,
  );
  const host = createNodeHost({ hot: true });
  try {
    const app = await host.import<{ welcome(who: string): string }>(url('app.js'));
    say(`before: ${app.welcome('ada')}`);
    say(`before: ${app.welcome('ada')}`);

    write('greet.js', greetWith('bonjour'));
    const report = await host.update([url('greet.js')]);
    say(
      `update: changed ${names(report.changed)}; evaluated again ${names(report.updated)}; ` +
        `accepted by ${names(report.boundaries)}; full reload ${report.fullReload} (${report.duration.toFixed(1)} ms)`,
    );
    say(`after:  ${app.welcome('ada')}`); // the same app.js instance, the new greet

    write('greet.js', `export const greet = (who) => 'oops, ' + ;\n`);
    const broken = await host.update([url('greet.js')]);
    say(`broken edit: ${(broken.error as { code?: string } | undefined)?.code}, nothing applied`);
    say(`after:  ${app.welcome('ada')}`);
  } finally {
    host.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
