// The real manifests and lockfiles of the npm/Python corpus (DOCKHAND_CORPUS_DEPS, skipped visibly
// without it; INDEX.tsv says what each file is): every package.json extracts without error and every
// value range slices back to its value; every lockfile parses; manifests beside (or under the workspace root of) a lockfile get locked versions.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../../src/core/types.js';
import {
  applyLockfile,
  extractPackageJson,
  lockfileCandidates,
  manager,
  parseLockfile,
  pnpmWorkspaceGlobs,
  workspaceMembers,
  type ParsedLock,
} from '../../../src/managers/npm/index.js';
import { parseSyml } from '@yarnpkg/parsers';
import { readYarnLines } from '../../../src/managers/npm/locks/yarn-lines.js';
import { corpusDeps } from '../../support/corpus.js';

const LOCK_KINDS = new Set([
  'npm-lock-v1',
  'npm-lock-v2',
  'npm-lock-v3',
  'shrinkwrap',
  'yarn-v1',
  'yarn-berry',
  'pnpm-v6',
  'pnpm-v9',
]);

interface Row {
  path: string;
  kind: string;
}

function index(): Row[] {
  return readFileSync(`${corpusDeps}INDEX.tsv`, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const [path = '', kind = ''] = line.split('\t');
      return { path, kind };
    });
}

const read = (path: string): string => readFileSync(corpusDeps + path, 'utf8');

describe.skipIf(!corpusDeps)('npm corpus (corpus-deps)', () => {
  const rows = corpusDeps ? index() : [];
  const manifests = rows.filter((row) => row.kind === 'npm-package-json').map((row) => row.path);
  const locks = rows.filter((row) => LOCK_KINDS.has(row.kind));
  const all = new Set(rows.map((row) => row.path));

  it('finds every package.json of the index with the manager pattern', () => {
    expect(manifests.length).toBeGreaterThan(100);
    for (const path of manifests)
      expect(
        manager.filePatterns.some((re) => re.test(path)),
        path,
      ).toBe(true);
  });

  it('extracts every package.json without error; every value range slices back to its value', () => {
    let deps = 0;
    for (const path of manifests) {
      const content = read(path);
      const result = extractPackageJson(content);
      expect(result.errors, path).toEqual([]);
      for (const dep of result.deps) {
        deps++;
        if (dep.valueRange)
          expect(content.slice(dep.valueRange.start, dep.valueRange.end), path).toBe(dep.currentValue);
      }
    }
    expect(deps).toBeGreaterThan(1000);
  });

  const parsed = new Map<string, ParsedLock>();
  it('parses every lockfile', () => {
    for (const { path } of locks) {
      const lock = parseLockfile(path, read(path));
      expect('lookup' in lock ? lock : lock.message, path).toHaveProperty('kind');
      if ('lookup' in lock) parsed.set(path, lock);
    }
  });

  it('reads each yarn lock line by line as parseSyml does (descriptor → version, resolution)', () => {
    const yarn = rows.filter((row) => row.kind === 'yarn-v1' || row.kind === 'yarn-berry');
    expect(yarn.length).toBeGreaterThan(15);
    for (const { path, kind } of yarn) {
      const expected = new Map<string, { version: string; resolution?: string }>();
      const parsed = parseSyml(read(path)) as Record<string, { version: string; resolution?: string }>;
      for (const [key, { version, resolution }] of Object.entries(parsed))
        for (const descriptor of key.split(','))
          expected.set(descriptor.trim(), resolution === undefined ? { version } : { version, resolution });
      // Berry's `__metadata` is read like an entry: its `version` is the lockfile's format version.
      expect(readYarnLines(read(path), kind === 'yarn-berry'), path).toEqual(expected);
    }
  });

  it('locks most direct dependencies of manifests with a lockfile (own or workspace root)', () => {
    // Workspace roots and their members, from package.json `workspaces` and pnpm-workspace.yaml.
    const rootOf = new Map<string, string>();
    const namesOf = new Map<string, Set<string>>();
    for (const path of manifests) {
      const globs = [...(extractPackageJson(read(path)).workspaces ?? [])];
      const pnpmWorkspace = posix.join(posix.dirname(path), 'pnpm-workspace.yaml');
      if (all.has(pnpmWorkspace)) globs.push(...pnpmWorkspaceGlobs(read(pnpmWorkspace)));
      const members = workspaceMembers(path, globs, manifests);
      for (const member of members) rootOf.set(member, path);
      namesOf.set(path, new Set(members.flatMap((member) => extractPackageJson(read(member)).name ?? [])));
    }
    let lockable = 0;
    let locked = 0;
    let manifestsWithLock = 0;
    let contradictions = 0;
    const perFile: string[] = [];
    for (const path of manifests) {
      const lockPath = lockfileCandidates(path, rootOf.get(path)).find((candidate) => all.has(candidate));
      if (!lockPath) continue;
      manifestsWithLock++;
      const { deps } = extractPackageJson(read(path));
      const root = rootOf.get(path) ?? path;
      const options = {
        resolutions: extractPackageJson(read(root)).resolutions,
        workspacePackages: namesOf.get(root),
      };
      const lock = parsed.get(lockPath) ?? read(lockPath);
      const applied = applyLockfile(deps, lockPath, lock, path, options);
      contradictions += applied.errors.length;
      const direct = applied.deps.filter(isRegistryDirect);
      const withVersion = direct.filter((dep) => dep.lockedVersion !== undefined);
      lockable += direct.length;
      locked += withVersion.length;
      perFile.push(
        `${path} ← ${lockPath}: ${withVersion.length}/${direct.length}` +
          applied.errors.map((error) => `\n    ${error.message}`).join(''),
      );
    }
    console.log(
      `npm corpus: ${manifestsWithLock} manifests with a lockfile; ${locked}/${lockable} registry deps locked; ${contradictions} lockfile errors\n  ${perFile.join('\n  ')}`,
    );
    const scan = scanLike(manifests, all, read);
    console.log(
      `npm corpus, as the scan applies locks (manager.lockfiles, no root resolutions): ${scan.locked}/${scan.lockable} of all manifests' registry deps locked; ${scan.errors} lockfile errors`,
    );
    expect(scan.locked / locked).toBeGreaterThan(0.95);
    expect(manifestsWithLock).toBeGreaterThan(50);
    expect(locked / lockable).toBeGreaterThan(0.9);
  });
});

function scanLike(manifests: string[], all: Set<string>, read: (path: string) => string) {
  let lockable = 0;
  let locked = 0;
  let errors = 0;
  for (const path of manifests) {
    const lockPath = manager.lockfiles!.candidates(path).find((candidate) => all.has(candidate));
    const { deps } = extractPackageJson(read(path));
    const applied = lockPath
      ? manager.lockfiles!.apply(deps, path, lockPath, read(lockPath))
      : { deps, errors: [] };
    const direct = applied.deps.filter(isRegistryDirect);
    lockable += direct.length;
    locked += direct.filter((dep) => dep.lockedVersion !== undefined).length;
    errors += applied.errors.length;
  }
  return { lockable, locked, errors };
}

function isRegistryDirect(dep: Dependency): boolean {
  return (
    ['dependencies', 'devDependencies', 'optionalDependencies'].includes(dep.depType ?? '') && !dep.skipReason
  );
}
