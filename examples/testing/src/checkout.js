// The code under test: an ES module that bills through a CommonJS module.
import billing from './billing.cjs';

export async function checkout(cart) {
  const cents = cart.reduce((sum, item) => sum + item.price, 0);
  const receipt = await billing.charge(cents);
  return { paid: receipt.ok, cents: receipt.cents };
}
