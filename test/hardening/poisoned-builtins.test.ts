/**
 * Poisoned built-ins through the public API: module code that replaces or traps built-ins must
 * not change how modhost loads, links and evaluates other modules, nor the errors it reports.
 * Each poisoning runs in its own child process (poison-child.ts), so tests cannot poison each
 * other; every child must print exactly the unpoisoned outcome, written out here by hand.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./poison-child.js', import.meta.url));

function run(poisoning: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, poisoning], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The outcome without poisoning (ECMA-262 semantics of the graph in poison-child.ts). */
const EXPECTED = {
  entry: 'abL|meta|c|dyn',
  second: 'second:b',
  broken:
    "SyntaxError/ERR_MODHOST_UNRESOLVED_IMPORT/The requested module 'c' does not provide an export named " +
    "'missing' (imported by memory:/broken)",
  brokenIsSyntaxError: true,
  nonModule:
    "TypeError/ERR_MODHOST_INVALID_HOOK_RESULT/importHook for 'returns-42' (imported from memory:/nonModule) did " +
    'not fulfil with a Module or a module source (got number)',
  nonModuleIsTypeError: true,
  aborted: 'AbortError/ERR_MODHOST_ABORTED/The import was aborted',
};

/** Where a poisoning changes the outcome for a reason outside modhost, the outcome expected. */
const EXCEPTIONS: Record<string, Partial<typeof EXPECTED>> = {
  // The proposal resolves an importHook's result with PromiseResolve (LoadImportedModule step 7),
  // which reads `then` from every Module the hooks return: a throwing getter fails every load
  // with its error (a primitive result is not read), reported as the hook's failure. This is the
  // spec, and is in docs/SECURITY.md.
  'object-prototype-then': {
    entry:
      "threw Error/ERR_MODHOST_IMPORT_HOOK_FAILED/importHook failed for 'dyn' imported from memory:/entry: " +
      'poisoned get then was used',
    second:
      "threw Error/ERR_MODHOST_IMPORT_HOOK_FAILED/importHook failed for 'b' imported from memory:/second: " +
      'poisoned get then was used',
    broken:
      "Error/ERR_MODHOST_IMPORT_HOOK_FAILED/importHook failed for 'c' imported from memory:/broken: poisoned get " +
      'then was used',
    brokenIsSyntaxError: false,
  },
  // Node's own EventTarget assigns `next` on internal objects, so signal.addEventListener throws;
  // importModule then rejects with that error rather than loading without a working signal.
  'object-prototype-accessors': { aborted: 'Error/undefined/poisoned set next was used' },
};

const POISONINGS = [
  'none',
  'array-methods',
  'array-iterator',
  'array-index-setters',
  'object-prototype-accessors',
  'object-prototype-then',
  'promise-then',
  'function-call-apply-bind',
  'reflect',
  'proxy',
  'object-statics',
  'error-constructors',
  'collections-strings-regexps',
  'event-target',
];

describe('poisoned built-ins (public API, one child process per poisoning)', () => {
  // Started together: the children run in parallel (each takes ≈100 ms of CPU).
  const results = new Map(POISONINGS.map((p) => [p, run(p)] as const));
  for (const poisoning of POISONINGS) {
    it(`module code poisoning ${poisoning} changes nothing for other modules`, async () => {
      const r = await results.get(poisoning)!;
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), { ...EXPECTED, ...EXCEPTIONS[poisoning] });
    });
  }
});
