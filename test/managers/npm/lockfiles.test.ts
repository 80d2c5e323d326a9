// Lockfiles: each format and version locks the same manifest (fixtures/locks/), a workspace root lock
// answers for its members (fixtures/workspace/), contradictions and malformed files are errors on the
// lockfile while extraction goes on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../../src/core/types.js';
import {
  applyLockfile,
  extractPackageJson,
  lockfileCandidates,
  parseLockfile,
} from '../../../src/managers/npm/index.js';

const FIXTURES = new URL('fixtures/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, FIXTURES), 'utf8');
const locked = (deps: Dependency[]) =>
  deps.map((dep) => [dep.depName, dep.lockedVersion ?? null, dep.lockFile ?? null]);

describe('npm lockfiles: one manifest, every format', () => {
  const manifest = read('locks/package.json');
  const { deps } = extractPackageJson(manifest);

  it.each([
    ['v1/package-lock.json', 'npm', '1'],
    ['v2/package-lock.json', 'npm', '2'],
    ['shrinkwrap/npm-shrinkwrap.json', 'npm', '3'],
    ['yarn-v1/yarn.lock', 'yarn-v1', '1'],
    ['yarn-berry/yarn.lock', 'yarn-berry', '8'],
    ['pnpm-v5/pnpm-lock.yaml', 'pnpm', '5.4'],
    ['pnpm-v6/pnpm-lock.yaml', 'pnpm', '6.0'],
    ['pnpm-v9/pnpm-lock.yaml', 'pnpm', '9.0'],
  ])('%s (%s %s) locks every direct dependency, aliases by their own name', (lock, kind, version) => {
    const dir = lock.slice(0, lock.indexOf('/'));
    const lockPath = `app/${lock}`;
    const applied = applyLockfile(deps, lockPath, read(`locks/${lock}`), `app/${dir}/package.json`);
    expect(applied.errors).toEqual([]);
    expect(applied.lock).toEqual({ kind, lockfileVersion: version });
    expect(locked(applied.deps)).toEqual([
      ['lodash', '4.17.21', lockPath],
      ['alias', '1.3.0', lockPath],
      ['@babel/core', '7.24.5', lockPath],
      ['typescript', '5.4.5', lockPath],
    ]);
    expect(deps.every((dep) => dep.lockedVersion === undefined)).toBe(true); // inputs untouched
  });

  it('reads a yarn lock laid out otherwise than yarn writes it through parseSyml', () => {
    const lock =
      '__metadata:\n  version: 8\n"lodash@npm:^4.17.0": { version: 4.17.21, resolution: "lodash@npm:4.17.21" }\n';
    const deps = extractPackageJson('{"dependencies":{"lodash":"^4.17.0"}}').deps;
    const applied = applyLockfile(deps, 'yarn.lock', lock, 'package.json');
    expect(applied.errors).toEqual([]);
    expect(applied.lock).toEqual({ kind: 'yarn-berry', lockfileVersion: '8' });
    expect(applied.deps[0]!.lockedVersion).toBe('4.17.21');
  });

  it('parses once and answers for many manifests', () => {
    const lock = parseLockfile('yarn.lock', read('locks/yarn-v1/yarn.lock'));
    expect('lookup' in lock).toBe(true);
    const first = applyLockfile(deps, 'yarn.lock', lock, 'package.json');
    const second = applyLockfile(deps.slice(0, 1), 'yarn.lock', lock, 'package.json');
    expect(first.deps[0]!.lockedVersion).toBe('4.17.21');
    expect(second.deps[0]!.lockedVersion).toBe('4.17.21');
  });

  it('leaves skipped values, overrides, engines and packageManager unlocked', () => {
    const file = extractPackageJson(read('all-types/package.json'));
    const applied = applyLockfile(
      file.deps,
      'package-lock.json',
      read('all-types/package-lock.json'),
      'package.json',
    );
    expect(applied.errors).toEqual([]);
    const withVersion = applied.deps
      .filter((d) => d.lockedVersion)
      .map((d) => [d.depType, d.depName, d.lockedVersion]);
    expect(withVersion).toEqual([
      ['dependencies', 'express', '4.19.2'],
      ['dependencies', 'lodash', '4.17.21'],
      ['dependencies', 'my-react', '18.3.1'],
      ['dependencies', '@scope/pkg', '1.2.5'],
      ['devDependencies', 'typescript', '5.4.5'],
      ['devDependencies', 'vitest', '2.1.8'],
      ['peerDependencies', 'react', '18.3.1'],
    ]);
  });
});

describe('npm lockfiles: contradictions', () => {
  const manifest = (dependencies: Record<string, string>) =>
    extractPackageJson(JSON.stringify({ dependencies })).deps;

  it('a direct dependency missing from the lock, on every format', () => {
    const deps = manifest({ lodash: '^4.17.0', missing: '^1.0.0' });
    for (const lock of [
      'v1/package-lock.json',
      'v2/package-lock.json',
      'yarn-v1/yarn.lock',
      'yarn-berry/yarn.lock',
      'pnpm-v9/pnpm-lock.yaml',
    ]) {
      const name = lock.slice(lock.indexOf('/') + 1);
      const applied = applyLockfile(deps, name, read(`locks/${lock}`), 'package.json');
      expect(applied.errors, lock).toEqual([
        { message: 'missing (dependencies "^1.0.0" in package.json) is not in the lockfile' },
      ]);
      expect(applied.deps[0]!.lockedVersion, lock).toBe('4.17.21'); // the rest is still locked
    }
  });

  it('a range changed since the lock was written (npm and pnpm record the range)', () => {
    const deps = manifest({ lodash: '^4.17.21', alias: 'npm:left-pad@^1.3.0', '@babel/core': '^7.24.0' });
    const npm = applyLockfile(deps, 'package-lock.json', read('locks/v2/package-lock.json'), 'package.json');
    expect(npm.errors).toEqual([
      { message: 'lodash: the lockfile was written for "^4.17.0", package.json says "^4.17.21"' },
    ]);
    const pnpm = applyLockfile(deps, 'pnpm-lock.yaml', read('locks/pnpm-v6/pnpm-lock.yaml'), 'package.json');
    expect(pnpm.errors).toEqual(npm.errors);
    // yarn keys entries by range: the new range is simply not there.
    const yarn = applyLockfile(
      manifest({ lodash: '^4.18.0' }),
      'yarn.lock',
      read('locks/yarn-v1/yarn.lock'),
      'package.json',
    );
    expect(yarn.errors).toEqual([
      { message: 'lodash (dependencies "^4.18.0" in package.json) is not in the lockfile' },
    ]);
  });

  it('a locked version the range does not admit (v1 records no range)', () => {
    const deps = manifest({ lodash: '^5.0.0', typescript: '5.4.4' });
    const applied = applyLockfile(
      deps,
      'package-lock.json',
      read('locks/v1/package-lock.json'),
      'package.json',
    );
    expect(applied.errors).toEqual([
      { message: 'lodash: package.json asks for "^5.0.0", the lockfile has 4.17.21' },
      { message: 'typescript: package.json asks for "5.4.4", the lockfile has 5.4.5' },
    ]);
    expect(locked(applied.deps)).toEqual([
      ['lodash', '4.17.21', 'package-lock.json'],
      ['typescript', '5.4.5', 'package-lock.json'],
    ]);
  });

  it('yarn resolutions replace the range the lock is keyed by, without a contradiction', () => {
    const deps = manifest({ lodash: '^4.18.0' });
    const resolutions = new Map([['lodash', '^4.17.21']]);
    const applied = applyLockfile(deps, 'yarn.lock', read('locks/yarn-berry/yarn.lock'), 'package.json', {
      resolutions,
    });
    expect(applied.errors).toEqual([]);
    expect(applied.deps[0]!.lockedVersion).toBe('4.17.21');
  });

  it('optional and peer dependencies may be absent', () => {
    const deps = extractPackageJson(
      JSON.stringify({ optionalDependencies: { fsevents: '^2' }, peerDependencies: { react: '>=17' } }),
    ).deps;
    const applied = applyLockfile(
      deps,
      'package-lock.json',
      read('locks/v2/package-lock.json'),
      'package.json',
    );
    expect(applied.errors).toEqual([]);
  });
});

describe('npm lockfiles: malformed', () => {
  const { deps } = extractPackageJson(read('locks/package.json'));

  it.each([
    ['package-lock.json', '{"lockfileVersion": 3, "packages": {', /^Invalid JSON: /, undefined],
    ['package-lock.json', '[]', /^lockfile is not a JSON object$/, undefined],
    ['yarn.lock', '# yarn lockfile v1\n\nlodash@^4:\n  version "4.17.21\n', /^Invalid yarn\.lock: /, 4],
    [
      'yarn.lock',
      '__metadata:\n  version: 8\n"a@npm:^1":\n  version: 1.0.0\n   x: [\n',
      /^Invalid yarn\.lock: /,
      5,
    ],
    [
      'pnpm-lock.yaml',
      "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies: [\n",
      /^Invalid YAML: /,
      5,
    ],
    ['pnpm-lock.yaml', 'packages: {}\n', /^not a pnpm lockfile: no lockfileVersion$/, undefined],
  ])('%s %j: one error, deps keep no locked version', (name, content, message, line) => {
    const applied = applyLockfile(deps, name, content, 'package.json');
    expect(applied.errors).toHaveLength(1);
    expect(applied.errors[0]!.message).toMatch(message);
    expect(applied.errors[0]!.line).toBe(line);
    expect(applied.deps.every((dep) => dep.lockedVersion === undefined)).toBe(true);
    expect(applied.lock).toBeUndefined();
  });

  it('a lockfile Dockhand does not read, or one outside the manifest tree', () => {
    expect(applyLockfile(deps, 'bun.lockb', '', 'package.json').errors).toEqual([
      { message: 'bun.lockb is not a lockfile Dockhand reads' },
    ]);
    expect(applyLockfile(deps, 'constructor', '', 'package.json').errors).toEqual([
      { message: 'constructor is not a lockfile Dockhand reads' },
    ]);
    expect(
      applyLockfile(deps, 'a/yarn.lock', read('locks/yarn-v1/yarn.lock'), 'b/package.json').errors,
    ).toEqual([{ message: 'a/yarn.lock cannot lock b/package.json, which is outside its directory' }]);
  });
});

describe('npm lockfiles: candidates', () => {
  it('the manifest directory first, then the workspace root; shrinkwrap before package-lock as npm does', () => {
    expect(lockfileCandidates('package.json')).toEqual([
      'npm-shrinkwrap.json',
      'package-lock.json',
      'yarn.lock',
      'pnpm-lock.yaml',
    ]);
    expect(lockfileCandidates('packages/a/package.json', 'package.json')).toEqual([
      'packages/a/npm-shrinkwrap.json',
      'packages/a/package-lock.json',
      'packages/a/yarn.lock',
      'packages/a/pnpm-lock.yaml',
      'npm-shrinkwrap.json',
      'package-lock.json',
      'yarn.lock',
      'pnpm-lock.yaml',
    ]);
    expect(lockfileCandidates('web/package.json', 'web')).toHaveLength(4);
  });
});
