export function formatNumber(n) {
  return n.toFixed(2);
}
