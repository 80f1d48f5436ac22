// The real payment module: tests must not reach the provider.
export async function charge(cents) {
  throw new Error(`would charge ${cents} cents at the payment provider`);
}
