// The scan's view of `.npmrc` (Manager.settings): the nearest one at or above the manifest names the
// registry (and scope registries) its packages come from. Only URLs are read: auth lines and `${ENV}`
// references are ignored, so a repository never chooses credentials.
import { ancestorPaths } from '../../core/ancestor-paths.js';
import type { CompanionFiles } from '../../core/types.js';
import { applyNpmrc, parseNpmrc } from './npmrc.js';

export const npmrcSettings: CompanionFiles = {
  filePatterns: [/^(?!(?:.*\/)?node_modules\/)(?:.*\/)?\.npmrc$/],
  candidates: (manifestPath) => ancestorPaths(manifestPath, ['.npmrc']),
  apply: (deps, _manifestPath, _path, content) => ({
    deps: applyNpmrc(deps, parseNpmrc(content)),
    errors: [],
  }),
};
