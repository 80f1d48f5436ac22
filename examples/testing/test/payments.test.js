// Another file, another fresh fork of the host: checkout.test.js's mock does not reach it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { charge } from '../src/payments.js';

test('the real payments module is back in the next file', async () => {
  await assert.rejects(charge(100), /would charge 100 cents/);
});
