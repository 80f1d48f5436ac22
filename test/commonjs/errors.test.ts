import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fields, nodeSetup, SETUPS } from './helpers.js';

for (const make of SETUPS) {
  describe(`a module that throws - ${make().name}`, () => {
    it('the error propagates and the module leaves the cache; the next require runs it again', () => {
      const { cjs, traces, filename } = make();
      assert.throws(() => cjs.require('./errors/throws'), { message: 'boom from throws.js' });
      assert.equal(cjs.cache[filename('errors/throws.js')], undefined);
      assert.throws(() => cjs.require('./errors/throws'), { message: 'boom from throws.js' });
      assert.deepEqual(traces, ['throws: body', 'throws: body']);
    });

    it('modules it loaded successfully stay cached', () => {
      const { cjs, filename } = make();
      assert.throws(() => cjs.require('./errors/throws'));
      const helper = cjs.cache[filename('errors/ok-helper.js')];
      assert.ok(helper !== undefined);
      assert.equal(helper.loaded, true);
    });

    it("the parent's children and dependencies lose the failed module (entries this require added)", () => {
      const { cjs, uri, filename } = make();
      const parent = cjs.require('./errors/parent') as Record<string, unknown>;
      assert.equal((parent.caught as Error).message, 'boom from throws.js');
      assert.deepEqual(parent.dependencies, [uri('errors/ok-helper.js')]);
      assert.deepEqual(parent.children, [filename('errors/ok-helper.js')]);
    });

    it('cycle members that took the partial exports also lose the failed module', () => {
      const { cjs, filename, uri } = make();
      assert.throws(() => cjs.require('./errors/cycle-throw-a'), /a fails after b took its partial exports/);
      assert.equal(cjs.cache[filename('errors/cycle-throw-a.js')], undefined);
      const b = cjs.require('./errors/cycle-throw-b') as { got: unknown; check(): Record<string, unknown> };
      // b completed; it holds a's partial exports but no longer lists a as a dependency or child.
      assert.deepEqual(b.got, { partial: true });
      assert.deepEqual(b.check(), { dependencies: [], children: [] });
      assert.equal(cjs.cache[filename('errors/cycle-throw-b.js')]!.loaded, true);
      assert.ok(!cjs.cache[filename('errors/cycle-throw-b.js')]!.dependencies.includes(uri('errors/cycle-throw-a.js')));
    });

    it('a factory that throws: same rules as a body', () => {
      const { cjs, traces, filename } = make();
      assert.throws(() => cjs.require('./errors/define-throws'), { name: 'TypeError', message: 'factory failed' });
      assert.equal(cjs.cache[filename('errors/define-throws.js')], undefined);
      assert.throws(() => cjs.require('./errors/define-throws'), { name: 'TypeError' });
      assert.deepEqual(traces, ['define-throws: factory', 'define-throws: factory']);
    });

    it('a thrown non-Error value propagates unchanged', () => {
      const { cjs } = make();
      assert.throws(
        () => cjs.require('./errors/throws-string'),
        (thrown: unknown) => thrown === 'a string, not an Error',
      );
    });

    it('invalid JSON: a SyntaxError naming the file; not cached', () => {
      const { cjs, filename } = make();
      assert.throws(
        () => cjs.require('./errors/bad.json'),
        (error: unknown) => {
          assert.ok(error instanceof SyntaxError);
          assert.ok(error.message.startsWith(`${filename('errors/bad.json')}: `), error.message);
          return true;
        },
      );
      assert.equal(cjs.cache[filename('errors/bad.json')], undefined);
    });

    it('the stack of an error thrown by module code names the module file', () => {
      const { cjs, uri, filename } = make();
      assert.throws(
        () => cjs.require('./errors/throws'),
        (error: unknown) => {
          const stack = String((error as Error).stack);
          assert.ok(stack.includes(filename('errors/throws.js')) || stack.includes(uri('errors/throws.js')), stack);
          return true;
        },
      );
    });
  });
}

describe('errors - line numbers and syntax errors', () => {
  for (const compile of ['function', 'script'] as const) {
    it(`node loader (vm ${compile}): a throw shows file:line of the throw statement`, () => {
      const { cjs, filename } = nodeSetup({}, compile);
      assert.throws(
        () => cjs.require('./errors/throws'),
        (error: unknown) => {
          assert.match(String((error as Error).stack), new RegExp(`${escapeRegExp(filename('errors/throws.js'))}:6:7`));
          return true;
        },
      );
      const later = cjs.require('./errors/throws-later') as { fail(): void };
      assert.throws(
        () => later.fail(),
        (error: unknown) => {
          assert.match(
            String((error as Error).stack),
            new RegExp(`${escapeRegExp(filename('errors/throws-later.js'))}:2:9`),
          );
          return true;
        },
      );
    });

    it(`node loader (vm ${compile}): a syntax error is a SyntaxError whose stack names file:line`, () => {
      const { cjs, filename } = nodeSetup({}, compile);
      assert.throws(
        () => cjs.require('./errors/syntax-error'),
        (error: unknown) => {
          assert.ok(error instanceof SyntaxError);
          assert.match(String(error.stack), new RegExp(`${escapeRegExp(filename('errors/syntax-error.js'))}:2`));
          return true;
        },
      );
      assert.equal(cjs.cache[filename('errors/syntax-error.js')], undefined);
    });
  }

  it('memory loader (indirect eval): a throw shows uri:line; a syntax error is ERR_MODHOST_PARSE with uri', () => {
    const [, makeMemory] = SETUPS;
    const { cjs, uri } = makeMemory!();
    assert.throws(
      () => cjs.require('./errors/throws'),
      (error: unknown) => {
        assert.match(String((error as Error).stack), new RegExp(`${escapeRegExp(uri('errors/throws.js'))}:6:7`));
        return true;
      },
    );
    assert.throws(
      () => cjs.require('./errors/syntax-error'),
      (error: unknown) => {
        assert.ok(error instanceof SyntaxError);
        assert.equal(fields(error).code, 'ERR_MODHOST_PARSE');
        assert.equal(fields(error).url, uri('errors/syntax-error.js'));
        assert.ok(error.message.includes(uri('errors/syntax-error.js')));
        return true;
      },
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
