// The `npm` versioning: semver versions and npm ranges (`^1.2.0`, `~1.2`, `1.x`, `*`, `>=1 <2`,
// `1.0.0 - 2.0.0`, `||`) read by the semver package npm itself uses.
import semver from 'semver';
import type { RangeVersioning } from '../types.js';
import { getNewValue } from './new-value.js';
import { exactComparator, isValidRange as isValid, parseRange } from './range.js';
import { compare, isStable, isVersion, segment } from './version.js';

export {
  isValidRange,
  MAX_RANGE_LENGTH,
  parseRange,
  renderRange,
  type Range,
  type Comparator,
  type PartialVersion,
} from './range.js';

export const npm: RangeVersioning = {
  id: 'npm',
  isVersion,
  isValid,
  isSingleVersion: (value) => exactComparator(parseRange(value)) !== null,
  isStable,
  compare,
  getMajor: (version) => segment(version, 0),
  getMinor: (version) => segment(version, 1),
  getPatch: (version) => segment(version, 2),
  // semver's rules: a pre-release matches only a range naming a pre-release of the same major.minor.patch.
  matches: (version, range) => isVersion(version) && isValid(range) && semver.satisfies(version, range),
  getSatisfyingVersion(versions, range) {
    if (!isValid(range)) return null;
    return semver.maxSatisfying(versions.filter(isVersion), range);
  },
  getNewValue,
};
