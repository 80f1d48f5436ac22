/**
 * isModuleSourceRecordShape accepts every record createModuleSourceRecord makes (after a JSON
 * round trip, as a compile cache stores them) and rejects records with a field missing or of the
 * wrong type.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createModuleSourceRecord } from '../../src/source/module-source-record.js';
import { isModuleSourceRecordShape } from '../../src/source/record-shape.js';

const TEXTS = [
  '',
  'export default 1;',
  'export default function () {} export class C {}',
  `import a, { b as c, 'd e' as f } from './a.js'; import * as ns from './n.js';
   export { c, f as 'g h' }; export const x = a;`,
  `export * from './s.js'; export * as t from './t.js'; export { u as v, default } from './u.js';`,
  `import data from './d.json' with { type: 'json' }; export { data };`,
  `import source wasm from './m.wasm'; import defer * as lazy from './l.js'; export { wasm, lazy };`,
  `await import.meta.resolve('./x.js'); export let y = await import('./y.js');`,
  'import "./side.js"; for await (const z of []) {}',
];

function roundTrip(text: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(createModuleSourceRecord(text, { url: 'file:///m.js' }))) as Record<string, unknown>;
}

describe('isModuleSourceRecordShape', () => {
  it('accepts every record the compiler makes, after JSON', () => {
    for (const text of TEXTS) assert.equal(isModuleSourceRecordShape(roundTrip(text)), true, text);
  });

  it('rejects a record with a field missing or of the wrong type, at any depth', () => {
    const damage: Array<[string, (r: Record<string, unknown>) => void]> = [
      ['no compiled', (r) => delete r.compiled],
      ['code not a string', (r) => ((r.compiled as Record<string, unknown>).code = 1)],
      ['getterNames not strings', (r) => ((r.compiled as Record<string, unknown>).getterNames = [1])],
      ['hasTLA a string', (r) => (r.hasTLA = 'true')],
      ['url missing', (r) => delete r.url],
      ['requests not an array', (r) => (r.requestedModules = {})],
      [
        'attribute value not a string',
        (r) => {
          const request = (r.requestedModules as Array<{ attributes: Array<Record<string, unknown>> }>)[0];
          if (request?.attributes[0]) request.attributes[0].value = 2;
          else r.requestedModules = [{ specifier: 'x', attributes: [{ key: 'type', value: 2 }] }];
        },
      ],
      [
        'importName a number',
        (r) =>
          (r.importEntries = [{ moduleRequest: { specifier: 'x', attributes: [] }, importName: 1, localName: 'a' }]),
      ],
      ['unknown phase', (r) => (r.requestedModules = [{ specifier: 'x', attributes: [], phase: 'later' }])],
      ['binding with a number', (r) => (r.bindings = [{ import: 1, from: 'x' }])],
      ['binding with a non-string attribute', (r) => (r.bindings = [{ importFrom: 'x', with: { type: 1 } }])],
    ];
    for (const [what, apply] of damage) {
      const record = roundTrip(TEXTS[3] as string);
      assert.equal(isModuleSourceRecordShape(record), true);
      apply(record);
      assert.equal(isModuleSourceRecordShape(record), false, what);
    }
    assert.equal(isModuleSourceRecordShape([roundTrip('')]), false, 'an array of records');
    assert.equal(isModuleSourceRecordShape(null), false);
    assert.equal(isModuleSourceRecordShape('record'), false);
  });
});
