/**
 * Shared pieces of the hardening tests: an unhandled-rejection detector, a hang detector and
 * in-memory module graphs whose importHooks can be scripted per specifier.
 */

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Module } from '../../src/index.js';
import { graph } from '../api/helpers.js';

/**
 * Records every unhandled rejection and uncaught exception while the enclosing describe() runs
 * (in place of node:test's own listener, so that each is reported with its reason), and fails
 * the suite in after() if there was any.
 */
export function detectUnhandled(): { readonly seen: unknown[] } {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown): void => void seen.push(reason);
  let saved: NodeJS.UnhandledRejectionListener[] = [];
  before(() => {
    saved = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onRejection);
  });
  after(async () => {
    await turns(5);
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onRejection);
    for (const listener of saved) process.on('unhandledRejection', listener);
    assert.deepEqual(seen.map(String), [], 'unhandled rejections or uncaught exceptions');
  });
  return { seen };
}

/** Waits `n` macrotask turns (every microtask queued before runs first). */
export async function turns(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Fails with "hang" if `promise` has not settled within `ms`: no test may wait forever. */
export async function noHang<T>(promise: Promise<T>, ms = 5_000, label = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${label} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** The settled state of a promise after the current microtasks: for "still pending" checks. */
export async function stateOf(promise: Promise<unknown>): Promise<'pending' | 'fulfilled' | 'rejected'> {
  let state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  promise.then(
    () => (state = 'fulfilled'),
    () => (state = 'rejected'),
  );
  await turns(2);
  return state;
}

/** The rejection reason of `promise` (fails if it fulfils). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

/** What an importHook of a scripted graph does for one specifier. */
export type HookScript = (specifier: string, get: (name: string) => Module) => unknown;

export interface ScriptedGraph {
  get(name: string): Module;
  /** Every hook call, as `referrer->specifier`. */
  calls: string[];
  /** Replaces what the hooks do for one specifier (default: return the module of that name). */
  script: Map<string, HookScript>;
}

/** Modules named by bare specifiers; one Module per name, made on first request. */
export function scriptedGraph(texts: Record<string, string>): ScriptedGraph {
  const script = new Map<string, HookScript>();
  const { get, hookCalls } = graph(texts, {
    hook: (specifier, getModule) => {
      const scripted = script.get(specifier);
      return scripted ? scripted(specifier, getModule) : getModule(specifier);
    },
  });
  return { get, calls: hookCalls, script };
}

/** A log that module code reaches as globalThis.__log. */
export function moduleLog(): string[] {
  const log: string[] = [];
  (globalThis as Record<string, unknown>).__log = log;
  return log;
}
