// A branch's file contents: the base files with that branch's changes applied. Pure. Changes that cannot
// be written (a tag assembled from several variables, an edit two deps disagree on) are dropped with a
// reason, so one stubborn reference never blocks the rest of the branch.
import { updateEdits } from '../edit/dependency-edits.js';
import { applyEdits, type Edit } from '../edit/replace.js';
import type { BranchPlan, PlannedChange } from './types.js';

export interface BranchFiles {
  /** Path → new bytes, only for files that change. */
  files: Map<string, Buffer>;
  /** The changes written. */
  applied: PlannedChange[];
  problems: string[];
}

export function branchFiles(plan: BranchPlan, base: ReadonlyMap<string, Uint8Array>): BranchFiles {
  const result: BranchFiles = { files: new Map(), applied: [], problems: [] };
  const byPath = new Map<string, PlannedChange[]>();
  for (const change of plan.changes) byPath.set(change.path, [...(byPath.get(change.path) ?? []), change]);
  for (const [path, changes] of byPath) {
    const original = base.get(path);
    if (!original) {
      result.problems.push(`${path}: not in the base branch any more`);
      continue;
    }
    const edits: Edit[] = [];
    const written: PlannedChange[] = [];
    for (const change of changes) {
      const { update, dep } = change;
      const computed = updateEdits(dep, update);
      if ('error' in computed) result.problems.push(`${path}: ${computed.error}`);
      else {
        edits.push(...computed.edits);
        written.push(change);
      }
    }
    if (edits.length === 0) continue;
    try {
      const next = applyEdits(original, edits);
      if (!Buffer.from(original).equals(next)) result.files.set(path, next);
      result.applied.push(...written);
    } catch (error) {
      result.problems.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}
