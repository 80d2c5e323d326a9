// From a resolved scan to the edits `dockhand fix` writes: at most one update per dependency (the
// largest allowed move), turned into guarded byte edits. Pure.
import type { Dependency, DependencyUpdate, PackageFile, UpdateKind } from '../core/types.js';
import { updateEdits } from '../edit/dependency-edits.js';
import type { Edit } from '../edit/replace.js';

/** Largest move first: a version update already carries the new digest when digests are pinned. */
const PRIORITY: readonly UpdateKind[] = ['major', 'minor', 'patch', 'replace', 'digest', 'pin'];

export function chooseUpdate(dep: Dependency, types: readonly UpdateKind[]): DependencyUpdate | undefined {
  for (const kind of PRIORITY) {
    if (!types.includes(kind)) continue;
    const update = dep.updates?.find((u) => u.type === kind);
    if (update) return update;
  }
  return undefined;
}

export interface FileFix {
  edits: Edit[];
  applied: { dep: Dependency; update: DependencyUpdate }[];
  /** Updates that could not be written (a tag assembled from several variables…). */
  problems: string[];
  /** Lockfiles the written values leave out of date: regenerated after the manifest, or reported. */
  staleLockfiles: string[];
}

export function fileFix(file: PackageFile, types: readonly UpdateKind[]): FileFix {
  const fix: FileFix = { edits: [], applied: [], problems: [], staleLockfiles: [] };
  for (const dep of file.deps) {
    const update = chooseUpdate(dep, types);
    if (!update) continue;
    const result = updateEdits(dep, update);
    if ('error' in result) {
      fix.problems.push(`${file.path}: ${result.error}`);
      continue;
    }
    if (update.newVersion !== undefined && dep.lockFile) {
      if (result.edits.length === 0) {
        // Moving a lockfile alone, within the written range, is not done yet: said, not skipped in silence.
        fix.problems.push(
          `${file.path}: ${dep.depName} ${update.newVersion} only moves ${dep.lockFile}, which Dockhand does not update on its own yet; not written`,
        );
        continue;
      }
      if (!fix.staleLockfiles.includes(dep.lockFile)) fix.staleLockfiles.push(dep.lockFile);
    }
    fix.edits.push(...result.edits);
    fix.applied.push({ dep, update });
  }
  return fix;
}
