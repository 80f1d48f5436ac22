/**
 * A structural check of a ModuleSourceRecord read back from storage (a compile cache): every field
 * the records and the evaluator read has the type they expect. A stored record that fails it is
 * treated as missing, so a damaged cache entry is rebuilt instead of reaching the module records.
 */
import type { ModuleSourceRecord } from './types.js';

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string';
const isNameOrNull: Check = (value) => value === null || typeof value === 'string';
const isBoolean: Check = (value) => typeof value === 'boolean';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(check: Check): Check {
  return (value) => Array.isArray(value) && value.every(check);
}

function optional(check: Check): Check {
  return (value) => value === undefined || check(value);
}

function shape(fields: Record<string, Check>): Check {
  return (value) => {
    if (!isObject(value)) return false;
    for (const key in fields) if (!fields[key]!(value[key])) return false;
    return true;
  };
}

const isAttribute = shape({ key: isString, value: isString });
const isPhase: Check = (value) => value === undefined || value === 'source' || value === 'defer';
const isRequest = shape({ specifier: isString, attributes: arrayOf(isAttribute), phase: isPhase });
const isStringRecord: Check = (value) => isObject(value) && Object.values(value).every(isString);

const isRecord = shape({
  url: isString,
  requestedModules: arrayOf(isRequest),
  importEntries: arrayOf(shape({ moduleRequest: isRequest, importName: isNameOrNull, localName: isString })),
  localExportEntries: arrayOf(shape({ exportName: isString, localName: isString })),
  indirectExportEntries: arrayOf(shape({ exportName: isString, moduleRequest: isRequest, importName: isNameOrNull })),
  starExportEntries: arrayOf(shape({ moduleRequest: isRequest })),
  hasTLA: isBoolean,
  needsImport: isBoolean,
  needsImportMeta: isBoolean,
  bindings: arrayOf(
    shape({
      import: optional(isString),
      export: optional(isString),
      importAllFrom: optional(isString),
      exportAllFrom: optional(isString),
      importFrom: optional(isString),
      as: optional(isString),
      from: optional(isString),
      with: optional(isStringRecord),
      importSourceFrom: optional(isString),
      phase: optional((value) => value === 'defer'),
    }),
  ),
  compiled: shape({ code: isString, getterNames: arrayOf(isString), importNames: arrayOf(isString) }),
});

/** Whether `value` (parsed from JSON) has the shape of a ModuleSourceRecord of source text. */
export function isModuleSourceRecordShape(value: unknown): value is ModuleSourceRecord {
  return isRecord(value);
}
