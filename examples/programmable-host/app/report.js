// report.js → users.js (ES) → db.js, and report.js → audit.cjs (CommonJS) → db.js.
import { auditLine } from './audit.cjs';
import { nextId } from './ids.js';
import { userNames } from './users.js';

export async function report() {
  return `report #${nextId()}: users ${(await userNames()).join(', ')}; ${auditLine()}`;
}
