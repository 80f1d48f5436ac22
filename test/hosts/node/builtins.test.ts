/** Built-in module names, checked against Node's own `isBuiltin` and `builtinModules`. */
import assert from 'node:assert/strict';
import { builtinModules, isBuiltin } from 'node:module';
import { test } from 'node:test';
import {
  BARE_BUILTIN_MODULES,
  isBareBuiltin,
  isBuiltinSpecifier,
  SCHEME_ONLY_BUILTIN_MODULES,
} from '../../../src/hosts/node/builtins.js';

test('every name in builtinModules is a built-in, bare unless listed with node: (Node 23.5+)', () => {
  let bare = 0;
  for (const name of builtinModules) {
    if (name.startsWith('node:')) {
      const short = name.slice('node:'.length);
      assert.equal(SCHEME_ONLY_BUILTIN_MODULES.has(short), true, name);
      assert.equal(isBareBuiltin(short), false, name);
      assert.equal(isBuiltinSpecifier(name), true, name);
      continue;
    }
    bare++;
    assert.equal(isBareBuiltin(name), true, name);
    assert.equal(isBuiltinSpecifier(name), true, name);
    assert.equal(isBuiltinSpecifier(`node:${name}`), true, `node:${name}`);
  }
  assert.equal(BARE_BUILTIN_MODULES.size, bare);
});

test('scheme-only built-ins exist only with node:', () => {
  assert.ok(SCHEME_ONLY_BUILTIN_MODULES.has('test'), 'node:test is scheme-only on every supported Node');
  for (const name of SCHEME_ONLY_BUILTIN_MODULES) {
    assert.equal(isBareBuiltin(name), false, name);
    assert.equal(isBuiltinSpecifier(name), false, name);
    assert.equal(isBuiltinSpecifier(`node:${name}`), true, `node:${name}`);
  }
});

test('agrees with Node isBuiltin on ids with and without the scheme', () => {
  const ids = [
    'fs',
    'node:fs',
    'fs/promises',
    'node:fs/promises',
    'test',
    'node:test',
    'node:test/reporters',
    'sea',
    'node:sea',
    'sqlite',
    'node:sqlite',
    'ffi',
    'node:ffi',
    'quic',
    'node:quic',
    'nope',
    'node:nope',
    'node:',
    '',
    'FS',
    'node:FS',
    'fs/',
    '_http_agent',
    'node:_http_agent',
    'internal/url',
  ];
  for (const id of ids) assert.equal(isBuiltinSpecifier(id), isBuiltin(id), id);
});

test('node: names are never bare built-ins', () => {
  assert.equal(isBareBuiltin('node:fs'), false);
  assert.equal(isBareBuiltin(''), false);
});
