// The `docker` versioning: tags compared as numeric releases with an exact compatibility suffix.
import type { Versioning } from '../types.js';
import { compareTags, compareVersions } from './compare.js';
import { parseDockerTag } from './parse.js';
import { isCompatibleVersion, selectDockerUpdates, updateTypeOf } from './select.js';

export type { DockerVersion } from './parse.js';
export { parseDockerTag } from './parse.js';
export type { ImagePolicy, ImagePolicyRule, MajorSeries } from './policies.js';
export { IMAGE_POLICIES, imagePolicy } from './policies.js';
export type { SuffixFamily } from './suffix.js';
export { SUFFIX_FAMILIES } from './suffix.js';

function part(value: string, index: number): number | null {
  return parseDockerTag(value)?.release[index] ?? null;
}

export const docker: Versioning = {
  id: 'docker',
  isVersion: (value) => parseDockerTag(value) !== null,
  isStable: (value) => parseDockerTag(value)?.prerelease === '',
  isCompatible(current, candidate) {
    const a = parseDockerTag(current);
    const b = parseDockerTag(candidate);
    return a !== null && b !== null && isCompatibleVersion(a, b);
  },
  compare(a, b) {
    const va = parseDockerTag(a);
    const vb = parseDockerTag(b);
    if (va && vb) return compareTags(va, vb);
    if (va || vb) return va ? 1 : -1;
    return a === b ? 0 : a < b ? -1 : 1;
  },
  getMajor: (value) => part(value, 0),
  getMinor: (value) => part(value, 1),
  getPatch: (value) => part(value, 2),
  getUpdateType(current, candidate) {
    const a = parseDockerTag(current);
    const b = parseDockerTag(candidate);
    if (!a || !b || !isCompatibleVersion(a, b) || compareVersions(b, a) <= 0) return null;
    return updateTypeOf(a, b);
  },
  selectUpdates: selectDockerUpdates,
};
