// npm manager: package.json files (not those installed under node_modules/). `extract` reads one manifest;
// the caller, which sees the repository's files, adds lockfiles (`lockfileCandidates`, `applyLockfile`),
// workspace members (`workspaceMembers`) and `.npmrc` registries (`parseNpmrc`, `applyNpmrc`).
import type { ExtractResult, Manager } from '../../core/types.js';
import { extractPackageJson } from './extract.js';
import { npmrcSettings } from './npmrc-support.js';
import { npmLockfiles } from './lockfile-support.js';

export { extractPackageJson, type NpmPackageFile } from './extract.js';
export {
  applyLockfile,
  lockfileCandidates,
  parseLockfile,
  LOCKFILE_NAMES,
  type AppliedLockfile,
  type ApplyOptions,
  type ParsedLock,
} from './lockfile.js';
export { workspaceMembers, pnpmWorkspaceGlobs } from './workspaces.js';
export { npmLockfiles } from './lockfile-support.js';
export { applyNpmrc, parseNpmrc, type NpmrcRegistries } from './npmrc.js';

export const manager: Manager = {
  name: 'npm',
  filePatterns: [/^(?!(?:.*\/)?node_modules\/)(?:.*\/)?package\.json$/],
  extract: (content): ExtractResult => {
    const { deps, errors } = extractPackageJson(content);
    return errors.length ? { deps, errors } : { deps };
  },
  lockfiles: npmLockfiles,
  settings: npmrcSettings,
  runtime: 'node',
};
