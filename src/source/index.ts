/** source/: module text → analysed, compiled ModuleSourceRecord (the only place that uses the parser). */
export { createModuleSourceRecord, type ModuleSourceRecordOptions } from './module-source-record.js';
export {
  analyzeReplInput,
  type ReplDeclaration,
  type ReplDeclarationKind,
  type ReplInputAnalysis,
} from './repl-input.js';
export type * from './types.js';
