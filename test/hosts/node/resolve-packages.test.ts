/**
 * The packages installed in this repository (lodash-es, three, date-fns, rxjs, lodash), resolved
 * both ways and compared with Node: every subpath their "exports" name, the files their
 * patterns reach, their main entries, and a few deep paths that must fail.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createResolver, DEFAULT_IMPORT_CONDITIONS } from '../../../src/hosts/node/resolve.js';
import { nodeImportResolve, nodeRequireResolve, type Outcome, outcomeOf } from './resolve-helpers.js';

// dist/test/hosts/node/ → the repository root, whose node_modules holds the packages.
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const parentPath = join(repo, 'resolve-parent.js');
const parentURL = pathToFileURL(parentPath).href;

function exportsKeys(name: string): string[] {
  const pjson = JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as {
    exports?: unknown;
  };
  return typeof pjson.exports === 'object' && pjson.exports !== null ? Object.keys(pjson.exports) : [];
}

function filesUnder(dir: string, extension: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, extension));
    else if (entry.name.endsWith(extension)) out.push(full);
  }
  return out;
}

const specifiers: Record<string, string[]> = {
  'lodash-es': [
    'lodash-es',
    'lodash-es/map.js',
    'lodash-es/map',
    'lodash-es/lodash.default.js',
    'lodash-es/package.json',
    'lodash-es/nope.js',
  ],
  three: [
    ...exportsKeys('three')
      .filter((key) => !key.includes('*'))
      .map((key) => `three${key.slice(1)}`),
    'three/addons/controls/OrbitControls.js',
    'three/examples/jsm/loaders/GLTFLoader.js',
    'three/examples/fonts/helvetiker_regular.typeface.json',
    'three/src/Three.js',
    'three/src/math/Vector3.js',
    'three/addons/controls/OrbitControls',
    'three/build/three.module.js',
    'three/package.json',
    'three/nope',
  ],
  'date-fns': [
    ...exportsKeys('date-fns').map((key) => `date-fns${key.slice(1)}`),
    'date-fns/index.js',
    'date-fns/addDays.js',
    'date-fns/locale/nope',
  ],
  rxjs: [
    ...exportsKeys('rxjs')
      .filter((key) => !key.includes('*'))
      .map((key) => `rxjs${key.slice(1)}`),
    ...filesUnder(join(repo, 'node_modules/rxjs/dist/cjs/internal'), '.js').map(
      (file) => `rxjs/internal/${relative(join(repo, 'node_modules/rxjs/dist/cjs/internal'), file).slice(0, -3)}`,
    ),
    'rxjs/internal/nope',
    'rxjs/dist/cjs/index.js',
  ],
  lodash: ['lodash', 'lodash/map', 'lodash/map.js', 'lodash/fp', 'lodash/fp/map', 'lodash/fp/map.js', 'lodash/nope'],
};

const resolver = createResolver();
const conditions = [...DEFAULT_IMPORT_CONDITIONS];

function adjust(outcome: Outcome): Outcome {
  return outcome.ok && outcome.url.startsWith('node:') ? { ...outcome, format: 'builtin' } : outcome;
}

for (const [name, list] of Object.entries(specifiers)) {
  const answers = nodeImportResolve(list.map((specifier) => ({ specifier, parent: parentURL, conditions })));
  describe(`installed package ${name}`, () => {
    test(`import: ${list.length} specifiers as Node resolves them`, () => {
      const mismatches: string[] = [];
      list.forEach((specifier, index) => {
        const got = outcomeOf(() => resolver.resolve(specifier, parentURL));
        try {
          assert.deepEqual(got, adjust(answers[index]!));
        } catch {
          mismatches.push(`${specifier}: got ${JSON.stringify(got)}, Node ${JSON.stringify(answers[index])}`);
        }
      });
      assert.deepEqual(mismatches, []);
    });

    test(`require: ${list.length} ids as Node resolves them`, () => {
      const mismatches: string[] = [];
      for (const id of list) {
        let got: Outcome;
        try {
          got = { ok: true, url: resolver.resolveRequire(id, parentPath), format: undefined };
        } catch (error) {
          const e = error as Error & { code?: string };
          got = { ok: false, code: e.code, name: e.name, message: e.message };
        }
        const want = nodeRequireResolve(id, parentPath);
        try {
          assert.deepEqual(got, want);
        } catch {
          mismatches.push(`${id}: got ${JSON.stringify(got)}, Node ${JSON.stringify(want)}`);
        }
      }
      assert.deepEqual(mismatches, []);
    });
  });
}

describe('installed packages: spot checks written from their package.json', () => {
  test('three: "import" condition picks the module build, require the CommonJS one', () => {
    assert.deepEqual(resolver.resolve('three', parentURL), {
      url: pathToFileURL(join(repo, 'node_modules/three/build/three.module.js')).href,
      format: 'module',
    });
    assert.equal(resolver.resolveRequire('three', parentPath), join(repo, 'node_modules/three/build/three.cjs'));
  });

  test('rxjs: the "node" condition comes before "default" in its exports', () => {
    assert.deepEqual(resolver.resolve('rxjs', parentURL), {
      url: pathToFileURL(join(repo, 'node_modules/rxjs/dist/cjs/index.js')).href,
      format: undefined,
    });
  });

  test('lodash-es: main entry, "type": "module"', () => {
    assert.deepEqual(resolver.resolve('lodash-es', parentURL), {
      url: pathToFileURL(join(repo, 'node_modules/lodash-es/lodash.js')).href,
      format: 'module',
    });
  });

  test('lodash: a deep import without extension fails for import, with the hint', () => {
    assert.throws(
      () => resolver.resolve('lodash/map', parentURL),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'ERR_MODULE_NOT_FOUND');
        assert.match(error.message, /\nDid you mean to import "lodash\/map\.js"\?$/);
        return true;
      },
    );
    assert.equal(resolver.resolveRequire('lodash/map', parentPath), join(repo, 'node_modules/lodash/map.js'));
  });
});
