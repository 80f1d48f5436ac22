export { createError, hasCode, ERROR_CODES } from './codes.js';
export type { ErrorCode, ErrorContext, ModhostErrorFields, ErrorBase } from './codes.js';
