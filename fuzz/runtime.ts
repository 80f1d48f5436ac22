/**
 * The world that generated module code runs in: a shared log, a fake clock, and the global helpers
 * the generated code calls (`__log`, `__fmt`, `__delay`, `__dyn`, ...).
 *
 * Determinism is the point of this file. Real timers would make the evaluation order depend on
 * wall-clock time, and host-defined tick counts (how many microtasks an engine's `import()` takes)
 * would make it depend on the host. So:
 * - a "delay" is a fake-clock event; the driver fires exactly one event per macrotask turn, after
 *   the microtask queue has drained, in (due time, registration) order;
 * - a dynamic import is started from an event (or synchronously, for modules whose evaluation has
 *   already begun) and its result is delivered in a turn of its own, in registration order, once it
 *   has settled. The log therefore shows where each turn starts (`~N`), and within a turn the order
 *   is the spec's microtask order, which both engines must reproduce exactly.
 */

/** The error class generated code throws (`throw new __E(tag)`); `tag` names module and point. */
export class FuzzError extends Error {
  readonly tag: string;
  constructor(tag: string) {
    super(tag);
    this.tag = tag;
  }
}

/** What an engine's import hook throws for a specifier that names no module of the graph. */
export class LoadError extends Error {
  readonly tag: string;
  constructor(specifier: string) {
    super(`no module named ${specifier}`);
    this.tag = `load ${specifier}`;
  }
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fire: () => void;
}

interface PendingImport {
  readonly id: number;
  deliver: (() => void) | null;
}

/** The longest run, in turns; generated graphs need far fewer, so hitting it means a hang. */
const MAX_TURNS = 5000;

/** Formats any value as a short, engine-independent string. */
export function fmt(value: unknown, depth = 0): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return 'symbol';
    case 'function': {
      const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
      return `fn ${JSON.stringify((value as { name?: unknown }).name)}/${String(proto?.constructor?.name)}`;
    }
    default: {
      if (value === null) return 'null';
      if (typeof value !== 'object') return typeof value;
      if (isNamespace(value)) return depth > 1 ? '[ns]' : `[ns ${namespaceBody(value, depth + 1)}]`;
      if (value instanceof Promise) return 'promise';
      return Object.prototype.toString.call(value);
    }
  }
}

/** The hook's own error inside modhost's ERR_MODHOST_IMPORT_HOOK_FAILED wrapper; anything else as is. */
function hookFailureCause(error: unknown): unknown {
  const wrapper = error as { code?: unknown; cause?: unknown } | null;
  return typeof wrapper === 'object' && wrapper !== null && wrapper.code === 'ERR_MODHOST_IMPORT_HOOK_FAILED'
    ? wrapper.cause
    : error;
}

/** A module namespace exotic object: null prototype and @@toStringTag "Module". */
function isNamespace(value: object): boolean {
  try {
    return Object.getPrototypeOf(value) === null && (value as Record<symbol, unknown>)[Symbol.toStringTag] === 'Module';
  } catch {
    return false;
  }
}

function errorName(error: unknown): string {
  if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
    const ctor = (error as { constructor?: { name?: unknown } }).constructor;
    return typeof ctor?.name === 'string' ? ctor.name : 'object';
  }
  return `throw ${fmt(error)}`;
}

/** Keys in [[OwnPropertyKeys]] order with their values (a TDZ binding shows as `!ReferenceError`). */
function namespaceBody(ns: object, depth: number): string {
  const parts: string[] = [];
  for (const key of Reflect.ownKeys(ns)) {
    if (typeof key === 'symbol') continue;
    let shown: string;
    try {
      shown = fmt((ns as Record<string, unknown>)[key], depth);
    } catch (error) {
      shown = `!${errorName(error)}`;
    }
    parts.push(`${key}=${shown}`);
  }
  return parts.join(',');
}

/**
 * The final picture of the entry namespace: every string key with its value and property
 * attributes, the @@toStringTag property, extensibility and prototype. Taken after the last turn.
 */
export function snapshotNamespace(ns: unknown): string {
  if (ns === null || typeof ns !== 'object') return `not an object: ${fmt(ns)}`;
  const parts: string[] = [];
  for (const key of Reflect.ownKeys(ns)) {
    if (typeof key === 'symbol') {
      const d = Object.getOwnPropertyDescriptor(ns, key);
      parts.push(`@@${key.description}=${fmt(d?.value)}:${flags(d)}`);
      continue;
    }
    let shown: string;
    try {
      const d = Object.getOwnPropertyDescriptor(ns, key);
      shown = `${fmt(d?.value, 1)}:${flags(d)}`;
    } catch (error) {
      shown = `!${errorName(error)}`;
    }
    parts.push(`${key}=${shown}`);
  }
  const proto = Object.getPrototypeOf(ns) === null ? 'null' : 'other';
  return `{${parts.join(', ')}} proto=${proto} extensible=${Object.isExtensible(ns)}`;
}

function flags(d: PropertyDescriptor | undefined): string {
  if (d === undefined) return 'none';
  return `${d.writable ? 'w' : '-'}${d.enumerable ? 'e' : '-'}${d.configurable ? 'c' : '-'}`;
}

/** The index of the timer to fire next: the earliest due, then the earliest registered. */
export function earliestTimer(timers: readonly { readonly due: number; readonly seq: number }[]): number {
  let best = 0;
  for (let i = 1; i < timers.length; i++) {
    const t = timers[i]!;
    const b = timers[best]!;
    if (t.due < b.due || (t.due === b.due && t.seq < b.seq)) best = i;
  }
  return best;
}

/** One run's shared state. A fresh instance per engine per graph. */
export class FuzzRuntime {
  readonly log: string[] = [];
  /** Set when an oracle-side artefact (a Node `ERR_VM_*` error) was observed: the run proves nothing. */
  artefact: string | null = null;
  /** Messages of ERR_MODHOST_INTERNAL errors that reached module code or the entry. */
  readonly internal: string[] = [];
  private now = 0;
  private seq = 0;
  private timers: Timer[] = [];
  private imports: PendingImport[] = [];
  private nextImportId = 0;
  private readonly errors: unknown[] = [];
  turn = 0;

  /** Schedules `fire` on the fake clock, `delay` units from now (negative counts as 0). */
  schedule(delay: number, fire: () => void): void {
    this.timers.push({ due: this.now + Math.max(0, delay), seq: this.seq++, fire });
  }

  /**
   * Formats an error: constructor name, tag if it has one, and `#k` where k numbers distinct error
   * objects in the order they were first seen, so "the same error object again" is comparable.
   */
  err(thrown: unknown): string {
    // modhost reports an importHook's failure as ERR_MODHOST_IMPORT_HOOK_FAILED with the hook's
    // error as `cause` (a documented deviation); V8's linker rejects with the error itself.
    const error = hookFailureCause(thrown);
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_VM_')) this.artefact ??= code;
    if (code === 'ERR_MODHOST_INTERNAL') this.internal.push(String((error as Error).message));
    if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return errorName(error);
    let id = this.errors.indexOf(error);
    if (id < 0) {
      id = this.errors.length;
      this.errors.push(error);
    }
    const tag = (error as { tag?: unknown }).tag;
    return `${errorName(error)}${typeof tag === 'string' ? `(${tag})` : ''}#${id}`;
  }

  /** The next event to run, or undefined when nothing is left. */
  private nextEvent(): (() => void) | undefined {
    // Settled dynamic imports first, in the order they were started: their settling time within
    // the last turn depends on host tick counts, their registration order does not.
    const ready = this.imports.find((p) => p.deliver !== null);
    if (ready !== undefined) {
      this.imports = this.imports.filter((p) => p !== ready);
      return ready.deliver!;
    }
    if (this.timers.length === 0) return undefined;
    const [timer] = this.timers.splice(earliestTimer(this.timers), 1);
    this.now = timer!.due;
    return timer!.fire;
  }

  /**
   * Runs the event loop: drain microtasks, fire one event, repeat until nothing is scheduled.
   * Returns false when the turn budget ran out.
   */
  async drive(): Promise<boolean> {
    for (;;) {
      await macrotask();
      const event = this.nextEvent();
      if (event === undefined) return true;
      if (++this.turn > MAX_TURNS) return false;
      this.log.push(`~${this.turn}`);
      event();
    }
  }

  /** `__dyn(tag, thunk, delay, rethrow)`: see the file comment. delay < 0 calls thunk at once. */
  dyn(tag: string, thunk: () => unknown, delay = 0, rethrow = false): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const start = (): void => {
        const pending: PendingImport = { id: this.nextImportId++, deliver: null };
        this.imports.push(pending);
        let promise: Promise<unknown>;
        try {
          promise = Promise.resolve(thunk());
        } catch (error) {
          promise = Promise.reject(error);
        }
        promise.then(
          (ns) => {
            pending.deliver = () => {
              this.log.push(`${tag} ok ${fmt(ns)}`);
              resolve(ns);
            };
          },
          (error: unknown) => {
            pending.deliver = () => {
              this.log.push(`${tag} err ${this.err(error)}`);
              if (rethrow) reject(error);
              else resolve(undefined);
            };
          },
        );
      };
      if (delay < 0) start();
      else this.schedule(delay, start);
    });
  }

  /** The globals generated code uses. */
  globals(): Record<string, unknown> {
    return {
      __log: this.log,
      __E: FuzzError,
      __fmt: (v: unknown) => fmt(v),
      __err: (e: unknown) => this.err(e),
      /** Formats fn() or the name of what it threw (for reads inside callbacks). */
      __v: (fn: () => unknown) => {
        try {
          return fmt(fn());
        } catch (error) {
          return `!${errorName(error)}`;
        }
      },
      __delay: (delay: number, value?: unknown) => new Promise((resolve) => this.schedule(delay, () => resolve(value))),
      __reject: (delay: number, tag: string) =>
        new Promise((_, reject) => this.schedule(delay, () => reject(new FuzzError(tag)))),
      __thenable: (value: unknown) => ({ then: (resolve: (v: unknown) => void) => resolve(value) }),
      __slowThenable: (delay: number, value: unknown) => ({
        then: (resolve: (v: unknown) => void) => this.schedule(delay, () => resolve(value)),
      }),
      __later: (delay: number, fn: () => void) =>
        this.schedule(delay, () => {
          try {
            fn();
          } catch (error) {
            this.log.push(`later threw ${this.err(error)}`);
          }
        }),
      __dyn: (tag: string, thunk: () => unknown, delay?: number, rethrow?: boolean) =>
        this.dyn(tag, thunk, delay, rethrow),
    };
  }

  /** Defines the globals on `target`; returns a function that restores what was there. */
  install(target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): () => void {
    const saved = new Map<string, PropertyDescriptor | undefined>();
    for (const [key, value] of Object.entries(this.globals())) {
      saved.set(key, Object.getOwnPropertyDescriptor(target, key));
      Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
    }
    return () => {
      for (const [key, d] of saved) {
        if (d === undefined) delete target[key];
        else Object.defineProperty(target, key, d);
      }
    };
  }
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
