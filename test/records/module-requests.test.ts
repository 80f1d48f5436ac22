/**
 * 16.2.1.3.1 ModuleRequestsEqual, and the request tables built on it ([[LoadedModules]],
 * [[LoadingModules]]).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ModuleRequestsEqual,
  RequestTableAppend,
  RequestTableCreate,
  RequestTableFind,
  RequestTableRemove,
  RequestTableReplace,
} from '../../src/records/module-requests.js';

const r = (specifier: string, attrs: Record<string, string> = {}) => ({
  specifier,
  attributes: Object.entries(attrs).map(([key, value]) => ({ key, value })),
});

describe('16.2.1.3.1 ModuleRequestsEqual', () => {
  it('step 1: different specifiers are different requests', () => {
    assert.equal(ModuleRequestsEqual(r('./a'), r('./b')), false);
    assert.equal(ModuleRequestsEqual(r('./a'), r('./a')), true);
  });
  it('step 6: different attribute counts are different requests', () => {
    assert.equal(ModuleRequestsEqual(r('./a', { type: 'json' }), r('./a')), false);
  });
  it('step 7: attributes compare as a set of (key, value) pairs, in any order', () => {
    assert.equal(ModuleRequestsEqual(r('./a', { type: 'json', x: '1' }), r('./a', { x: '1', type: 'json' })), true);
    assert.equal(ModuleRequestsEqual(r('./a', { type: 'json' }), r('./a', { type: 'css' })), false);
    assert.equal(ModuleRequestsEqual(r('./a', { type: 'json' }), r('./a', { kind: 'json' })), false);
  });
});

describe('request tables', () => {
  it('find by ModuleRequestsEqual, several attribute variants per specifier, remove by identity', () => {
    const table = RequestTableCreate<{
      specifier: string;
      attributes: { key: string; value: string }[];
      tag: string;
    }>();
    const plain = { ...r('./a'), tag: 'plain' };
    const json = { ...r('./a', { type: 'json' }), tag: 'json' };
    RequestTableAppend(table, plain);
    RequestTableAppend(table, json);
    assert.equal(RequestTableFind(table, r('./a'))?.tag, 'plain');
    assert.equal(RequestTableFind(table, r('./a', { type: 'json' }))?.tag, 'json');
    assert.equal(RequestTableFind(table, r('./a', { type: 'css' })), undefined);
    assert.equal(RequestTableFind(table, r('__proto__')), undefined);
    RequestTableRemove(table, plain);
    assert.equal(RequestTableFind(table, r('./a')), undefined);
    assert.equal(RequestTableFind(table, r('./a', { type: 'json' }))?.tag, 'json');
    RequestTableRemove(table, json);
    assert.equal(table.entries.length, 0);
  });

  it('a long table (indexed by specifier) finds, replaces and removes the same records as a short one', () => {
    type Entry = { specifier: string; attributes: { key: string; value: string }[]; tag: string };
    const table = RequestTableCreate<Entry>();
    const entries: Entry[] = [];
    for (let i = 0; i < 40; i++) {
      const entry = { ...r(`./m${i % 20}`, i < 20 ? {} : { type: 'json' }), tag: `e${i}` };
      entries.push(entry);
      RequestTableAppend(table, entry);
      // Every record appended so far is found, before and after the index exists.
      for (const [j, e] of entries.entries()) {
        assert.equal(RequestTableFind(table, r(e.specifier, j < 20 ? {} : { type: 'json' })), e);
      }
    }
    assert.notEqual(table.index, undefined);
    assert.equal(RequestTableFind(table, r('./m3', { type: 'css' })), undefined);
    assert.equal(RequestTableFind(table, r('__proto__')), undefined);
    const [m3, m23] = [entries[3], entries[23]];
    assert.ok(m3 !== undefined && m23 !== undefined);
    const replacement = { ...r('./m3', { type: 'json' }), tag: 'new' };
    RequestTableReplace(table, m23, replacement);
    assert.equal(RequestTableFind(table, r('./m3', { type: 'json' })), replacement);
    assert.equal(table.entries[23], replacement);
    RequestTableRemove(table, m3);
    assert.equal(RequestTableFind(table, r('./m3')), undefined);
    assert.equal(RequestTableFind(table, r('./m3', { type: 'json' })), replacement);
    assert.equal(table.entries.length, 39);
    assert.deepEqual(
      Array.prototype.slice.call(table.entries, 0, 4).map((e: Entry) => e.tag),
      ['e0', 'e1', 'e2', 'e4'],
    );
  });
});
