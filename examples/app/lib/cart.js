export function total(cart, prices) {
  return cart.reduce((sum, [item, count]) => sum + prices[item] * count, 0);
}
export const format = (cents) => `total ${(cents / 100).toFixed(2)} EUR`;
