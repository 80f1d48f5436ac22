/**
 * `import(specifier, options)` in the Node host: CommonJS code (whose import() the host rewrites)
 * validates `options` with the same steps as module code (ECMA-262 EvaluateImportCall steps
 * 10-11, records' ImportCallAttributes), so both reject a bad options bag with the same error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createNodeHost } from '../../../src/hosts/node/host.js';

const BAD_OPTIONS = [
  '5',
  "'with'",
  '{ with: 1 }',
  '{ with: { type: 1 } }',
  "{ with: { lang: 'en' } }",
  "{ get with() { throw new RangeError('getter'); } }",
];

test('CommonJS and ES module import() reject a bad options bag alike', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modhost-import-options-'));
  const list = `[${BAD_OPTIONS.map((o) => `import('./dep.mjs', ${o})`).join(', ')}]`;
  writeFileSync(join(dir, 'dep.mjs'), 'export default 1;');
  writeFileSync(join(dir, 'esm.mjs'), `export const attempts = ${list};`);
  writeFileSync(join(dir, 'cjs.cjs'), `exports.attempts = ${list};`);
  const base = pathToFileURL(`${dir}/`).href;
  const host = createNodeHost();
  const describe = async (file: string) => {
    const ns = await host.import(file, base);
    const attempts = (ns.attempts ?? (ns.default as { attempts: unknown }).attempts) as Promise<unknown>[];
    return Promise.all(
      attempts.map((p) =>
        p.then(
          () => 'fulfilled',
          (e: Error & { code?: string }) =>
            `${e.constructor.name} ${e.code} ` +
            `${e.message.replace(`${base}esm.mjs`, 'REFERRER').replace(`${base}cjs.cjs`, 'REFERRER')}`,
        ),
      ),
    );
  };
  const esm = await describe('./esm.mjs');
  const cjs = await describe('./cjs.cjs');
  assert.deepEqual(cjs, esm);
  assert.deepEqual(esm, [
    'TypeError ERR_MODHOST_INVALID_ARGUMENT The second argument of import() must be an object',
    'TypeError ERR_MODHOST_INVALID_ARGUMENT The second argument of import() must be an object',
    "TypeError ERR_MODHOST_INVALID_ARGUMENT The 'with' option of import() must be an object",
    "TypeError ERR_MODHOST_INVALID_ARGUMENT The value of import attribute 'type' must be a string",
    "TypeError ERR_IMPORT_ATTRIBUTE_UNSUPPORTED Import attribute 'lang' of import() in REFERRER is not supported " +
      'by the host',
    'RangeError undefined getter',
  ]);
});
