import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createError, ERROR_CODES, type ErrorCode } from '../../src/errors/codes.js';

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('error registry', () => {
  it('every registered code has its entry in docs/errors.md, and every entry is registered', () => {
    const documented = new Set([...docs.matchAll(/^## (\S+)$/gm)].map((m) => m[1]));
    for (const code of Object.keys(ERROR_CODES)) assert.ok(documented.has(code), `${code} is not documented`);
    for (const code of documented) assert.ok(code! in ERROR_CODES, `${code} is documented but not registered`);
  });
  it('createError keeps the base class and adds code and context', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      const error = createError(code as ErrorCode, undefined, { specifier: './x.js', referrer: 'file:///a.js' });
      assert.equal(error.constructor.name, spec.base);
      assert.equal(error.code, code);
      assert.equal(error.specifier, './x.js');
      assert.equal(error.referrer, 'file:///a.js');
      assert.equal(error.message, spec.summary);
    }
  });
  it('adds (url:line:column) to the message once, and keeps cause', () => {
    const cause = new Error('inner');
    const e = createError('ERR_MODHOST_PARSE', 'Unexpected token', { url: 'file:///m.js', line: 3, column: 7, cause });
    assert.equal(e.message, 'Unexpected token (file:///m.js:3:7)');
    assert.equal(e.cause, cause);
    assert.equal(e.line, 3);
    assert.equal(e.column, 7);
    const already = createError('ERR_MODHOST_PARSE', 'at file:///m.js:3:7: bad', {
      url: 'file:///m.js',
      line: 3,
      column: 7,
    });
    assert.equal(already.message, 'at file:///m.js:3:7: bad');
  });
});
