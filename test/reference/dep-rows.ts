// Compact views of dependencies for hand-checked expectations in manager tests.
import type { Dependency } from '../../src/core/types.js';

/** `[line, depName, tag, digest]`, plus the skip reason when skipped. */
export type DepRow =
  [number, string, string | null, string | null] | [number, string, string | null, string | null, string];

export function depRows(deps: Dependency[]): DepRow[] {
  return deps.map((d) =>
    d.skipReason ? [d.line, d.depName, d.tag, d.digest, d.skipReason] : [d.line, d.depName, d.tag, d.digest],
  );
}

/** Text of a dependency's ranges in `content` (undefined when absent). */
export function rangeTexts(content: string, dep: Dependency): { tag?: string; digest?: string } {
  const out: { tag?: string; digest?: string } = {};
  if (dep.tagRange) out.tag = content.slice(dep.tagRange.start, dep.tagRange.end);
  if (dep.digestRange) out.digest = content.slice(dep.digestRange.start, dep.digestRange.end);
  return out;
}
