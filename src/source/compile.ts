/**
 * Assembles the compiled module text (ARCHITECTURE.md "Compiled module protocol"):
 *
 *   "use strict";(function*(P){var P_i0=P.unlinked,…;P.nameDefault(P_d);
 *   yield {getters:[()=>a,…],setImports:(P_v)=>{P_i0=P_v[0];…}};<body, line 1 onwards>
 *   })
 *   //# sourceURL=<url>
 *   //# modhostPositions=<map>   (./positions.ts: the original columns of rewritten code)
 *
 * The header and the first line of the module share line 1, so every module line keeps its number.
 */
import type { ModuleAnalysis } from './analyze-module.js';
import { positionsComment } from './positions.js';

/** Makes `url` safe as the rest of a `//# sourceURL=` comment line (no line break, no space). */
export function sourceUrlComment(url: string): string {
  // Percent-encode whitespace, line terminators and controls; they would end the comment or the URL.
  return url.replace(/[\s\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x80 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : encodeURIComponent(c);
  });
}

/** The `code` of a CompiledModule (`text`: the module's text, for the position map). */
export function compiledCode(analysis: ModuleAnalysis, prefix: string, url: string, text: string): string {
  const p = prefix;
  let head = `"use strict";(function*(${p}){`;
  const importCount = analysis.importNames.length;
  if (importCount > 0) {
    // Until setImports runs, reading an import binding throws a ReferenceError naming the problem.
    const vars: string[] = [];
    for (let i = 0; i < importCount; i++) vars.push(`${p}_i${i}=${p}.unlinked`);
    head += `var ${vars.join(',')};`;
  }
  if (analysis.nameDefault) head += `${p}.nameDefault(${p}_d);`;
  const getters = analysis.getterExpressions.map((expression) => `()=>${expression}`).join(',');
  const assignments: string[] = [];
  for (let i = 0; i < importCount; i++) assignments.push(`${p}_i${i}=${p}_v[${i}]`);
  head += `yield {getters:[${getters}],setImports:(${p}_v)=>{${assignments.join(';')}}};`;
  const positions = positionsComment(text, analysis.bodyPoints, head.length);
  return `${head}${analysis.body}\n})\n//# sourceURL=${sourceUrlComment(url)}${positions}`;
}
