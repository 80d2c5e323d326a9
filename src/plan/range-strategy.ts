// What `rangeStrategy: auto` means for one dependency, as Renovate decides it: peer ranges widen (a
// library keeps accepting what it accepted), a pinned version stays pinned, a range with a lockfile
// moves only the lockfile while the range admits the new version, and a range without one is rewritten
// only when the new version falls outside it. Pure.
import type { Dependency } from '../core/types.js';
import type { RangeStrategy, RangeVersioning } from '../versioning/types.js';

export type ConcreteRangeStrategy = Exclude<RangeStrategy, 'auto'>;

export function rangeStrategyFor(
  configured: RangeStrategy,
  dep: Pick<Dependency, 'currentValue' | 'depType' | 'lockFile'>,
  versioning: RangeVersioning,
): ConcreteRangeStrategy {
  if (configured !== 'auto') return configured;
  if (dep.depType === 'peerDependencies') return 'widen';
  if (dep.currentValue !== undefined && versioning.isSingleVersion(dep.currentValue)) return 'pin';
  return dep.lockFile ? 'update-lockfile' : 'replace';
}
