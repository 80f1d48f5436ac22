// A small app for `modhost run`: ES modules from disk, a JSON module, a Node built-in and print().
import { basename } from 'node:path';
import { total, format } from './lib/cart.js';
import prices from './prices.json' with { type: 'json' };

const cart = [
  ['apple', 3],
  ['pear', 2],
];
print(`${basename(import.meta.filename)}: ${format(total(cart, prices))}`);
