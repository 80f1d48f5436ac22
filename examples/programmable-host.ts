/**
 * A programmable host (`createNodeHost` from `modhost/node`): hooks that serve a module from
 * memory, forks that give fresh instances without parsing anything again, a mock that reaches a
 * module two levels below the entry (ES and CommonJS importers alike), `share`, and dispose.
 * The module files are in examples/programmable-host/.
 */
import { createNodeHost } from '../src/hosts/node/index.js'; // in a project: from 'modhost/node'

type Say = (line: string) => void;
type App = { report(): Promise<string> };
type Ids = { nextId(): number };

const here = new URL('../../examples/programmable-host/', import.meta.url).href;
const ms = (milliseconds: number) => (milliseconds === 0 ? '0 ms' : `${milliseconds.toFixed(1)} ms`);

export async function programmableHost(say: Say): Promise<void> {
  // 1. Hooks, in the shape of Node's module.registerHooks(): the specifier 'api' resolves to a URL
  //    that is not on disk, and the load hook answers for that URL with a text kept in memory.
  const host = createNodeHost({
    hooks: [
      {
        resolve(specifier, context, nextResolve) {
          if (specifier === 'api') return { url: 'memory:/api.js', shortCircuit: true };
          return nextResolve(specifier, context); // anything else: Node's resolution
        },
        load(url, context, nextLoad) {
          if (url === 'memory:/api.js') {
            const source = 'export const version = 2; export const greet = (who) => "hello from " + who;';
            return { format: 'module', source, shortCircuit: true };
          }
          return nextLoad(url, context); // anything else: read from disk
        },
      },
    ],
  });
  const plugin = await host.import<{ message: string }>('./plugins/hello.js', here);
  say(`plugin:  ${plugin.message}`);

  // 2. The host loads the app once (parsing each module), as a test runner's parent host would.
  await host.import<App>('./app/report.js', here);

  // 3. A fork per test: the same hooks, the sources the parent parsed, fresh instances. In the
  //    fork, mock app/db.js: its importers users.js (ES) and audit.cjs (CommonJS), one level
  //    above it and two below the entry report.js, get the mock without being touched.
  const test = host.fork();
  test.mock(
    './app/db.js',
    async (importOriginal) => ({
      ...(await importOriginal()), // the real module's exports (a separate instance)...
      name: 'an in-memory fake', // ...with these two replaced
      query: async () => [{ name: 'ada' }, { name: 'grace' }],
    }),
    { parentURL: here },
  );
  const app = await test.import<App>('./app/report.js', here);
  say(`mocked:  ${await app.report()}`);
  say(`parse and compile: parent ${ms(host.stats.compileMs)}, fork ${ms(test.stats.compileMs)}`);

  // 4. `share` picks modules whose instances a fork takes from its parent (here ids.js, which
  //    counts): the parent has handed out two ids; a sharing fork goes on, a plain fork starts anew.
  const ids = await host.import<Ids>('./app/ids.js', here);
  ids.nextId();
  ids.nextId();
  const sharing = host.fork({ share: (url) => url.endsWith('/ids.js') });
  const sharedNext = (await sharing.import<Ids>('./app/ids.js', here)).nextId();
  const plain = host.fork();
  const freshNext = (await plain.import<Ids>('./app/ids.js', here)).nextId();
  say(`ids.js:  next id in a fork that shares it ${sharedNext}, in one that does not ${freshNext}`);

  // 5. dispose() drops a host's instances, CommonJS cache, hooks and mocks; then it refuses work.
  test.dispose();
  const refused = await test.import('./app/ids.js', here).catch((error: { code?: string }) => error.code);
  say(`dispose: a later import rejects with ${refused}`);
  for (const other of [sharing, plain, host]) other.dispose();
}
