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
    assert.equal(table.size, 0);
  });
});
