/** `ModuleSource.prototype.bindings` entries (proposal layer 1 static analysis); see ModuleBinding in types.ts. */

import { declarationBoundIdentifiers } from './bound-names.js';
import { nameValue } from './names.js';
import type { ESTree } from './parse.js';
import type { ModuleBinding, ModuleRequest } from './types.js';

function freezeBinding(binding: Record<string, unknown>, request: ModuleRequest | null): ModuleBinding {
  if (request !== null && request.attributes.length > 0) {
    // A null-prototype object: an attribute key such as "__proto__" stays an own property.
    const attributes: Record<string, string> = Object.create(null);
    for (const { key, value } of request.attributes) attributes[key] = value;
    binding.with = Object.freeze(attributes);
  }
  return Object.freeze(binding) as ModuleBinding;
}

/** Appends the bindings of one import or export declaration, in source order. */
export function appendBindings(out: ModuleBinding[], declaration: ESTree.Node, request: ModuleRequest | null): void {
  switch (declaration.type) {
    case 'ImportDeclaration': {
      const from = request!.specifier;
      if (declaration.specifiers.length === 0) {
        out.push(freezeBinding({ importFrom: from }, request));
        return;
      }
      for (const specifier of declaration.specifiers) {
        const local = specifier.local.name;
        if (request!.phase === 'source') {
          // `import source x from 'm'` binds the module's source object, not an export.
          out.push(freezeBinding({ importSourceFrom: from, as: local }, request));
        } else if (specifier.type === 'ImportDefaultSpecifier') {
          out.push(freezeBinding({ import: 'default', as: local, from }, request));
        } else if (specifier.type === 'ImportNamespaceSpecifier') {
          out.push(
            freezeBinding(
              request!.phase === 'defer'
                ? { importAllFrom: from, as: local, phase: 'defer' }
                : { importAllFrom: from, as: local },
              request,
            ),
          );
        } else {
          const imported = nameValue(specifier.imported as ESTree.Identifier | ESTree.Literal);
          out.push(
            freezeBinding(
              imported === local ? { import: imported, from } : { import: imported, as: local, from },
              request,
            ),
          );
        }
      }
      return;
    }
    case 'ExportAllDeclaration': {
      const from = request!.specifier;
      const exported = declaration.exported;
      out.push(
        freezeBinding(
          exported === null ? { exportAllFrom: from } : { exportAllFrom: from, as: nameValue(exported) },
          request,
        ),
      );
      return;
    }
    case 'ExportNamedDeclaration': {
      if (declaration.declaration !== null) {
        for (const id of declarationBoundIdentifiers(declaration.declaration))
          out.push(freezeBinding({ export: id.name }, null));
        return;
      }
      if (request !== null && declaration.specifiers.length === 0) {
        // `export {} from 'm'` binds nothing but still requests 'm' (listed like `import 'm'`).
        out.push(freezeBinding({ importFrom: request.specifier }, request));
        return;
      }
      for (const specifier of declaration.specifiers) {
        const local = nameValue(specifier.local);
        const exported = nameValue(specifier.exported);
        const binding: Record<string, unknown> =
          local === exported ? { export: local } : { export: local, as: exported };
        if (request !== null) binding.from = request.specifier;
        out.push(freezeBinding(binding, request));
      }
      return;
    }
    case 'ExportDefaultDeclaration': {
      const inner = declaration.declaration;
      if ((inner.type === 'FunctionDeclaration' || inner.type === 'ClassDeclaration') && inner.id) {
        out.push(freezeBinding({ export: inner.id.name, as: 'default' }, null));
      } else {
        out.push(freezeBinding({ export: 'default' }, null));
      }
      return;
    }
    default:
      return;
  }
}
