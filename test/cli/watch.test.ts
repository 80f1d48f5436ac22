/**
 * `modhost run --watch` driven as a process: edits applied while the program runs (accepted hot
 * updates, full reloads in a fresh host), errors in new code that leave it running, one line per
 * update, a clean end on SIGINT.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startCli } from './live-process.js';

function folder(files: Record<string, string>): { dir: string; write(name: string, text: string): void } {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-watch-'));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { dir, write };
}

/** Gives the watcher time to settle between edits (one save is one update). */
const pause = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('modhost run --watch', () => {
  it('applies accepted edits in place, reports errors in new code, re-runs when nothing accepts', async () => {
    const f = folder({
      'app.mjs': `import { message } from './message.mjs';
console.log('start ' + message());
if (import.meta.hot) {
  import.meta.hot.accept('./message.mjs', () => console.log('now ' + message()));
  import.meta.hot.dispose(() => console.log('app disposed'));
}
`,
      'message.mjs': `export const message = () => 'one';\n`,
    });
    const p = startCli(['run', '--watch', '--no-cache', 'app.mjs'], f.dir);
    try {
      await p.waitFor('stdout', /start one\n/);
      await pause();
      f.write('message.mjs', `export const message = () => 'two';\n`);
      await p.waitFor('stdout', /now two\n/);
      await p.waitFor('stderr', /hot update: message\.mjs changed; re-evaluated message\.mjs, accepted by app\.mjs \(/);
      await pause();
      // An error in the new code: reported with its location; the program keeps the old module.
      let mark = p.stderr().length;
      f.write('message.mjs', `export const message = () => ;\n`);
      await p.waitFor(
        'stderr',
        /update failed: message\.mjs changed; SyntaxError: .*the previous version keeps running/,
        mark,
      );
      await p.waitFor('stderr', /> 1 \| export const message = \(\) => ;/, mark);
      await pause();
      f.write('message.mjs', `export const message = () => 'three';\n`);
      await p.waitFor('stdout', /now three\n/);
      await pause();
      // The entry itself: nothing accepts it, so the program runs again in a fresh host.
      mark = p.stderr().length;
      f.write('app.mjs', `import { message } from './message.mjs';\nconsole.log('rerun ' + message());\n`);
      await p.waitFor('stdout', /app disposed\nrerun three\n/);
      await p.waitFor('stderr', /full reload: app\.mjs changed; .*re-ran app\.mjs in a fresh host/, mark);
      // Ctrl+C: a clean end.
      mark = p.stderr().length;
      p.child.kill('SIGINT');
      assert.equal(await p.exited(), 0);
      assert.equal(p.stderr().slice(mark), '');
    } finally {
      p.stop();
    }
  });

  it('an uncaught error of the program is reported and the watch goes on; a failed start waits for a fix', async () => {
    const f = folder({
      'main.mjs':
        `import { value } from './dep.mjs';\nconsole.log('value ' + value);\n` +
        `setTimeout(() => { throw new Error('later'); }, 10);\n`,
      'dep.mjs': `export const value = ;\n`,
    });
    const p = startCli(['run', '--watch', '--no-cache', 'main.mjs'], f.dir);
    try {
      await p.waitFor('stderr', /main\.mjs failed; waiting for changes/);
      await pause();
      f.write('dep.mjs', `export const value = 1;\n`);
      await p.waitFor('stdout', /value 1\n/);
      await p.waitFor('stderr', /Error: later/);
      assert.equal(p.child.exitCode, null, 'still running');
      p.child.kill('SIGINT');
      assert.equal(await p.exited(), 0);
    } finally {
      p.stop();
    }
  });

  it('CommonJS programs: an edited required file re-runs the program (nothing accepts it)', async () => {
    const f = folder({
      'main.cjs': `const { n } = require('./lib.cjs');\nconsole.log('n=' + n);\nsetInterval(() => {}, 1000);\n`,
      'lib.cjs': `exports.n = 1;\n`,
    });
    const p = startCli(['run', '--watch', '--no-cache', 'main.cjs'], f.dir);
    try {
      await p.waitFor('stdout', /n=1\n/);
      await pause();
      f.write('lib.cjs', 'exports.n = 2;\n');
      await p.waitFor('stdout', /n=2\n/);
      await p.waitFor('stderr', /full reload: lib\.cjs changed/);
      p.child.kill('SIGINT');
      assert.equal(await p.exited(), 0);
    } finally {
      p.stop();
    }
  });

  it('--hooks: the watched program gets its modules through the hook modules, re-runs included', async () => {
    const f = folder({
      'package.json': '{ "type": "module" }\n',
      'hooks.mjs': `export function resolve(specifier, context, next) {
  if (specifier !== 'virtual:tag') return next(specifier, context);
  return { url: 'virtual:tag', shortCircuit: true };
}
export function load(url, context, next) {
  if (url !== 'virtual:tag') return next(url, context);
  return { format: 'module', source: 'export default "hooked";', shortCircuit: true };
}\n`,
      'main.mjs': `import tag from 'virtual:tag';
import { n } from './n.mjs';
console.log(tag + n);
setInterval(() => {}, 1000);\n`,
      'n.mjs': 'export const n = 1;\n',
    });
    const p = startCli(['run', '--watch', '--no-cache', '--hooks', './hooks.mjs', 'main.mjs'], f.dir);
    try {
      await p.waitFor('stdout', /hooked1\n/);
      await pause();
      f.write('n.mjs', 'export const n = 2;\n');
      await p.waitFor('stdout', /hooked2\n/);
      p.child.kill('SIGINT');
      assert.equal(await p.exited(), 0);
    } finally {
      p.stop();
    }
  });
});
