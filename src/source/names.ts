/** StringValue of ModuleExportName / AttributeKey nodes, and IsStringWellFormedUnicode. */
import type { ESTree } from './parse.js';

/** StringValue of a ModuleExportName (IdentifierName or StringLiteral) or PropName of an AttributeKey. */
export function nameValue(node: ESTree.Identifier | ESTree.Literal): string {
  return node.type === 'Identifier' ? node.name : String(node.value);
}

// In a `u` regular expression a well-formed pair is one astral code point, so \p{Cs} (category
// Surrogate) matches only code units that are not part of a pair.
const LONE_SURROGATE = /\p{Cs}/u;

/** ECMA-262 IsStringWellFormedUnicode: no lone surrogate code unit. */
export function isStringWellFormedUnicode(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}
