import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createHookChains,
  type DefaultLoad,
  type DefaultResolve,
  type LoadHookContext,
  type ModuleHooks,
  type ResolveHookContext,
} from '../../../src/hosts/hooks/chain.js';

function resolveContext(parentURL = 'file:///app/main.js'): ResolveHookContext {
  return { parentURL, conditions: ['import', 'node', 'default'], importAttributes: {} };
}
function loadContext(format: string | undefined = 'module'): LoadHookContext {
  return { format, conditions: ['import', 'node', 'default'], importAttributes: {} };
}

/** A default resolve step that records its calls and answers file URLs. */
function defaultResolve(log: string[] = []): DefaultResolve {
  return (specifier, context) => {
    log.push(`default ${specifier}`);
    if (specifier === 'missing') {
      throw Object.assign(new Error(`Cannot find module '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });
    }
    return { url: new URL(specifier, context.parentURL ?? 'file:///').href, format: 'module' };
  };
}
const defaultLoad: DefaultLoad = (url, context) => ({ format: context.format ?? 'module', source: `// ${url}` });

describe('hook chains: order and next*', () => {
  it('calls hooks[0] first; the last hook’s next* is the default step', () => {
    const log: string[] = [];
    const hooks: ModuleHooks[] = [
      {
        resolve(specifier, context, next) {
          log.push(`h0 ${specifier}`);
          return next(`${specifier}?h0`, context);
        },
      },
      {
        resolve(specifier, context, next) {
          log.push(`h1 ${specifier}`);
          return next(`${specifier}&h1`, context);
        },
      },
    ];
    const chains = createHookChains(hooks);
    const result = chains.resolve('./x.js', resolveContext(), defaultResolve(log));
    assert.deepEqual(log, ['h0 ./x.js', 'h1 ./x.js?h0', 'default ./x.js?h0&h1']);
    assert.equal((result as { url: string }).url, 'file:///app/x.js?h0&h1');
  });

  it('skips hooks that do not have the function for this chain', () => {
    const log: string[] = [];
    const chains = createHookChains([
      { load: (url, context, next) => next(url, context) },
      {
        resolve(specifier, context, next) {
          log.push('resolver');
          return next(specifier, context);
        },
      },
    ]);
    assert.equal(chains.resolveCount, 1);
    assert.equal(chains.loadCount, 1);
    chains.resolve('./a.js', resolveContext(), defaultResolve(log));
    assert.deepEqual(log, ['resolver', 'default ./a.js']);
  });

  it('merges a partial context given to next* into the one context every later step sees', () => {
    const seen: unknown[] = [];
    const chains = createHookChains([
      { resolve: (specifier, _context, next) => next(specifier, { conditions: ['custom', 'import'] }) },
      {
        resolve(specifier, context, next) {
          seen.push([...context.conditions], context.parentURL);
          return next(specifier);
        },
      },
    ]);
    const context = resolveContext('file:///p/q.js');
    chains.resolve('./r.js', context, (specifier, ctx) => {
      seen.push(ctx === context, ctx.conditions[0]);
      return { url: new URL(specifier, ctx.parentURL).href };
    });
    assert.deepEqual(seen, [['custom', 'import'], 'file:///p/q.js', true, 'custom']);
  });

  it('a hook may answer without next* when it says shortCircuit: true', () => {
    const log: string[] = [];
    const chains = createHookChains([
      {
        resolve: (specifier, context, next) =>
          specifier === 'api' ? { url: 'memory:/api.js', shortCircuit: true } : next(specifier, context),
      },
    ]);
    const result = chains.resolve('api', resolveContext(), defaultResolve(log));
    assert.deepEqual(
      { ...(result as object) },
      { url: 'memory:/api.js', format: undefined, importAttributes: undefined },
    );
    assert.deepEqual(log, []);
  });

  it('returns null-prototype copies, not the hook’s objects', () => {
    const answer = { url: 'memory:/a.js', format: 'module', shortCircuit: true, extra: 1 };
    const chains = createHookChains([{ resolve: () => answer }]);
    const result = chains.resolve('a', resolveContext(), defaultResolve()) as object;
    assert.notEqual(result, answer);
    assert.equal(Object.getPrototypeOf(result), null);
    assert.equal('extra' in result, false);
    assert.equal('shortCircuit' in result, false);
  });
});

describe('hook chains: ERR_LOADER_CHAIN_INCOMPLETE', () => {
  it('a hook that neither calls next* nor says shortCircuit fails the request, as in Node', () => {
    const chains = createHookChains([
      { resolve: (specifier, context, next) => next(specifier, context) },
      { resolve: () => ({ url: 'memory:/forgot.js' }) },
    ]);
    assert.throws(
      () => chains.resolve('x', resolveContext(), defaultResolve()),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'ERR_LOADER_CHAIN_INCOMPLETE');
        assert.equal(error.constructor, Error);
        assert.match(error.message, /"hooks\[1\]\.resolve" did not call the next hook in its chain/);
        assert.match(error.message, /shortCircuit: true/);
        return true;
      },
    );
  });

  it('shortCircuit: false is no short circuit either; calling next* and ignoring its answer is fine', () => {
    const incomplete = createHookChains([{ load: () => ({ format: 'module', source: '', shortCircuit: false }) }]);
    assert.throws(() => incomplete.load('file:///a.js', loadContext(), defaultLoad), {
      code: 'ERR_LOADER_CHAIN_INCOMPLETE',
    });
    const replaced = createHookChains([
      {
        load(url, context, next) {
          next(url, context);
          return { format: 'module', source: 'export default 1;' };
        },
      },
    ]);
    assert.equal(
      (replaced.load('file:///a.js', loadContext(), defaultLoad) as { source: string }).source,
      'export default 1;',
    );
  });

  it('checks asynchronous hooks when their promise settles', async () => {
    const chains = createHookChains([{ load: async () => ({ format: 'module', source: 'x' }) }]);
    await assert.rejects(Promise.resolve(chains.load('file:///a.js', loadContext(), defaultLoad)), {
      code: 'ERR_LOADER_CHAIN_INCOMPLETE',
    });
  });
});

describe('hook chains: results are validated (coded TypeErrors)', () => {
  const cases: Array<[string, unknown, string]> = [
    ['undefined', undefined, 'ERR_INVALID_RETURN_VALUE'],
    ['a string', 'file:///a.js', 'ERR_INVALID_RETURN_VALUE'],
    ['an array', [], 'ERR_INVALID_RETURN_VALUE'],
    ['no url', { shortCircuit: true }, 'ERR_INVALID_RETURN_PROPERTY_VALUE'],
    ['a relative url', { url: './a.js', shortCircuit: true }, 'ERR_INVALID_RETURN_PROPERTY_VALUE'],
    ['a URL object', { url: new URL('file:///a.js'), shortCircuit: true }, 'ERR_INVALID_RETURN_PROPERTY_VALUE'],
    ['a numeric format', { url: 'file:///a.js', format: 1, shortCircuit: true }, 'ERR_INVALID_RETURN_PROPERTY_VALUE'],
    [
      'attributes of numbers',
      { url: 'file:///a.js', importAttributes: { type: 1 }, shortCircuit: true },
      'ERR_INVALID_RETURN_PROPERTY_VALUE',
    ],
  ];
  for (const [what, answer, code] of cases) {
    it(`resolve returning ${what}: ${code}, naming the hook and the request`, () => {
      const chains = createHookChains([{ resolve: () => answer as never }]);
      assert.throws(
        () => chains.resolve('./a.js', resolveContext('file:///app/main.js'), defaultResolve()),
        (error: TypeError & { code?: string; specifier?: string; referrer?: string; hookIndex?: number }) => {
          assert.ok(error instanceof TypeError);
          assert.equal(error.code, code);
          assert.equal(error.specifier, './a.js');
          assert.equal(error.referrer, 'file:///app/main.js');
          assert.equal(error.hookIndex, 0);
          assert.match(error.message, /hooks\[0\]\.resolve/);
          assert.match(error.message, /"\.\/a\.js" imported from file:\/\/\/app\/main\.js/);
          return true;
        },
      );
    });
  }

  it('load: source must be a string, an ArrayBuffer or a TypedArray (null only for built-ins)', () => {
    for (const source of [undefined, null, 42, {}]) {
      const chains = createHookChains([
        { load: () => ({ format: 'module', source: source as never, shortCircuit: true }) },
      ]);
      assert.throws(() => chains.load('file:///a.js', loadContext(), defaultLoad), {
        name: 'TypeError',
        code: 'ERR_INVALID_RETURN_PROPERTY_VALUE',
      });
    }
    const builtin = createHookChains([{ load: () => ({ format: 'builtin', source: null, shortCircuit: true }) }]);
    assert.equal((builtin.load('node:fs', loadContext('builtin'), defaultLoad) as { source: unknown }).source, null);
  });

  it('load: bytes of a text format become text (UTF-8); wasm keeps its bytes', () => {
    const bytes = new TextEncoder().encode('export const é = 1;');
    const text = createHookChains([{ load: () => ({ format: 'module', source: bytes.buffer, shortCircuit: true }) }]);
    assert.equal(
      (text.load('file:///a.js', loadContext(), defaultLoad) as { source: unknown }).source,
      'export const é = 1;',
    );
    const view = createHookChains([
      { load: () => ({ format: 'module', source: new DataView(bytes.buffer, 7), shortCircuit: true }) },
    ]);
    assert.equal((view.load('file:///a.js', loadContext(), defaultLoad) as { source: unknown }).source, 'const é = 1;');
    const wasm = createHookChains([{ load: () => ({ format: 'wasm', source: bytes, shortCircuit: true }) }]);
    const loaded = wasm.load('file:///a.wasm', loadContext('wasm'), defaultLoad) as { source: unknown };
    assert.ok(loaded.source instanceof Uint8Array);
  });

  it('bad hook lists are a coded TypeError at construction', () => {
    assert.throws(() => createHookChains({} as never), { code: 'ERR_MODHOST_INVALID_ARGUMENT' });
    assert.throws(() => createHookChains([null as never]), {
      code: 'ERR_MODHOST_INVALID_ARGUMENT',
      message: /hooks\[0\]/,
    });
    assert.throws(() => createHookChains([{ resolve: 'no' as never }]), {
      code: 'ERR_MODHOST_INVALID_ARGUMENT',
      message: /hooks\[0\]\.resolve must be a function/,
    });
  });
});

describe('hook chains: errors', () => {
  it('a hook that throws: ERR_MODHOST_HOOK_FAILED names specifier, parent and hook, and keeps cause', () => {
    const cause = new RangeError('no such plugin');
    const chains = createHookChains([
      { resolve: (specifier, context, next) => next(specifier, context) },
      {
        resolve() {
          throw cause;
        },
      },
    ]);
    assert.throws(
      () => chains.resolve('plugin:x', resolveContext('file:///app/main.js'), defaultResolve()),
      (error: Error & { code?: string; specifier?: string; referrer?: string; hookIndex?: number }) => {
        assert.equal(error.code, 'ERR_MODHOST_HOOK_FAILED');
        assert.equal(error.cause, cause);
        assert.equal(error.specifier, 'plugin:x');
        assert.equal(error.referrer, 'file:///app/main.js');
        assert.equal(error.hookIndex, 1);
        assert.match(error.message, /hooks\[1\]\.resolve/);
        assert.match(error.message, /"plugin:x" imported from file:\/\/\/app\/main\.js: no such plugin/);
        return true;
      },
    );
  });

  it('keeps a thrown non-Error value as cause, unchanged', () => {
    const chains = createHookChains([
      {
        load() {
          throw 'plain string';
        },
      },
    ]);
    assert.throws(
      () => chains.load('memory:/x.js', loadContext(), defaultLoad, { specifier: './x.js', parentURL: 'memory:/m.js' }),
      (error: Error & { code?: string; url?: string }) => {
        assert.equal(error.code, 'ERR_MODHOST_HOOK_FAILED');
        assert.equal(error.cause, 'plain string');
        assert.equal(error.url, 'memory:/x.js');
        assert.match(error.message, /memory:\/x\.js \("\.\/x\.js" imported from memory:\/m\.js\): plain string/);
        return true;
      },
    );
  });

  it('an asynchronous hook that rejects: the same error, from the promise', async () => {
    const cause = new Error('fetch failed');
    const chains = createHookChains([
      {
        async load() {
          throw cause;
        },
      },
    ]);
    await assert.rejects(Promise.resolve(chains.load('memory:/x.js', loadContext(), defaultLoad)), {
      code: 'ERR_MODHOST_HOOK_FAILED',
      cause,
    });
  });

  it('errors of the default step pass through unwrapped, also through hooks that let them propagate', () => {
    const chains = createHookChains([{ resolve: (specifier, context, next) => next(specifier, context) }]);
    assert.throws(
      () => chains.resolve('missing', resolveContext(), defaultResolve()),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'ERR_MODULE_NOT_FOUND');
        assert.equal(error.cause, undefined);
        return true;
      },
    );
  });

  it('a hook may catch the default step’s error and answer instead (a fallback)', () => {
    const chains = createHookChains([
      {
        resolve(specifier, context, next) {
          try {
            return next(specifier, context);
          } catch (error) {
            if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
            return { url: `memory:/${specifier}.js`, shortCircuit: true };
          }
        },
      },
    ]);
    assert.equal(
      (chains.resolve('missing', resolveContext(), defaultResolve()) as { url: string }).url,
      'memory:/missing.js',
    );
  });

  it('a hook that catches an error from a later hook and throws its own is the one blamed', () => {
    const chains = createHookChains([
      {
        resolve(specifier, context, next) {
          try {
            return next(specifier, context);
          } catch {
            throw new Error('outer');
          }
        },
      },
      {
        resolve() {
          throw new Error('inner');
        },
      },
    ]);
    assert.throws(
      () => chains.resolve('a', resolveContext(), defaultResolve()),
      (error: Error & { hookIndex?: number }) => {
        assert.equal(error.hookIndex, 0);
        assert.equal((error.cause as Error).message, 'outer');
        return true;
      },
    );
  });
});

describe('hook chains: synchronous and asynchronous requests', () => {
  it('an asynchronous hook chain resolves to the validated answer', async () => {
    const chains = createHookChains([
      {
        async resolve(specifier, context, next) {
          await null;
          return next(specifier, context);
        },
      },
      { resolve: (specifier, context, next) => next(specifier, context) },
    ]);
    const pending = chains.resolve('./a.js', resolveContext(), defaultResolve());
    assert.ok(pending instanceof Promise);
    assert.equal((await pending).url, 'file:///app/a.js');
  });

  it('a request that needs an answer now fails with ERR_MODHOST_ASYNC_IN_REQUIRE on a promise', async () => {
    let rejected = false;
    const chains = createHookChains([
      {
        load: () =>
          Promise.reject(new Error('never observed')).finally(() => {
            rejected = true;
          }),
      },
    ]);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      assert.throws(
        () =>
          chains.load('file:///a.cjs', loadContext('commonjs'), defaultLoad, {
            syncFor: 'require()',
            specifier: './a.cjs',
            parentURL: 'file:///main.cjs',
          }),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'ERR_MODHOST_ASYNC_IN_REQUIRE');
          assert.match(
            error.message,
            /^require\(\) needs a synchronous answer, but the "load" hook \(hooks\[0\]\.load\) returned a promise/,
          );
          return true;
        },
      );
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(rejected, true);
      assert.deepEqual(unhandled, [], 'the abandoned promise is not an unhandled rejection');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('synchronous hooks give a synchronous answer', () => {
    const chains = createHookChains([{ resolve: (specifier, context, next) => next(specifier, context) }]);
    const result = chains.resolve('./a.js', resolveContext(), defaultResolve(), { syncFor: 'require()' });
    assert.equal(result instanceof Promise, false);
  });
});
