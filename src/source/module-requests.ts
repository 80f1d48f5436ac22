/**
 * ModuleRequest Records (ECMA-262 16.2.1.3), ModuleRequestsEqual (16.2.1.3.1),
 * WithClauseToAttributes (16.2.2.4) and the de-duplicated [[RequestedModules]] list
 * (16.2.1.4 ModuleRequests).
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */

import { nameValue } from './names.js';
import type { ESTree } from './parse.js';
import type { ImportAttribute, ImportPhase, ModuleRequest } from './types.js';

const EMPTY: readonly ImportAttribute[] = Object.freeze([]);

/**
 * 16.2.2.4 WithClauseToAttributes: the attributes of a `with { … }` clause, sorted by key in
 * UTF-16 code-unit order. Duplicate keys are an early error checked in early-errors.ts.
 */
export function withClauseToAttributes(attributes: readonly ESTree.ImportAttribute[]): readonly ImportAttribute[] {
  if (attributes.length === 0) return EMPTY;
  const list: ImportAttribute[] = [];
  for (const attribute of attributes) {
    list.push(Object.freeze({ key: nameValue(attribute.key), value: String(attribute.value.value) }));
  }
  // 2. Sort by [[Key]] as sequences of UTF-16 code units (`<` on strings compares code units).
  list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return Object.freeze(list);
}

/** 16.2.1.3.1 ModuleRequestsEqual ( left, right ). */
export function moduleRequestsEqual(left: ModuleRequest, right: ModuleRequest): boolean {
  // 1. If left.[[Specifier]] is not right.[[Specifier]], return false.
  if (left.specifier !== right.specifier) return false;
  // 2-6. Compare the attribute counts.
  const leftAttrs = left.attributes;
  const rightAttrs = right.attributes;
  if (leftAttrs.length !== rightAttrs.length) return false;
  // 7. Every attribute of left has an equal attribute in right.
  for (const l of leftAttrs) {
    let found = false;
    for (const r of rightAttrs) {
      if (l.key === r.key && l.value === r.value) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  // 8. Return true.
  return true;
}

/**
 * Collects [[RequestedModules]] in source order, de-duplicated by ModuleRequestsEqual and
 * [[Phase]] (16.2.1.4, ModuleItemList : ModuleItemList ModuleItem, step 3.a, as the source phase
 * imports and import defer proposals amend it: "ModuleRequestsEqual(mr, mr2) is true and
 * mr.[[Phase]] is mr2.[[Phase]]"). `request` returns the one canonical record for equal requests,
 * so entries that name the same module in the same phase share an object.
 */
export class ModuleRequestCollector {
  readonly list: ModuleRequest[] = [];
  private readonly bySpecifier = new Map<string, ModuleRequest[]>();

  request(specifier: string, attributes: readonly ImportAttribute[], phase: ImportPhase = 'evaluation'): ModuleRequest {
    const candidate: ModuleRequest =
      phase === 'evaluation' ? { specifier, attributes } : { specifier, attributes, phase };
    const same = this.bySpecifier.get(specifier);
    if (same !== undefined) {
      for (const existing of same)
        if ((existing.phase ?? 'evaluation') === phase && moduleRequestsEqual(existing, candidate)) return existing;
      same.push(candidate);
    } else {
      this.bySpecifier.set(specifier, [candidate]);
    }
    Object.freeze(candidate);
    this.list.push(candidate);
    return candidate;
  }
}
