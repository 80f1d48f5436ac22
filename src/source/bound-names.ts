/** ECMA-262 BoundNames of binding patterns and declarations, with the node of each name. */
import type { ESTree } from './parse.js';

/** Appends the BoundNames identifiers of a binding pattern to `out`, in source order. */
export function boundIdentifiers(pattern: ESTree.Node, out: ESTree.Identifier[]): void {
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern);
      return;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        boundIdentifiers(property.type === 'RestElement' ? property.argument : property.value, out);
      }
      return;
    case 'ArrayPattern':
      for (const element of pattern.elements) if (element !== null) boundIdentifiers(element, out);
      return;
    case 'RestElement':
      boundIdentifiers(pattern.argument, out);
      return;
    case 'AssignmentPattern':
      boundIdentifiers(pattern.left, out);
      return;
    default:
      return;
  }
}

/** BoundNames of a VariableStatement, FunctionDeclaration or ClassDeclaration (identifiers). */
export function declarationBoundIdentifiers(declaration: ESTree.Node): ESTree.Identifier[] {
  const out: ESTree.Identifier[] = [];
  if (declaration.type === 'VariableDeclaration') {
    for (const declarator of declaration.declarations) boundIdentifiers(declarator.id, out);
  } else if (
    (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') &&
    declaration.id
  ) {
    out.push(declaration.id);
  }
  return out;
}
