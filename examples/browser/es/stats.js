export function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}
export function mean(values) {
  return values.length === 0 ? 0 : sum(values) / values.length;
}
