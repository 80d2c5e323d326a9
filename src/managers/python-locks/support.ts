// The lockfile support of the Python managers (Manager.lockfiles): which files, where, and applying them.
import type { CompanionFiles } from '../../core/types.js';
import { applyLockfileFor } from './apply.js';
import { lockfileCandidates } from './candidates.js';

export const pyprojectLockfiles: CompanionFiles = {
  filePatterns: [/(^|\/)poetry\.lock$/, /(^|\/)uv\.lock$/],
  candidates: lockfileCandidates,
  apply: applyLockfileFor,
};

export const pipfileLockfiles: CompanionFiles = {
  filePatterns: [/(^|\/)Pipfile\.lock$/],
  candidates: lockfileCandidates,
  apply: applyLockfileFor,
};
