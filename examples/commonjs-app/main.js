// A CommonJS program for `modhost run`: plain CommonJS, with top-level ids resolved against
// --root (default: this folder), then node_modules.
var greeting = require('greeting'); // lib/greeting.js with --root lib
var config = require('config'); // lib/config.js
var chunk = require('lodash/chunk'); // node_modules
print(greeting.hello('modhost'));
print('config:', config);
print('chunks:', JSON.stringify(chunk(config.items, 2)), 'main:', require.main === module);
