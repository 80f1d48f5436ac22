// The code under test: an ES module that bills through a CommonJS module.
import billing from './billing.cjs';

export async function checkout(cart) {
  const receipt = await billing.charge(cart.reduce((sum, item) => sum + item.price, 0));
  return { paid: receipt.ok, cents: receipt.cents };
}
