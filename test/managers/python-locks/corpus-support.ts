// The Python files of the deps corpus by kind (INDEX.tsv), and the checks every extraction must pass.
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { expect } from 'vitest';
import type { Dependency, ExtractResult } from '../../../src/core/types.js';
import {
  applyLockfileFor,
  lockfileCandidates,
  type AppliedLock,
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

/** Applies each manifest's lockfile (the first candidate that applies); counts what got a version. */
export function lockFigures(paths: string[], extract: (content: string) => ExtractResult): LockFigures {
  const figures: LockFigures = { manifests: 0, checked: 0, locked: 0, contradictions: [] };
  for (const path of paths) {
    // The first lock present that applies (a uv.lock above applies to the members it lists).
    const { deps } = extract(readCorpusDeps(path));
    let applied: AppliedLock<Dependency> | undefined;
    for (const lockPath of lockfileCandidates(path)) {
      if (!existsSync(corpusDeps! + lockPath)) continue;
      applied = applyLockfileFor(deps, path, lockPath, readCorpusDeps(lockPath));
      if (applied.lock || applied.errors.length) break;
      applied = undefined;
    }
    if (!applied) continue;
    figures.manifests += 1;
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
