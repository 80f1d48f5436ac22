/**
 * Expressions, patterns, functions and classes of the body walker. Records the scope facts the
 * resolver needs and the rewrites that do not depend on resolution (import.meta, import(),
 * top-level await and arguments).
 */

import { createError } from '../errors/codes.js';
import { hasLineTerminator, lineTerminatorsOf, skipTrivia } from '../lexical/trivia.js';
import type { ESTree } from './parse.js';
import { REF_NEW, REF_READ, REF_SHORTHAND, REF_SHORTHAND_TARGET, REF_TARGET, WalkerBase } from './walker-base.js';

/** Binding kinds for `binding()`. */
export const BIND_VAR = 0;
export const BIND_LEXICAL = 1;

type Node = ESTree.Node;

export abstract class ExpressionWalker extends WalkerBase {
  /**
   * Start offset of the ExpressionStatement being walked when it sits in a statement list: a
   * rewrite that would start that statement with `(` must begin with `;` instead, or the
   * statement could join the previous line (no ASI before `(`).
   */
  protected asiStart = -1;

  protected abstract statementList(body: readonly Node[]): void;

  protected expr(node: Node, ctx: number = REF_READ): void {
    switch (node.type) {
      case 'Identifier':
        this.reference(node, ctx);
        return;
      case 'Literal':
      case 'ThisExpression':
      case 'Super':
      case 'PrivateIdentifier':
        return;
      case 'MemberExpression':
        // Only the leftmost position keeps the `new` context: `new x.y()` needs `new (x()).y()`.
        this.expr(node.object, ctx);
        if (node.computed) this.expr(node.property);
        return;
      case 'CallExpression':
        if (node.callee.type !== 'Super') this.expr(node.callee);
        this.list(node.arguments);
        return;
      case 'NewExpression':
        this.expr(node.callee, REF_NEW);
        this.list(node.arguments);
        return;
      case 'ChainExpression':
        this.expr(node.expression);
        return;
      case 'BinaryExpression':
      case 'LogicalExpression': {
        // Down the left spine without recursion: generated code has `a + b + …` chains of
        // thousands of terms, which V8 parses (and meriyah too). Same order: leftmost operand,
        // then each right operand from the innermost out.
        const spine: (ESTree.BinaryExpression | ESTree.LogicalExpression)[] = [];
        let left: Node = node;
        while (left.type === 'BinaryExpression' || left.type === 'LogicalExpression') {
          spine.push(left);
          left = left.left as Node;
        }
        this.expr(left);
        for (let i = spine.length - 1; i >= 0; i--) this.expr(spine[i]!.right as Node);
        return;
      }
      case 'AssignmentExpression':
        this.target(node.left);
        this.expr(node.right);
        return;
      case 'UpdateExpression':
        this.target(node.argument);
        return;
      case 'UnaryExpression':
        this.unary(node);
        return;
      case 'ConditionalExpression':
        this.expr(node.test);
        this.expr(node.consequent);
        this.expr(node.alternate);
        return;
      case 'SequenceExpression':
        this.list(node.expressions);
        return;
      case 'ArrayExpression':
        this.list(node.elements);
        return;
      case 'ObjectExpression':
        this.object(node);
        return;
      case 'SpreadElement':
        this.expr(node.argument);
        return;
      case 'TemplateLiteral':
        this.list(node.expressions);
        return;
      case 'TaggedTemplateExpression':
        this.expr(node.tag, ctx);
        this.list(node.quasi.expressions);
        return;
      case 'FunctionExpression':
        this.fn(node, false);
        return;
      case 'ArrowFunctionExpression':
        this.fn(node, true);
        return;
      case 'ClassExpression':
        this.cls(node);
        return;
      case 'AwaitExpression':
        if (this.fnDepth === 0) this.topLevelAwait(node);
        else this.expr(node.argument);
        return;
      case 'YieldExpression':
        if (node.argument) this.expr(node.argument);
        return;
      case 'ImportExpression': {
        this.needsImport = true;
        const phase = (node as { phase?: unknown }).phase;
        if (phase === 'source' || phase === 'defer') {
          // `import . source (` / `import . defer (` → `P.importSource(` / `P.importDefer(`,
          // keeping the line terminators of any comments between the tokens.
          const open = this.text.indexOf(
            '(',
            skipTrivia(this.text, skipTrivia(this.text, skipTrivia(this.text, node.start! + 6) + 1) + phase.length),
          );
          const method = phase === 'source' ? 'importSource' : 'importDefer';
          this.edits.replace(
            node.start!,
            open,
            `${this.prefix}.${method}${lineTerminatorsOf(this.text, node.start!, open)}`,
          );
        } else {
          this.edits.replace(node.start!, node.start! + 6, `${this.prefix}.import`);
        }
        this.expr(node.source);
        if (node.options) this.expr(node.options);
        return;
      }
      case 'MetaProperty':
        if (node.meta.name === 'import') {
          this.needsImportMeta = true;
          this.edits.replace(node.start!, node.end!, `${this.prefix}.meta()`);
        }
        return;
      case 'ParenthesizedExpression':
        this.expr(node.expression, ctx);
        return;
      default:
        // Patterns reached through cover grammars are walked as targets by their parents.
        throw createError('ERR_MODHOST_INTERNAL', `unexpected expression node ${node.type}`);
    }
  }

  private list(nodes: readonly (Node | null)[]): void {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node !== null && node !== undefined) this.expr(node);
    }
  }

  private unary(node: ESTree.UnaryExpression): void {
    const argument = node.argument;
    if (
      node.operator === 'typeof' &&
      argument.type === 'Identifier' &&
      argument.name === 'arguments' &&
      this.argsDepth === 0
    ) {
      // `typeof arguments` must not throw when there is no global `arguments`.
      this.edits.replace(node.start!, node.end!, `${this.prefix}.typeofGlobalArguments()`);
      return;
    }
    if (
      node.operator === '!' &&
      argument.type === 'UpdateExpression' &&
      argument.prefix &&
      this.text.charCodeAt(node.start! - 1) === 60 /* < */
    ) {
      // Module code has no HTML-like comments (ECMA-262 B.1.1), so `a <!--b` is `a < !(--b)`;
      // in the compiled Script `<!--` would start a comment.
      this.edits.insert(node.start!, ' ');
    }
    this.expr(argument);
  }

  private object(node: ESTree.ObjectExpression): void {
    for (const property of node.properties) {
      if (property.type === 'SpreadElement') {
        this.expr(property.argument);
      } else if (property.type === 'Property') {
        if (property.computed) this.expr(property.key);
        if (property.shorthand && property.value.type === 'Identifier') this.reference(property.value, REF_SHORTHAND);
        else this.expr(property.value);
      }
    }
  }

  /** `await e` outside functions: `(yield e)` (the records driver resumes it as Await does). */
  private topLevelAwait(node: ESTree.AwaitExpression): void {
    this.hasTLA = true;
    const start = node.start!;
    const argument = node.argument;
    // `yield` takes no operand across a line break, so then the operand gets its own parentheses.
    const split = hasLineTerminator(this.text, start + 5, argument.start!);
    const lead = start === this.asiStart ? ';(' : '(';
    this.edits.replace(start, start + 5, split ? `${lead}yield(` : `${lead}yield`);
    this.expr(argument);
    this.edits.insert(node.end!, split ? '))' : ')');
  }

  /** An assignment target (simple or destructuring). */
  protected target(node: Node): void {
    switch (node.type) {
      case 'Identifier':
        this.reference(node, REF_TARGET);
        return;
      case 'ObjectPattern':
        for (const property of node.properties) {
          if (property.type === 'RestElement') {
            this.target(property.argument);
            continue;
          }
          if (property.computed) this.expr(property.key);
          const value = property.value;
          if (property.shorthand) {
            if (value.type === 'AssignmentPattern') {
              this.reference(value.left as ESTree.Identifier, REF_SHORTHAND_TARGET);
              this.expr(value.right!);
            } else {
              this.reference(value as ESTree.Identifier, REF_SHORTHAND_TARGET);
            }
          } else {
            this.target(value);
          }
        }
        return;
      case 'ArrayPattern':
        for (const element of node.elements) if (element !== null) this.target(element);
        return;
      case 'AssignmentPattern':
        this.target(node.left);
        this.expr(node.right!);
        return;
      case 'RestElement':
        this.target(node.argument);
        return;
      default:
        this.expr(node);
        return;
    }
  }

  /** A binding pattern of a declaration (BIND_VAR or BIND_LEXICAL). */
  protected binding(node: Node, kind: number): void {
    switch (node.type) {
      case 'Identifier':
        if (kind === BIND_VAR) this.declareVar(node);
        else this.declareLexical(node);
        return;
      case 'ObjectPattern':
        for (const property of node.properties) {
          if (property.type === 'RestElement') {
            this.binding(property.argument, kind);
            continue;
          }
          if (property.computed) this.expr(property.key);
          this.binding(property.value, kind);
        }
        return;
      case 'ArrayPattern':
        for (const element of node.elements) if (element !== null) this.binding(element, kind);
        return;
      case 'AssignmentPattern':
        this.binding(node.left, kind);
        this.expr(node.right!);
        return;
      case 'RestElement':
        this.binding(node.argument, kind);
        return;
      default:
        throw createError('ERR_MODHOST_INTERNAL', `unexpected binding node ${node.type}`);
    }
  }

  /** A function, arrow, method, getter or setter: a parameter scope around a body (var) scope. */
  protected fn(
    node: ESTree.FunctionDeclaration | ESTree.FunctionExpression | ESTree.ArrowFunctionExpression,
    isArrow: boolean,
  ): void {
    if (!isArrow && this.skipFunctionBodies) return;
    this.fnDepth++;
    if (!isArrow) this.argsDepth++;
    this.enterScope();
    // A function expression's own name is bound in a scope around its parameters.
    if (node.type === 'FunctionExpression' && node.id) this.declareLexical(node.id);
    for (const param of node.params) this.binding(param, BIND_LEXICAL);
    const saved = this.enterVarScope();
    const body = node.body!;
    if (body.type === 'BlockStatement') this.statementList(body.body);
    else this.expr(body);
    this.exitVarScope(saved);
    this.exitScope();
    if (!isArrow) this.argsDepth--;
    this.fnDepth--;
  }

  /** A class: its name (for expressions), heritage and computed keys in the class scope. */
  protected cls(node: ESTree.ClassDeclaration | ESTree.ClassExpression): void {
    this.enterScope();
    if (node.type === 'ClassExpression' && node.id) this.declareLexical(node.id);
    if (node.superClass) this.expr(node.superClass);
    for (const element of node.body.body) {
      switch (element.type) {
        case 'MethodDefinition':
          if (element.computed) this.expr(element.key as Node);
          this.fn(element.value, false);
          break;
        case 'PropertyDefinition':
        case 'AccessorProperty':
          if (element.computed) this.expr(element.key as Node);
          if (element.value) this.initializer(element.value, false);
          break;
        case 'StaticBlock':
          this.initializer(element, true);
          break;
        default:
          throw createError('ERR_MODHOST_INTERNAL', `unexpected class element ${element.type}`);
      }
    }
    this.exitScope();
  }

  /** A field initializer or static block: its own function-like scope (no `await`, own `var`s). */
  private initializer(node: Node, isBlock: boolean): void {
    if (this.skipFunctionBodies) return;
    this.fnDepth++;
    this.argsDepth++;
    const saved = this.enterVarScope();
    if (isBlock) this.statementList((node as ESTree.StaticBlock).body);
    else this.expr(node);
    this.exitVarScope(saved);
    this.argsDepth--;
    this.fnDepth--;
  }
}
