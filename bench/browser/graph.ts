/**
 * The synthetic module graphs of the browser benchmarks: N modules, m0 the entry, each module
 * depending on its children in a 4-ary tree plus one cross edge to a later module (a DAG of depth
 * ~log4 N with shared dependencies), with a small realistic body. The same graph is written as
 * CMD `define(function (require, exports, module) {…})` files (modhost define.use, seajs, the
 * synchronous-XHR loader) and as ES modules (modhost, native import()).
 */

/** The dependencies (module indices) of module `i` in a graph of `n`. Deterministic. */
export function dependenciesOf(i: number, n: number): number[] {
  const deps: number[] = [];
  for (let c = 4 * i + 1; c <= 4 * i + 4 && c < n; c++) deps.push(c);
  // A cross edge to a later module: shared dependencies, as real graphs have.
  const cross = i + 1 + ((i * 7919) % Math.max(1, n - i - 1));
  if (cross < n && !deps.includes(cross) && cross > i) deps.push(cross);
  return deps;
}

/** A few lines of ordinary code so that modules are not empty (~0.6 KB each). */
function filler(i: number): string {
  return `
  function describe${i}(items) {
    var out = [];
    for (var k = 0; k < items.length; k++) {
      var item = items[k];
      if (item && typeof item === 'object') out.push(item.name + ':' + (item.count | 0));
      else out.push(String(item));
    }
    return out.join(', ');
  }
  var table${i} = { id: ${i}, label: 'module ${i}', tags: ['a', 'b', 'c'], weight: ${(i * 37) % 101} };`;
}

/** The text of module `i` as a CMD define() file. */
export function cmdModule(i: number, n: number): string {
  const deps = dependenciesOf(i, n);
  const requires = deps.map((d, k) => `  var d${k} = require('./m${d}');`).join('\n');
  const sum = deps.map((_, k) => ` + d${k}.value`).join('');
  return `define(function (require, exports, module) {
${requires}${filler(i)}
  exports.value = (${i}${sum}) % 100003;
  exports.describe = describe${i};
  exports.table = table${i};
});
`;
}

/** The text of module `i` as an ES module. */
export function esModule(i: number, n: number): string {
  const deps = dependenciesOf(i, n);
  const imports = deps.map((d, k) => `import { value as d${k} } from './m${d}.js';`).join('\n');
  const sum = deps.map((_, k) => ` + d${k}`).join('');
  return `${imports}
${filler(i)}
export const value = (${i}${sum}) % 100003;
export { describe${i} as describe, table${i} as table };
`;
}

/** The value m0 exports, computed directly (to check every contender ran the whole graph). */
export function expectedValue(n: number): number {
  const memo = new Map<number, number>();
  const value = (i: number): number => {
    let v = memo.get(i);
    if (v === undefined) {
      v = (i + dependenciesOf(i, n).reduce((s, d) => s + value(d), 0)) % 100003;
      memo.set(i, v);
    }
    return v;
  };
  return value(0);
}

/**
 * The CommonJS article's approach, written for this comparison: `require` reads each module with a
 * synchronous XMLHttpRequest when it is first required, and runs it at once.
 */
export const SYNC_XHR_LOADER = `(function () {
  'use strict';
  var cache = Object.create(null);
  function resolve(id, base) {
    if (!/\\.js$/.test(id)) id += '.js';
    return new URL(id, base).href;
  }
  function load(url) {
    var cached = cache[url];
    if (cached) return cached.exports;
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);
    xhr.send();
    if (xhr.status !== 200) return null;
    var module = { uri: url, exports: {} };
    cache[url] = module;
    var factory;
    new Function('define', xhr.responseText + '\\n//# sourceURL=' + url)(function (f) { factory = f; });
    if (typeof factory === 'function') {
      var result = factory(function require(id) { return load(resolve(id, url)); }, module.exports, module);
      if (result !== undefined) module.exports = result;
    } else {
      module.exports = factory;
    }
    return module.exports;
  }
  window.syncXhrUse = function (id) { return load(resolve(id, document.baseURI)); };
})();`;
