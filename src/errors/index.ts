export type { ErrorBase, ErrorCode, ErrorContext, ModhostErrorFields } from './codes.js';
export { createError, ERROR_CODES, hasCode } from './codes.js';
