/**
 * What the Node host follows of each Node release (src/hosts/node/node-release.ts): the release
 * table, and the running Node itself where a behaviour can be observed from here (the resolver,
 * like-node and interop tests observe the rest, against the running Node).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeBehaviourOf, parseNodeVersion, RUNNING_NODE } from '../../../src/hosts/node/node-release.js';

describe('node-release', () => {
  it('parses versions with and without the v', () => {
    assert.deepEqual(parseNodeVersion('v24.14.0'), [24, 14, 0]);
    assert.deepEqual(parseNodeVersion('22.18.1-pre'), [22, 18, 1]);
    assert.deepEqual(parseNodeVersion('nonsense'), [0, 0, 0]);
  });

  it('a change is in its own releases, the lines it was backported to from that release, and every newer line', () => {
    const slash = (version: string) => nodeBehaviourOf(version).slashSubpathImports;
    assert.deepEqual(['20.20.2', '22.23.5', '24.13.0', '24.14.0', '24.22.3', '25.3.0', '25.4.0', '26.0.0'].map(slash), [
      false,
      false,
      false,
      true,
      true,
      false,
      true,
      true,
    ]);
    const main = (version: string) => nodeBehaviourOf(version).importMetaMain;
    assert.deepEqual(['20.20.2', '22.17.1', '22.18.0', '23.11.0', '24.1.0', '24.2.0', '26.12.1'].map(main), [
      false,
      false,
      true,
      false,
      false,
      true,
      true,
    ]);
    const reader = (version: string) => nodeBehaviourOf(version).packageJsonReader;
    assert.deepEqual(['20.20.2', '21.1.0', '21.2.0', '22.0.0', '26.0.0'].map(reader), [
      'js',
      'js',
      'native',
      'native',
      'native',
    ]);
    const urls = (version: string) => nodeBehaviourOf(version).typeScriptCommonJSFileURLs;
    assert.deepEqual(['22.23.5', '24.18.0', '24.19.0', '26.0.0'].map(urls), [false, false, true, true]);
  });

  it('RUNNING_NODE is the Node that runs the tests', () => {
    assert.equal(RUNNING_NODE.version, process.versions.node);
    assert.deepEqual(RUNNING_NODE, nodeBehaviourOf(process.version));
  });

  it('import.meta.main: the running Node gives its own modules one exactly when the table says so', () => {
    // This test file is an ES module that Node itself loaded.
    assert.equal('main' in import.meta, RUNNING_NODE.importMetaMain);
  });
});
