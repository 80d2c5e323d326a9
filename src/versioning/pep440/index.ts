// The `pep440` versioning: Python versions and specifier sets (`==2.31.0`, `~=2.31`, `>=2.31,<3`,
// `==2.*`, `!=`, `===`). A bare version is not a PEP 440 specifier and is not valid here (Poetry reads
// `1.2` as `==1.2`: that is its own versioning's business).
import { maxSatisfying } from '@renovatebot/pep440';
import type { RangeVersioning } from '../types.js';
import { admits, getNewValue } from './new-value.js';
import { parseSpecifier } from './specifier.js';
import { compare, isStable, isVersion, segment } from './version.js';

export { parseSpecifier, formatSpecifier, type Clause, type Operator } from './specifier.js';
export { parseVersion } from './version.js';

export const pep440: RangeVersioning = {
  id: 'pep440',
  isVersion,
  isValid: (value) => parseSpecifier(value) !== null,
  isSingleVersion(value) {
    const clauses = parseSpecifier(value);
    if (clauses?.length !== 1) return false;
    const [clause] = clauses as [(typeof clauses)[number]];
    return clause.operator === '===' || (clause.operator === '==' && !clause.wildcard);
  },
  isStable,
  compare,
  getMajor: (version) => segment(version, 0),
  getMinor: (version) => segment(version, 1),
  getPatch: (version) => segment(version, 2),
  // Whether the version falls in the range, pre-releases included: the caller decides about stability.
  matches: (version, range) =>
    isVersion(version) && parseSpecifier(range) !== null && admits(range, version.trim()),
  // PEP 440 selection as pip does it: pre-releases only when the specifier names one.
  getSatisfyingVersion(versions, range) {
    if (parseSpecifier(range) === null) return null;
    return maxSatisfying(versions.filter(isVersion), range);
  },
  getNewValue,
};
