// What a manager needs to find and apply its lockfiles, in one object per manifest kind.
// TODO(lead): typed as core's LockfileSupport once it is committed; the shape already matches it.
import { applyLockfileFor } from './apply.js';
import { lockfileCandidates } from './candidates.js';

export const pyprojectLockfiles = {
  filePatterns: [/(^|\/)poetry\.lock$/, /(^|\/)uv\.lock$/],
  candidates: lockfileCandidates,
  apply: applyLockfileFor,
};

export const pipfileLockfiles = {
  filePatterns: [/(^|\/)Pipfile\.lock$/],
  candidates: lockfileCandidates,
  apply: applyLockfileFor,
};
