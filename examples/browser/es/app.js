import { now } from './clock.js';
import { sum, mean } from './stats.js';
import { formatNumber } from 'format';
import config from './config.json' with { type: 'json' };

export const title = config.title;
export const total = formatNumber(sum(config.values));
export const average = formatNumber(mean(config.values));
export const generated = now().toISOString();
// Top-level await and import(): both go through the same importHook.
export const lazy = (await import('./lazy.js')).message;
