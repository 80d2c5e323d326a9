// STUB (being written)
import type { Dependency, Manager } from '../../core/types.js';
import { parseDockerfile } from '../../dockerfile/parse.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export function extractFromDockerfile(_dockerfile: Dockerfile, _path: string): Dependency[] {
  return [];
}

export const manager: Manager = {
  name: 'dockerfile',
  filePatterns: [/(^|\/|\.)([Dd]ocker|[Cc]ontainer)file$/, /(^|\/)([Dd]ocker|[Cc]ontainer)file[^/]*$/],
  extract: (content, path) => ({ deps: extractFromDockerfile(parseDockerfile(content), path) }),
};
