import type { Dependency } from './types.js';

/** An npm or Python package rather than an image reference (whose datasource is `docker`, or unset). */
export function isPackageDependency(dep: Pick<Dependency, 'datasource'>): boolean {
  return dep.datasource !== undefined && dep.datasource !== 'docker';
}
