/**
 * What a REPL needs to know about one input before it runs it as a module (`modhost repl`): is
 * the text complete, which names does its top level declare, and where is the expression whose
 * value is the input's completion value.
 */
import { declarationBoundIdentifiers } from './bound-names.js';
import { type ESTree, parseModuleText } from './parse.js';

/** How a top-level name of an input is declared. */
export type ReplDeclarationKind = 'let' | 'const' | 'var' | 'function' | 'class' | 'import';

/** One name an input's top level declares. */
export interface ReplDeclaration {
  readonly name: string;
  readonly kind: ReplDeclarationKind;
}

/** The analysis of one REPL input. */
export type ReplInputAnalysis =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'error'; readonly error: Error }
  | {
      readonly kind: 'module';
      /** The text to run (the input, or `(input)` for an input that is an object literal). */
      readonly text: string;
      readonly declarations: readonly ReplDeclaration[];
      /** The last statement's expression, when the last statement is an expression statement. */
      readonly completion: { readonly start: number; readonly end: number } | undefined;
    };

/** Parse errors that only mean "the text stops too early": the REPL reads another line. */
const INCOMPLETE = /'end of source'|Unterminated template literal|Multiline comment was not closed/;

/**
 * Analyses one REPL input (module code). An input that starts with `{` and is not valid as a block
 * but is as an expression (`{ a: 1 }` is a block; `{ a: 1, b: 2 }` is not) is taken as an object
 * literal, as Node's REPL does.
 *
 * @example
 * analyzeReplInput('let x = 1; x + 1').completion; // { start: 11, end: 16 }
 * analyzeReplInput('function f() {').kind;        // 'incomplete'
 */
export function analyzeReplInput(text: string, url: string): ReplInputAnalysis {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && !trimmed.endsWith(';')) {
    // Node's REPL: `{ ... }` that parses as an expression is an object literal.
    const wrapped = `(${text}\n)`;
    try {
      const program = parseModuleText(wrapped, url);
      return analyzed(wrapped, program);
    } catch {
      // not an expression: read as statements below
    }
  }
  let program: ESTree.Program;
  try {
    program = parseModuleText(text, url);
  } catch (error) {
    const e = error as Error & { line?: number; column?: number };
    if (INCOMPLETE.test(e.message) || expectedAtEnd(text, e)) return { kind: 'incomplete' };
    return { kind: 'error', error: e };
  }
  return analyzed(text, program);
}

/** "Expected '}'" at the very end of the text: a bracket still open. */
function expectedAtEnd(text: string, error: { message: string; line?: number; column?: number }): boolean {
  if (!/^Expected /.test(error.message) || error.line === undefined || error.column === undefined) return false;
  const lines = text.trimEnd().split(/\r\n|[\n\r\u2028\u2029]/);
  const last = lines[lines.length - 1] ?? '';
  return error.line >= lines.length && error.column >= last.length;
}

function analyzed(text: string, program: ESTree.Program): ReplInputAnalysis {
  const declarations: ReplDeclaration[] = [];
  const add = (name: string, kind: ReplDeclarationKind): void => {
    if (!declarations.some((d) => d.name === name)) declarations.push({ name, kind });
  };
  const declare = (node: ESTree.Node): void => {
    const kind: ReplDeclarationKind | undefined =
      node.type === 'VariableDeclaration'
        ? (node.kind as 'let' | 'const' | 'var')
        : node.type === 'FunctionDeclaration'
          ? 'function'
          : node.type === 'ClassDeclaration'
            ? 'class'
            : undefined;
    if (kind === undefined) return;
    for (const id of declarationBoundIdentifiers(node)) add(id.name, kind);
  };
  for (const statement of program.body) {
    switch (statement.type) {
      case 'ImportDeclaration':
        for (const specifier of statement.specifiers) add(specifier.local.name, 'import');
        break;
      case 'ExportNamedDeclaration':
        if (statement.declaration) declare(statement.declaration);
        break;
      case 'ExportDefaultDeclaration': {
        const declaration = statement.declaration;
        if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id)
          declare(declaration);
        break;
      }
      default:
        declare(statement);
    }
  }
  const last = program.body[program.body.length - 1];
  let completion: { start: number; end: number } | undefined;
  if (last !== undefined && last.type === 'ExpressionStatement') {
    // The statement's range (parentheses around the expression included), without its `;`.
    const start = last.start as number;
    let end = last.end as number;
    if (text[end - 1] === ';') end -= 1;
    completion = { start, end };
  }
  return { kind: 'module', text, declarations, completion };
}
