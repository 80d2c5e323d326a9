// The scan's view of `.npmrc` (Manager.settings): the nearest one at or above the manifest names the
// registry (and scope registries) its packages come from. Only URLs are read: auth lines and `${ENV}`
// references are ignored, so a repository never chooses credentials.
import { posix } from 'node:path';
import type { CompanionFiles } from '../../core/types.js';
import { applyNpmrc, parseNpmrc } from './npmrc.js';

export const npmrcSettings: CompanionFiles = {
  filePatterns: [/^(?!(?:.*\/)?node_modules\/)(?:.*\/)?\.npmrc$/],
  candidates(manifestPath) {
    const out: string[] = [];
    for (let dir = posix.dirname(manifestPath); ; dir = posix.dirname(dir)) {
      out.push(dir === '.' ? '.npmrc' : `${dir}/.npmrc`);
      if (dir === '.' || dir === '/' || dir === '') return out;
    }
  },
  apply: (deps, _manifestPath, _path, content) => ({
    deps: applyNpmrc(deps, parseNpmrc(content)),
    errors: [],
  }),
};
