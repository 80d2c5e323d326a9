// STUB (being written)
import type { Dockerfile } from './types.js';

export function parseDockerfile(text: string): Dockerfile {
  return { text, directives: { escape: '\\' }, instructions: [], stages: [], globalArgs: [], comments: [], errors: [] };
}
