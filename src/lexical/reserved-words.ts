/**
 * ECMA-262's reserved words (12.7.2 ReservedWord), and the names that are reserved in strict mode
 * code (13.1.1 Identifiers: Static Semantics: Early Errors), which all module code is.
 */

/** 12.7.2 ReservedWord. */
const RESERVED_WORDS = [
  'await',
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
] as const;

/** Identifiers strict mode code cannot use as an IdentifierReference (13.1.1). */
const STRICT_RESERVED = ['implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static'];

/** ReservedWord plus the names strict mode code reserves: none is an IdentifierReference in a module. */
export const STRICT_RESERVED_WORDS: ReadonlySet<string> = new Set<string>([...RESERVED_WORDS, ...STRICT_RESERVED]);
