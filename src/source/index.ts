/** source/: module text → analysed, compiled ModuleSourceRecord (the only place that uses the parser). */
export { createModuleSourceRecord, type ModuleSourceRecordOptions } from './module-source-record.js';
export type * from './types.js';
