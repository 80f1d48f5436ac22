/** Runs every example (the README's first command): the API examples, then `modhost run` on an app. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { importHook } from './import-hook.js';
import { importPhases } from './import-phases.js';
import { inMemoryGraph } from './in-memory-graph.js';
import { isolatedInstances } from './isolated-instances.js';
import { mockedDependency } from './mocked-dependency.js';

const section = (title: string, lines: string[]) =>
  console.log(`\n== ${title}\n${lines.map((l) => `   ${l}`).join('\n')}`);

section('In-memory module graph (ModuleSource + Module + importHook, with a cycle)', await inMemoryGraph());
section('Mocked dependency (importHook hands out a fake module)', await mockedDependency());
section('Two isolated instances of one ModuleSource', await isolatedInstances());
section('The Import Hook proposal (new ModuleSource(text, handler), import(source))', await importHook());
section('Import phases, a virtual module source and a JSON source', await importPhases());

const cli = fileURLToPath(new URL('../cli/modhost.mjs', import.meta.url));
const app = fileURLToPath(new URL('../../examples/app/main.js', import.meta.url));
const result = spawnSync(process.execPath, [cli, 'run', '--no-cache', app], { encoding: 'utf8' });
section(`modhost run examples/app/main.js (exit ${result.status})`, (result.stdout + result.stderr).trim().split('\n'));
if (result.status !== 0) process.exitCode = 1;

// A CommonJS program (plain and define(...) modules), with --root for its top-level ids.
const cjsApp = fileURLToPath(new URL('../../examples/commonjs-app/', import.meta.url));
const cjsResult = spawnSync(
  process.execPath,
  [cli, 'run', '--no-cache', '--root', `${cjsApp}lib`, `${cjsApp}main.js`],
  { encoding: 'utf8' },
);
section(
  `modhost run --root examples/commonjs-app/lib examples/commonjs-app/main.js (exit ${cjsResult.status})`,
  (cjsResult.stdout + cjsResult.stderr).trim().split('\n'),
);
if (cjsResult.status !== 0) process.exitCode = 1;
