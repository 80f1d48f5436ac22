/**
 * `npm install` in a fresh clone leaves `git status` clean: package-lock.json's entry for the
 * package itself says what package.json says (npm rewrites it otherwise).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

it("package-lock.json's root entry matches package.json", () => {
  const pkg = read('package.json');
  const lock = read('package-lock.json') as {
    name: string;
    version: string;
    packages: Record<string, Record<string, unknown>>;
  };
  const root = lock.packages[''];
  assert.ok(root !== undefined);
  assert.equal(lock.name, pkg.name);
  assert.equal(lock.version, pkg.version);
  for (const key of ['name', 'version', 'license', 'dependencies', 'devDependencies', 'engines'] as const)
    assert.deepEqual(root[key], pkg[key], key);
  // npm writes bin paths without a leading ./
  const bin = Object.fromEntries(
    Object.entries(pkg.bin as Record<string, string>).map(([name, path]) => [name, path.replace(/^\.\//, '')]),
  );
  assert.deepEqual(root.bin, bin);
});
