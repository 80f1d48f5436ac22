// Run by `modhost test` (examples/run-all.ts): `cd examples/testing && npx modhost test`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mock } from 'modhost/test';

// payments.js is two levels below checkout.js (checkout.js → billing.cjs → payments.js): the mock
// reaches billing.cjs's require() without touching it. Import what must see the mock after mock():
// a file's static imports are linked before its body runs.
mock('../src/payments.js', () => ({ charge: async (cents) => ({ ok: true, cents }) }));
const { checkout } = await import('../src/checkout.js');

test('checkout charges the cart total', async () => {
  assert.deepEqual(await checkout([{ price: 250 }, { price: 100 }]), { paid: true, cents: 350 });
});
