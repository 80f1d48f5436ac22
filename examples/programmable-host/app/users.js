import { query } from './db.js';

export async function userNames() {
  return (await query('select name from users')).map((row) => row.name);
}
