// Dockerfile / Containerfile manager: every image a build pulls, with the bytes an update would edit.
import type { Manager } from '../../core/types.js';
import { parseDockerfile } from '../../dockerfile/parse.js';
import { extractFromDockerfile } from './extract.js';

export { extractFromDockerfile } from './extract.js';

export const manager: Manager = {
  name: 'dockerfile',
  // Renovate's patterns (Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*, Dockerfile-*), any case.
  filePatterns: [/(^|\/|\.)(docker|container)file$/i, /(^|\/)(docker|container)file[^/]*$/i],
  extract: (content) => ({ deps: extractFromDockerfile(parseDockerfile(content)) }),
};
