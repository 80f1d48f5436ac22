/**
 * State shared by the body walkers: the scope resolver for import bindings, the edit list, and
 * what the walk learns about the module (HasTLA, needsImport, needsImportMeta, top-level names).
 *
 * Scope resolution is single pass with resolution deferred to scope exit: a reference to a name
 * that is an import binding is recorded as pending in the current scope; when a scope closes,
 * pending references whose name the scope declares (in any way, hoisted or not) are dropped, the
 * others stay pending for the enclosing scope. Whatever is still pending at the module scope
 * refers to an import binding (a module may not redeclare an imported name). Only import names
 * are tracked, so a scope with no such declaration costs two array writes.
 */

import { EditList } from './edit-list.js';
import type { ESTree } from './parse.js';

/** How a reference is used, which decides its rewrite. */
export const REF_READ = 0;
/** Leftmost in the callee of `new` (needs parentheses around a call). */
export const REF_NEW = 1;
/** Shorthand property `{x}`. */
export const REF_SHORTHAND = 2;
/** Assignment target. */
export const REF_TARGET = 3;
/** Shorthand property in an assignment pattern `({x} = o)` / `({x = 1} = o)`. */
export const REF_SHORTHAND_TARGET = 4;

export class WalkerBase {
  readonly edits = new EditList();
  /** Body Contains `await` outside functions ([[HasTLA]]). */
  hasTLA = false;
  needsImport = false;
  needsImportMeta = false;
  /** Identifiers spelled with escapes (their StringValue), to check against the prefix. */
  escapedNames: string[] | null = null;
  /** Top-level LexicallyDeclaredNames (name → offset of its declaration). */
  readonly topLexical = new Map<string, number>();
  /** Top-level VarDeclaredNames. */
  readonly topVar = new Map<string, number>();

  /** Nesting of function-like bodies (functions, arrows, methods, field initializers, static blocks). */
  protected fnDepth = 0;
  /** Nesting of non-arrow functions (which bind `arguments`). */
  protected argsDepth = 0;
  protected nextForAwait = 0;
  /**
   * True when nothing inside a non-arrow function can need a rewrite: the module imports nothing
   * (no references to resolve) and its text never says `import` (no import() or import.meta) nor
   * `<!--`. Top-level `arguments` and `await` cannot occur inside such functions, so their bodies
   * (and field initializers, static blocks) are not walked at all.
   */
  protected readonly skipFunctionBodies: boolean;

  private depth = 0;
  private varDepth = 0;
  private readonly scopeDecls: (number[] | null)[] = [null];
  private readonly scopeMarks: number[] = [0];
  // Pending references, as parallel arrays (no object per reference).
  private pending = 0;
  private readonly refStart: number[] = [];
  private readonly refEnd: number[] = [];
  private readonly refKind: number[] = [];
  private readonly refImport: number[] = [];

  constructor(
    readonly text: string,
    /** Prefix of every generated name; it occurs nowhere in `text`. */
    readonly prefix: string,
    /** Import local name → index in importNames; null when the module imports nothing. */
    private readonly importIndex: Map<string, number> | null,
  ) {
    this.skipFunctionBodies = importIndex === null && !text.includes('import') && !text.includes('<!--');
  }

  protected enterScope(): void {
    const depth = ++this.depth;
    this.scopeDecls[depth] = null;
    this.scopeMarks[depth] = this.pending;
  }

  /** Enters a scope that also receives `var` declarations; returns what exitVarScope needs. */
  protected enterVarScope(): number {
    this.enterScope();
    const saved = this.varDepth;
    this.varDepth = this.depth;
    return saved;
  }

  protected exitVarScope(saved: number): void {
    this.varDepth = saved;
    this.exitScope();
  }

  protected exitScope(): void {
    const depth = this.depth--;
    const decls = this.scopeDecls[depth]!;
    if (decls === null) return;
    // Drop the pending references this scope declares (they are not import bindings).
    let keep = this.scopeMarks[depth]!;
    const { refStart, refEnd, refKind, refImport } = this;
    for (let i = keep; i < this.pending; i++) {
      if (decls.includes(refImport[i]!)) continue;
      if (keep !== i) {
        refStart[keep] = refStart[i]!;
        refEnd[keep] = refEnd[i]!;
        refKind[keep] = refKind[i]!;
        refImport[keep] = refImport[i]!;
      }
      keep++;
    }
    this.pending = keep;
  }

  private addDecl(depth: number, id: ESTree.Identifier): void {
    const index = this.importIndex!.get(id.name);
    if (index === undefined) return;
    const decls = this.scopeDecls[depth];
    if (decls === null || decls === undefined) this.scopeDecls[depth] = [index];
    else decls.push(index);
  }

  private checkEscape(id: ESTree.Identifier): void {
    // An escape sequence makes the source longer than the StringValue.
    if (id.end! - id.start! !== id.name.length) (this.escapedNames ??= []).push(id.name);
  }

  /** A lexical (or parameter, catch-parameter, function-in-block, class) binding in the current scope. */
  protected declareLexical(id: ESTree.Identifier): void {
    this.checkEscape(id);
    if (this.depth === 0) {
      if (!this.topLexical.has(id.name)) this.topLexical.set(id.name, id.start!);
      return;
    }
    if (this.importIndex !== null) this.addDecl(this.depth, id);
  }

  /** A `var` binding: declared in the nearest function (or static block, or module) scope. */
  protected declareVar(id: ESTree.Identifier): void {
    this.checkEscape(id);
    if (this.varDepth === 0) {
      if (!this.topVar.has(id.name)) this.topVar.set(id.name, id.start!);
      return;
    }
    if (this.importIndex !== null) this.addDecl(this.varDepth, id);
  }

  /** An IdentifierReference used as `kind` (REF_*). */
  protected reference(id: ESTree.Identifier, kind: number): void {
    const name = id.name;
    this.checkEscape(id);
    if (name === 'arguments' && this.argsDepth === 0) {
      this.globalArguments(id, kind);
      return;
    }
    if (this.importIndex === null) return;
    const index = this.importIndex.get(name);
    if (index === undefined) return;
    const i = this.pending++;
    this.refStart[i] = id.start!;
    this.refEnd[i] = id.end!;
    this.refKind[i] = kind;
    this.refImport[i] = index;
  }

  /** Top-level `arguments` (outside any non-arrow function) reads the global `arguments`. */
  private globalArguments(id: ESTree.Identifier, kind: number): void {
    const call = `${this.prefix}.globalArguments()`;
    const start = id.start!;
    const end = id.end!;
    // Assignment targets named `arguments` are early errors in strict code.
    if (kind === REF_NEW) this.edits.replace(start, end, `(${call})`);
    else if (kind === REF_SHORTHAND) this.edits.replace(start, end, `${this.text.slice(start, end)}: ${call}`);
    else this.edits.replace(start, end, call);
  }

  /** Turns the references still pending at the module scope into import-binding edits. */
  protected resolveModuleScope(): void {
    const { prefix, text, edits } = this;
    for (let i = 0; i < this.pending; i++) {
      const start = this.refStart[i]!;
      const end = this.refEnd[i]!;
      const n = this.refImport[i]!;
      switch (this.refKind[i]) {
        case REF_READ: {
          // A called name (`fail(…)`): V8 reports the call at the name natively, and just after
          // the getter call in compiled code; the position map says so. (A tagged template is
          // reported at its template either way.)
          edits.replace(start, end, `${prefix}_i${n}()`, text.charCodeAt(end) === 40 /* ( */);
          break;
        }
        case REF_NEW:
          edits.replace(start, end, `(${prefix}_i${n}())`);
          break;
        case REF_SHORTHAND:
          edits.replace(start, end, `${text.slice(start, end)}: ${prefix}_i${n}()`);
          break;
        case REF_TARGET:
          edits.replace(start, end, `${prefix}.ref(${n}).v`);
          break;
        case REF_SHORTHAND_TARGET:
          edits.replace(start, end, `${text.slice(start, end)}: ${prefix}.ref(${n}).v`);
          break;
      }
    }
    this.pending = 0;
  }
}
