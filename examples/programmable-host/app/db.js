// The real database module: no query ever runs in the example (the mock answers instead).
export const name = 'postgres://production';
export async function query() {
  throw new Error('no database in an example');
}
