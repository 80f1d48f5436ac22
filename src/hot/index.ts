/**
 * Hot module replacement for modhost's hosts (host-neutral: the Node and browser hosts use it):
 * `import.meta.hot` (./context.ts), the propagation planner (./plan.ts) and the update
 * controller (./controller.ts). The records-level operation is records/hot.ts.
 */
export type { HotAcceptEntry, HotEventPayloads, HotModuleNamespace } from './context.js';
export { HotContext, HotRegistry } from './context.js';
export type { HotController, HotHostAdapter, HotUpdateReport } from './controller.js';
export { createHotController, handlerKeyOf } from './controller.js';
export type { ImportMetaHot, ImportMetaHotNamespace } from './hot-api.js';
export type { HotPlan, HotPlanGraph } from './plan.js';
export { planHotUpdate } from './plan.js';
