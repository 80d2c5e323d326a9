// The Python files of the deps corpus by kind (INDEX.tsv), and the checks every extraction must pass.
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { expect } from 'vitest';
import type { Dependency, ExtractResult } from '../../../src/core/types.js';
import {
  applyLockfile,
  lockfileCandidates,
  uvWorkspaceIncludes,
  workspaceLockCandidates,
} from '../../../src/managers/python-locks/index.js';
import { corpusDeps } from '../../support/corpus.js';

/** Corpus paths of the given kinds. */
export function corpusFiles(...kinds: string[]): string[] {
  if (!corpusDeps) return [];
  return readFileSync(corpusDeps + 'INDEX.tsv', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .filter(([path, kind]) => path && kind && kinds.includes(kind))
    .map(([path]) => path!);
}

export function readCorpusDeps(path: string): string {
  return readFileSync(corpusDeps! + path, 'utf8');
}

/** Every valueRange slices back to the value it claims to hold. */
export function expectRangesHold(content: string, result: ExtractResult): void {
  for (const dep of result.deps)
    if (dep.valueRange)
      expect(content.slice(dep.valueRange.start, dep.valueRange.end), dep.depName).toBe(dep.currentValue);
}

export interface LockFigures {
  manifests: number;
  checked: number;
  locked: number;
  contradictions: string[];
}

/** Applies the sibling lockfile (the first candidate present) to each manifest; counts what got a version. */
export function lockFigures(paths: string[], extract: (content: string) => ExtractResult): LockFigures {
  const figures: LockFigures = { manifests: 0, checked: 0, locked: 0, contradictions: [] };
  for (const path of paths) {
    const lockPath =
      lockfileCandidates(path).find((candidate) => existsSync(corpusDeps! + candidate)) ??
      workspaceLockCandidates(path).find(
        ({ lockPath, rootManifest }) =>
          existsSync(corpusDeps! + lockPath) &&
          uvWorkspaceIncludes(readCorpusDeps(rootManifest), rootManifest, path),
      )?.lockPath;
    if (!lockPath) continue;
    figures.manifests += 1;
    const { deps } = extract(readCorpusDeps(path));
    const applied = applyLockfile(deps, lockPath, readCorpusDeps(lockPath));
    const direct = applied.deps.filter(isLockable);
    figures.checked += direct.length;
    figures.locked += direct.filter((dep) => dep.lockedVersion).length;
    figures.contradictions.push(...applied.errors.map((error) => `${posix.dirname(path)}: ${error.message}`));
  }
  return figures;
}

function isLockable(dep: Dependency): boolean {
  return dep.datasource === 'pypi' && !dep.skipReason && dep.depType !== 'build-system';
}
