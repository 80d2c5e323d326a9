// Dockerfile / Containerfile manager: every image a build pulls, with the bytes an update would edit.
import type { Manager } from '../../core/types.js';
import { parseDockerfile } from '../../dockerfile/parse.js';
import { extractFromDockerfile } from './extract.js';

export { extractFromDockerfile } from './extract.js';

const NOT_DOCKERFILES =
  'dockerignore|md|txt|rst|adoc|html|json|ya?ml|toml|ini|cfg|lock|rego|sh|ps1|bat|py|go|rb|js|mjs|cjs|ts|java|rs|php|orig|rej|swp|bak';

export const manager: Manager = {
  name: 'dockerfile',
  // Renovate's patterns (Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*, Dockerfile-*), any case,
  // minus the files that only share the name: Dockerfile.dockerignore, dockerfile.ts, Dockerfile.md...
  filePatterns: [
    /(^|\/|\.)(docker|container)file$/i,
    new RegExp(`(^|/)(docker|container)file(?![^/]*\\.(${NOT_DOCKERFILES})$)[^/]*$`, 'i'),
  ],
  extract: (content) => ({ deps: extractFromDockerfile(parseDockerfile(content)) }),
};
