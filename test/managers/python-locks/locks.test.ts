// poetry.lock, uv.lock and Pipfile.lock over fixtures written for the project (beside the manifests
// they lock, in test/managers/pyproject and test/managers/pipfile): locked versions, the project's own
// entry left out, forks, contradictions and malformed locks as errors on the lockfile.
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../../src/core/types.js';
import { manager as requirements } from '../../../src/managers/pip-requirements/index.js';
import { manager as pipfile } from '../../../src/managers/pipfile/index.js';
import { extractPyproject, manager as pyproject } from '../../../src/managers/pyproject/index.js';
import {
  applyLockfile,
  lockfileCandidates,
  pinnedVersion,
  readPipfileLock,
  poetryContentHashes,
  poetryLockIsFresh,
  pythonJson,
  readPoetryLock,
  readUvLock,
  applyLockfileFor,
  pipfileLockfiles,
  pyprojectLockfiles,
} from '../../../src/managers/python-locks/index.js';

const fixture = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const locked = (deps: Dependency[]) =>
  deps.filter((dep) => dep.lockedVersion).map((dep) => `${dep.depName}@${dep.lockedVersion}`);

describe('poetry.lock', () => {
  const manifest = extractPyproject(fixture('pyproject/fixtures/poetry/pyproject.toml')).deps;
  const lockText = fixture('pyproject/fixtures/poetry/poetry.lock');

  it('reads names (normalised) to versions and the content hash', () => {
    const read = readPoetryLock(lockText);
    expect('lock' in read && read.lock.packages.get('django')).toEqual(['4.2.11']);
    expect('lock' in read && read.lock.packages.get('from-git')).toEqual(['0.1.0']);
    expect('lock' in read && read.lock.contentHash).toBe(
      '080967d4fee7a9fcebc90f8da8edd148b01164482c73be313eb60d8351994252',
    );
  });

  it('fills lockedVersion and lockFile of every registry dependency, and finds no contradiction', () => {
    const applied = applyLockfile(manifest, 'svc/poetry.lock', lockText);
    expect(applied.errors).toEqual([]);
    expect(locked(applied.deps)).toEqual([
      'requests@2.31.0',
      'Django@4.2.11',
      'anything@1.0',
      'ranged@1.5',
      'spaced@1.1',
      'exact@1.2.3',
      'either@2.0.1',
      'wild@1.2.9',
      'tabled@5.0.1',
      'nover@0.3',
      'from-git@0.1.0',
      'multi@1.1',
      'multi@1.1',
      'black@24.2.0',
      'pytest@8.1.1',
      'mkdocs@1.5.3',
    ]);
    expect(applied.deps.find((dep) => dep.depName === 'requests')!.lockFile).toBe('svc/poetry.lock');
    // The manifest's own records are not changed.
    expect(manifest.some((dep) => dep.lockedVersion)).toBe(false);
  });

  it('a direct dependency missing from the lock, or a pin it disagrees with, is an error naming the package', () => {
    const contradicting = lockText
      .replace('name = "requests"', 'name = "requests-other"')
      .replace('name = "exact"\nversion = "1.2.3"', 'name = "exact"\nversion = "1.2.4"');
    const applied = applyLockfile(manifest, 'poetry.lock', contradicting);
    expect(applied.errors).toEqual([
      { message: 'requests (dependencies, manifest line 7) is not in poetry.lock' },
      { message: 'exact is pinned to 1.2.3 but poetry.lock has 1.2.4' },
    ]);
    expect(applied.deps.find((dep) => dep.depName === 'requests')!.lockedVersion).toBeUndefined();
  });

  it('a malformed lock is one error with its line, and no dependency gets a locked version', () => {
    const applied = applyLockfile(manifest, 'poetry.lock', '[[package]]\nname = "x"\nversion = \n');
    expect(applied.errors).toEqual([{ line: 3, message: expect.stringMatching(/^TOML: /) }]);
    expect(locked(applied.deps)).toEqual([]);
  });
});

describe('uv.lock', () => {
  const manifest = extractPyproject(fixture('pyproject/fixtures/pep621/pyproject.toml')).deps;
  const lockText = fixture('pyproject/fixtures/pep621/uv.lock');

  it('leaves out the project itself and workspace members (editable / virtual sources)', () => {
    const read = readUvLock(lockText);
    if (!('lock' in read)) throw new Error('uv.lock did not parse');
    expect(read.lock.packages.has('demo-app')).toBe(false);
    expect(read.lock.packages.has('workspace-member')).toBe(false);
    expect(read.lock.packages.get('ipython')).toEqual(['8.18.1', '8.24.0']);
  });

  it('locks every registry dependency; a fork by marker picks a version the specifier admits', () => {
    const applied = applyLockfile(manifest, 'uv.lock', lockText);
    expect(applied.errors).toEqual([]);
    expect(locked(applied.deps)).toEqual([
      'requests@2.31.0',
      'Flask@3.0.3',
      'click@8.1.7',
      'internal-lib@1.0',
      'mylib@1.0',
      'escaped@1.0',
      'PySocks@1.7.1',
      'pytest@8.1.1',
      'coverage@7.4.4',
      'ruff@0.4.4',
      'ipython@8.18.1',
    ]);
    // Build requirements and the interpreter are not in a lock and are not reported missing.
    const untouched = applied.deps.filter((dep) => !dep.lockedVersion).map((dep) => dep.depName);
    expect(untouched).toEqual(['hatchling', 'setuptools-scm', 'python', 'not', 'workspace-member']);
  });

  it('a pin the lock disagrees with is an error; a pin PEP 440 calls equal is not', () => {
    const drifted = lockText.replace('name = "ruff"\nversion = "0.4.4"', 'name = "ruff"\nversion = "0.4.5"');
    expect(applyLockfile(manifest, 'uv.lock', drifted).errors).toEqual([
      { message: 'ruff is pinned to 0.4.4 but uv.lock has 0.4.5' },
    ]);
    const padded = lockText.replace('name = "ruff"\nversion = "0.4.4"', 'name = "ruff"\nversion = "0.4.4.0"');
    expect(applyLockfile(manifest, 'uv.lock', padded).errors).toEqual([]);
  });
});

describe('Pipfile.lock', () => {
  it('reads default and develop, with hashes; malformed JSON is an error', () => {
    const read = readPipfileLock(fixture('pipfile/fixtures/Pipfile.lock'));
    if (!('lock' in read)) throw new Error('Pipfile.lock did not parse');
    expect(read.lock.packages.get('pytest')).toEqual(['8.1.1']);
    expect(read.lock.packages.get('fromgit')).toEqual([]); // locked, without a version
    expect(readPipfileLock('{"default": ')).toEqual({ error: { message: expect.stringMatching(/^JSON: /) } });
    expect(readPipfileLock('[]')).toEqual({ error: { message: 'Pipfile.lock: not a JSON object' } });
  });
});

describe('helpers', () => {
  it('lockfileCandidates: the lockfiles beside a manifest, then uv.lock above a pyproject.toml', () => {
    expect(lockfileCandidates('pyproject.toml')).toEqual(['poetry.lock', 'uv.lock']);
    expect(lockfileCandidates('a/pyproject.toml')).toEqual(['a/poetry.lock', 'a/uv.lock', 'uv.lock']);
    expect(lockfileCandidates('a/Pipfile')).toEqual(['a/Pipfile.lock']);
    expect(lockfileCandidates('requirements.txt')).toEqual([]);
  });

  it('pinnedVersion: exact pins only, per versioning', () => {
    const dep = (currentValue: string, versioning: string) => ({ currentValue, versioning }) as Dependency;
    expect(pinnedVersion(dep('==2.31.0', 'pep440'))).toBe('2.31.0');
    expect(pinnedVersion(dep('===1.0', 'pep440'))).toBe('1.0');
    expect(pinnedVersion(dep('==2.*', 'pep440'))).toBeUndefined();
    expect(pinnedVersion(dep('>=2,<3', 'pep440'))).toBeUndefined();
    expect(pinnedVersion(dep('1.2.3', 'poetry'))).toBe('1.2.3');
    expect(pinnedVersion(dep('=1.2.3', 'poetry'))).toBe('1.2.3');
    expect(pinnedVersion(dep('^1.2.3', 'poetry'))).toBeUndefined();
    expect(pinnedVersion(dep('1.2.3', 'pep440'))).toBeUndefined();
  });

  it('a file name that is no Python lockfile is an error, not a throw', () => {
    expect(applyLockfile([], 'yarn.lock', '').errors).toEqual([
      { message: 'yarn.lock: not a Python lockfile' },
    ]);
  });
});

describe('uv workspaces', () => {
  const lock = [
    'version = 1',
    '[manifest]',
    'members = ["root", "api"]',
    '[[package]]\nname = "root"\nversion = "0.1.0"\nsource = { virtual = "." }',
    '[[package]]\nname = "api"\nversion = "0.1.0"\nsource = { editable = "services/api" }',
    '[[package]]\nname = "fastapi"\nversion = "0.110.0"\nsource = { registry = "https://pypi.org/simple" }',
  ].join('\n');
  const member = extractPyproject('[project]\nname = "api"\ndependencies = ["fastapi>=0.100"]\n').deps;

  it('candidates: beside the manifest first, then each ancestor uv.lock', () => {
    expect(lockfileCandidates('repo/services/api/pyproject.toml')).toEqual([
      'repo/services/api/poetry.lock',
      'repo/services/api/uv.lock',
      'repo/services/uv.lock',
      'repo/uv.lock',
      'uv.lock',
    ]);
  });

  it('an ancestor uv.lock locks the members it lists, and leaves any other project alone', () => {
    const applied = applyLockfileFor(member, 'repo/services/api/pyproject.toml', 'repo/uv.lock', lock);
    expect([applied.errors, locked(applied.deps)]).toEqual([[], ['fastapi@0.110.0']]);
    const stranger = applyLockfileFor(member, 'repo/examples/demo/pyproject.toml', 'repo/uv.lock', lock);
    expect(stranger).toEqual({ deps: member, errors: [] });
    // Beside the manifest, the lock applies as it is, contradictions included.
    const beside = applyLockfileFor(
      member,
      'repo/pyproject.toml',
      'repo/uv.lock',
      lock.replace('fastapi', 'other'),
    );
    expect(beside.errors).toEqual([{ message: 'fastapi (project, manifest line 3) is not in uv.lock' }]);
  });

  it('the managers carry their lockfile support and the python runtime', () => {
    expect([pyproject.lockfiles, pipfile.lockfiles, requirements.lockfiles]).toEqual([
      pyprojectLockfiles,
      pipfileLockfiles,
      undefined,
    ]);
    expect([pyproject.runtime, pipfile.runtime, requirements.runtime]).toEqual([
      'python',
      'python',
      'python',
    ]);
    const claims = (path: string) => pyprojectLockfiles.filePatterns.some((pattern) => pattern.test(path));
    expect([claims('a/uv.lock'), claims('poetry.lock'), claims('a/Pipfile.lock')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(pipfileLockfiles.filePatterns.some((pattern) => pattern.test('a/Pipfile.lock'))).toBe(true);
    const manifest = fixture('pyproject/fixtures/poetry/pyproject.toml');
    const support = pyproject.lockfiles!;
    const lockPath = support.candidates('svc/pyproject.toml')[0]!;
    const applied = support.apply(
      pyproject.extract(manifest, 'svc/pyproject.toml').deps,
      'svc/pyproject.toml',
      lockPath,
      fixture('pyproject/fixtures/poetry/poetry.lock'),
    );
    expect(applied.errors).toEqual([]);
    expect(applied.deps.find((dep) => dep.depName === 'requests')).toMatchObject({
      lockedVersion: '2.31.0',
      lockFile: 'svc/poetry.lock',
    });
  });
});

describe("Poetry's content-hash", () => {
  // Expected hashes computed with Python (tomllib, json.dumps(..., sort_keys=True), hashlib.sha256)
  // following Poetry's Locker: the [tool.poetry] layout, and 2.x's [project] + [tool.poetry] one.
  it('matches the hash Python computes for a [tool.poetry] project, and flags an edited manifest', () => {
    const manifest = fixture('pyproject/fixtures/poetry/pyproject.toml');
    const read = readPoetryLock(fixture('pyproject/fixtures/poetry/poetry.lock'));
    if (!('lock' in read)) throw new Error('poetry.lock did not parse');
    expect(poetryLockIsFresh(manifest, read.lock)).toBe(true);
    expect(poetryLockIsFresh(manifest.replace('requests = "^2.31"', 'requests = "^2.32"'), read.lock)).toBe(
      false,
    );
    // Sections outside the hash do not matter.
    expect(poetryLockIsFresh(manifest.replace('version = "0.1.0"', 'version = "0.2.0"'), read.lock)).toBe(
      true,
    );
    expect(poetryLockIsFresh('[tool', read.lock)).toBeUndefined();
  });

  it('serialises as Python json.dumps(sort_keys=True) does', () => {
    // Python 3.11: json.dumps({'b': [1, 'é😀\x7f'], 'a': None, 'c': True}, sort_keys=True)
    expect(pythonJson({ b: [1, 'é😀\x7f'], a: null, c: true })).toBe(
      '{"a": null, "b": [1, "\\u00e9\\ud83d\\ude00\\u007f"], "c": true}',
    );
  });

  it('matches the 2.x layout for a [project] manifest', () => {
    const doc = parse(fixture('pyproject/fixtures/pep621/pyproject.toml')) as Record<string, unknown>;
    expect(poetryContentHashes(doc)).toContain(
      '6774a3740bc2aaee47bed5ea3ed3759e7bb82276c266954546f76d645d678410',
    );
  });
});
