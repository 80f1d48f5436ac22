/**
 * Linking: 16.2.1.6.1.2 Link and InnerModuleLinking (and 16.2.1.8.4.4 for Synthetic Module
 * Records).
 *
 * Deep graphs: InnerModuleLinking recurses once per module along a dependency chain. Here it runs
 * on an explicit stack of frames (`frames`, distinct from the spec's `stack` of modules being
 * linked). A frame is one InnerModuleLinking(module, stack, index) call stopped in its step 9
 * loop; step 9.c for a dependency runs when that dependency's frame has been popped, so modules
 * are visited, initialized and transition in the recursive order. `index` only ever grows and is
 * threaded through every call, so one counter stands for it. A throw unwinds every frame at once,
 * as it would unwind the recursion.
 *
 * Step numbers follow ECMA-262 as of the ES2026 draft (tc39/ecma262@000164db); a step that
 * follows a later text names the pull request.
 */
import { Assert, AssertionFailed } from './assert.js';
import { InitializeEnvironment } from './environment.js';
import { ListAppend, ListAt, ListCreate, ListPop } from './intrinsics.js';
import { GetImportedModule } from './loading.js';
import { type CyclicModuleRecord, IsCyclicModuleRecord, type ModuleRecord } from './module-record.js';
import { SyntheticModuleLink } from './synthetic-module-record.js';

/**
 * 16.2.1.6.1.2 Link() — https://tc39.es/ecma262/#sec-moduledeclarationlinking (and 16.2.1.8.4.4
 * https://tc39.es/ecma262/#sec-smr-Link).
 */
export function Link(module: ModuleRecord): void {
  if (!IsCyclicModuleRecord(module)) {
    SyntheticModuleLink(module);
    return;
  }
  // 1.
  Assert(
    module.status === 'unlinked' ||
      module.status === 'linked' ||
      module.status === 'evaluating-async' ||
      module.status === 'evaluated',
    `Link step 1: ${module.source.url} is ${module.status}`,
  );
  // 2.
  const stack = ListCreate<CyclicModuleRecord>();
  // 3.
  try {
    InnerModuleLinking(module, stack, 0);
  } catch (error) {
    // 4.a Every module still on the stack goes back to ~unlinked~.
    for (let i = 0; i < stack.length; i++) {
      const m = ListAt(stack, i);
      // 4.a.i
      Assert(m.status === 'linking', 'Link step 4.a.i');
      // 4.a.ii
      m.status = 'unlinked';
      // modhost: the environment this failed Link created is dropped. A spec import binding names
      // (module, binding) and finds module.[[Environment]] at each access; ours is bound to an
      // environment's getter, so an importer initialized before this module's next
      // InitializeEnvironment must wait for the new environment rather than bind to this one.
      m.environment = undefined;
      m.context = undefined;
    }
    // 4.b
    Assert(module.status === 'unlinked', 'Link step 4.b');
    // 4.c
    throw error;
  }
  // 5.
  Assert(
    module.status === 'linked' || module.status === 'evaluating-async' || module.status === 'evaluated',
    'Link step 5',
  );
  // 6.
  Assert(stack.length === 0, 'Link step 6');
  // 7.
}

/** One InnerModuleLinking call in its step 9 loop. */
class InnerModuleLinkingFrame {
  readonly module: CyclicModuleRecord;
  /** Index of the next [[RequestedModules]] element. */
  next = 0;
  /** The dependency whose call just returned (awaiting step 9.c), if any. */
  requiredModule: ModuleRecord | undefined = undefined;
  constructor(module: CyclicModuleRecord) {
    this.module = module;
  }
}

/**
 * 16.2.1.6.1.2.1 InnerModuleLinking(module, stack, index) —
 * https://tc39.es/ecma262/#sec-InnerModuleLinking. Returns the new index.
 */
export function InnerModuleLinking(module: ModuleRecord, stack: CyclicModuleRecord[], index: number): number {
  const frames = ListCreate<InnerModuleLinkingFrame>();
  let counter = index;
  // Steps 1-8 of one call; pushes a frame when the call reaches step 9.
  const enter = (m: ModuleRecord): void => {
    // 1. Not a Cyclic Module Record: Link it.
    if (!IsCyclicModuleRecord(m)) {
      // 1.a-b
      Link(m);
      return;
    }
    // 2. Already linking or linked.
    if (m.status === 'linking' || m.status === 'linked' || m.status === 'evaluating-async' || m.status === 'evaluated')
      return;
    // 3.
    if (!(m.status === 'unlinked')) AssertionFailed(`InnerModuleLinking step 3: ${m.source.url} is ${m.status}`);
    // 4.
    m.status = 'linking';
    // 5-6.
    m.dfsIndex = counter;
    m.dfsAncestorIndex = counter;
    // 7.
    counter++;
    // 8.
    ListAppend(stack, m);
    ListAppend(frames, new InnerModuleLinkingFrame(m));
  };
  enter(module);
  while (frames.length > 0) {
    const frame = ListAt(frames, frames.length - 1);
    const current = frame.module;
    const requiredModule = frame.requiredModule;
    if (requiredModule !== undefined) {
      frame.requiredModule = undefined;
      // 9.c
      if (IsCyclicModuleRecord(requiredModule)) {
        // 9.c.i-ii
        Assert(
          requiredModule.status === 'linking' ||
            requiredModule.status === 'linked' ||
            requiredModule.status === 'evaluating-async' ||
            requiredModule.status === 'evaluated',
          'InnerModuleLinking step 9.c.i',
        );
        // 9.c.iii
        if (requiredModule.status === 'linking') {
          // (min, without the replaceable Math.min)
          if ((requiredModule.dfsAncestorIndex as number) < (current.dfsAncestorIndex as number)) {
            current.dfsAncestorIndex = requiredModule.dfsAncestorIndex;
          }
        }
      }
    }
    const requests = current.requestedModules;
    if (frame.next < requests.length) {
      // 9. For each ModuleRequest Record request of module.[[RequestedModules]]:
      const request = requests[frame.next];
      frame.next++;
      // (source phase imports) 9.a: only requests whose [[Phase]] is not ~source~ are linked; a
      //   source phase request needs no more than its loaded module.
      if ((request as (typeof requests)[number]).phase === 'source') continue;
      // 9.a
      const required = GetImportedModule(current, request as (typeof requests)[number]);
      frame.requiredModule = required;
      // 9.b (the call; step 9.c runs when this frame is on top again)
      enter(required);
      continue;
    }
    // 10.
    InitializeEnvironment(current);
    // 11-12.
    Assert((current.dfsAncestorIndex as number) <= (current.dfsIndex as number), 'InnerModuleLinking step 12');
    // 13. The root of a strongly connected component: its whole component is linked.
    if (current.dfsAncestorIndex === current.dfsIndex) {
      // 13.a-b
      let done = false;
      while (!done) {
        // 13.b.i-ii
        const m = ListPop(stack);
        // 13.b.iii-iv
        m.status = 'linked';
        // 13.b.v
        if (m === current) done = true;
      }
    }
    // 14.
    ListPop(frames);
  }
  return counter;
}
