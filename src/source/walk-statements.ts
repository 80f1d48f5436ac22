/**
 * Statements of the body walker, including the desugaring of top-level `for await`.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */

import { createError } from '../errors/codes.js';
import { lineTerminatorsOf, skipTrivia } from '../lexical/trivia.js';
import { declarationBoundIdentifiers } from './bound-names.js';
import type { ESTree } from './parse.js';
import { BIND_LEXICAL, BIND_VAR, ExpressionWalker } from './walk-expressions.js';

type Node = ESTree.Node;

export class StatementWalker extends ExpressionWalker {
  protected statementList(body: readonly Node[]): void {
    for (let i = 0; i < body.length; i++) {
      const statement = body[i]!;
      if (statement.type === 'ExpressionStatement') this.asiStart = statement.start!;
      this.statement(statement);
    }
  }

  protected statement(node: Node): void {
    switch (node.type) {
      case 'ExpressionStatement':
        this.expr(node.expression);
        return;
      case 'VariableDeclaration':
        this.variableDeclaration(node);
        return;
      case 'FunctionDeclaration':
        this.declareLexical(node.id!);
        this.fn(node, false);
        return;
      case 'ClassDeclaration':
        this.declareLexical(node.id!);
        this.cls(node);
        return;
      case 'BlockStatement':
        this.enterScope();
        this.statementList(node.body);
        this.exitScope();
        return;
      case 'IfStatement':
        this.expr(node.test);
        this.statement(node.consequent);
        if (node.alternate) this.statement(node.alternate);
        return;
      case 'ForStatement':
        this.enterScope();
        if (node.init) {
          if (node.init.type === 'VariableDeclaration') this.variableDeclaration(node.init);
          else this.expr(node.init);
        }
        if (node.test) this.expr(node.test);
        if (node.update) this.expr(node.update);
        this.statement(node.body);
        this.exitScope();
        return;
      case 'ForInStatement':
      case 'ForOfStatement':
        if (node.type === 'ForOfStatement' && node.await && this.fnDepth === 0) this.forAwait(node, node.start!, '');
        else this.forInOf(node);
        return;
      case 'WhileStatement':
        this.expr(node.test);
        this.statement(node.body);
        return;
      case 'DoWhileStatement':
        this.statement(node.body);
        this.expr(node.test);
        return;
      case 'ReturnStatement':
        if (node.argument) this.expr(node.argument);
        return;
      case 'ThrowStatement':
        this.expr(node.argument);
        return;
      case 'TryStatement':
        this.statement(node.block);
        if (node.handler) {
          this.enterScope();
          if (node.handler.param) this.binding(node.handler.param, BIND_LEXICAL);
          this.statement(node.handler.body);
          this.exitScope();
        }
        if (node.finalizer) this.statement(node.finalizer);
        return;
      case 'SwitchStatement':
        this.expr(node.discriminant);
        this.enterScope();
        for (const switchCase of node.cases) {
          if (switchCase.test) this.expr(switchCase.test);
          this.statementList(switchCase.consequent);
        }
        this.exitScope();
        return;
      case 'LabeledStatement':
        this.labeled(node);
        return;
      case 'WithStatement':
        this.expr(node.object);
        this.statement(node.body);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'EmptyStatement':
      case 'DebuggerStatement':
        return;
      default:
        throw createError('ERR_MODHOST_INTERNAL', `unexpected statement node ${node.type}`);
    }
  }

  protected variableDeclaration(node: ESTree.VariableDeclaration): void {
    const kind = node.kind === 'var' ? BIND_VAR : BIND_LEXICAL;
    for (const declarator of node.declarations) {
      this.binding(declarator.id, kind);
      if (declarator.init) this.expr(declarator.init);
    }
  }

  private forInOf(node: ESTree.ForInStatement | ESTree.ForOfStatement): void {
    // The head's lexical bindings are in scope (in TDZ) while the expression is evaluated.
    this.enterScope();
    if (node.left.type === 'VariableDeclaration') this.variableDeclaration(node.left);
    else this.target(node.left);
    this.expr(node.right);
    this.statement(node.body);
    this.exitScope();
  }

  private labeled(node: ESTree.LabeledStatement): void {
    let labels = '';
    let body: Node = node;
    while (body.type === 'LabeledStatement') {
      labels += `${this.text.slice(body.label.start!, body.label.end!)}:`;
      body = body.body;
    }
    if (body.type === 'ForOfStatement' && body.await && this.fnDepth === 0) {
      // The labels move onto the loop the desugaring produces, so `continue L` stays valid.
      this.forAwait(body, node.start!, labels);
    } else {
      this.statement(body);
    }
  }

  /**
   * Top-level `for await (HEAD of EXPR) BODY` (ECMA-262 14.7.5.6-14.7.5.7 with iteratorKind
   * async), desugared into yields that the records driver resumes as Await:
   *
   *   {let A,C=false;T:{A=rt.asyncIterator(EXPR);break T;let <names>;}  // GetIterator(async); TDZ
   *    try{LABELS for(;;){C=false;let R=yield rt.asyncIteratorNext(A);    // Await(Call(next))
   *      if(rt.iteratorComplete(R))break;R=R.value;C=true;               // not closed on these errors
   *      HEAD=R; BODY}}
   *    catch(E){if(C){C=false;try{…AsyncIteratorClose, result ignored…}catch{}}throw E}
   *    finally{if(C){C=false;…AsyncIteratorClose with normal completion…}}}
   *
   * C is true exactly while the binding of HEAD or BODY runs, so leaving the loop then (throw,
   * break, continue to an outer label) closes the iterator, and leaving it otherwise does not.
   */
  private forAwait(node: ESTree.ForOfStatement, start: number, labels: string): void {
    this.hasTLA = true;
    const { text, prefix: p } = this;
    const id = this.nextForAwait++;
    const A = `${p}_a${id}`;
    const C = `${p}_c${id}`;
    const R = `${p}_r${id}`;
    const E = `${p}_e${id}`;
    const M = `${p}_m${id}`;
    const left = node.left;
    const headStart = left.start!;
    const headEnd = left.end!;
    // EXPR starts after `of` (the head may be parenthesized: skip its closing parentheses).
    let pos = skipTrivia(text, headEnd);
    while (text.charCodeAt(pos) === 41 /* ) */) pos = skipTrivia(text, pos + 1);
    const exprStart = pos + 2;
    // The last `)` before BODY closes the head (earlier ones close a parenthesized EXPR).
    let closeParen = -1;
    pos = skipTrivia(text, node.right.end!);
    while (text.charCodeAt(pos) === 41) {
      closeParen = pos;
      pos = skipTrivia(text, pos + 1);
    }
    const bodyStart = node.body.start!;
    const lexical = left.type === 'VariableDeclaration' && left.kind !== 'var';
    // The head's names are in TDZ while EXPR is evaluated (and forever for closures made there):
    // declare them after a `break` out of the block, so the declaration never runs.
    const T = `${p}_t${id}`;
    const tdz = lexical
      ? `break ${T};let ${declarationBoundIdentifiers(left)
          .map((n) => n.name)
          .join(',')};`
      : '';
    const head = { start: headStart, end: headEnd };
    const binding = left.type === 'VariableDeclaration' ? [head, `=${R};`] : ['(', head, `=${R});`];

    this.edits.composite(start, exprStart, [
      `{let ${A},${C}=false;${T}:{${A}=${p}.asyncIterator(`,
      lineTerminatorsOf(text, start, headStart) + lineTerminatorsOf(text, headEnd, exprStart),
    ]);
    this.edits.composite(closeParen, bodyStart, [
      `);${tdz}}try{${labels}for(;;){${C}=false;let ${R}=yield ${p}.asyncIteratorNext(${A});` +
        `if(${p}.iteratorComplete(${R}))break;${R}=${R}.value;${C}=true;`,
      ...binding,
      lineTerminatorsOf(text, closeParen, bodyStart),
    ]);

    this.forInOf(node);

    this.edits.insert(
      node.body.end!,
      `}}catch(${E}){if(${C}){${C}=false;try{const ${M}=${p}.asyncIteratorReturn(${A});if(${M}!==null)yield ` +
        `${M}.v}catch{}}throw ${E}}` +
        `finally{if(${C}){${C}=false;const ` +
        `${M}=${p}.asyncIteratorReturn(${A});if(${M}!==null)${p}.iteratorResultObject(yield ${M}.v)}}}`,
    );
  }
}
