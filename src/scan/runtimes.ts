// Which Node or Python an npm or Python manifest's code runs on: the official `node`/`python` image
// that a Dockerfile whose build context holds the manifest builds from (the last such FROM: where a
// multi-stage build installs and runs the dependencies). Contexts are the compose `build.context` of
// the Dockerfile, else its own directory; a manifest takes the nearest context above it.
import { posix } from 'node:path';
import type { Dependency, PackageFile, Runtime } from '../core/types.js';

const RUNTIME_IMAGES: Record<string, Runtime['kind']> = {
  'library/node': 'node',
  'library/python': 'python',
};

export class Runtimes {
  /** Build context directory ('' for the root) → runtime, per kind. */
  private readonly byContext = new Map<string, Partial<Record<Runtime['kind'], Runtime>>>();

  addDockerfile(file: PackageFile, context: string | undefined): void {
    const dir = normalise(context ?? posix.dirname(file.path));
    const found = this.byContext.get(dir) ?? {};
    for (const dep of file.deps) {
      const runtime = runtimeOf(dep);
      // In FROM order: the last one of a kind wins.
      if (runtime) found[runtime.kind] = runtime;
    }
    if (Object.keys(found).length) this.byContext.set(dir, found);
  }

  /** The runtime of `kind` for the manifest at `path`: from the nearest build context above it. */
  for(path: string, kind: Runtime['kind']): Runtime | undefined {
    for (let dir = normalise(posix.dirname(path)); ; dir = parent(dir)) {
      const runtime = this.byContext.get(dir)?.[kind];
      if (runtime) return runtime;
      if (dir === '') return undefined;
    }
  }
}

/** `FROM python:3.9-slim` → Python 3.9; an unpinned or non-numeric tag says nothing. */
function runtimeOf(dep: Dependency): Runtime | undefined {
  if (dep.source !== 'from' || dep.registry !== 'docker.io' || !dep.repository || !dep.tag) return undefined;
  const kind = RUNTIME_IMAGES[dep.repository];
  const version = /^\d+(?:\.\d+){0,2}/.exec(dep.tag)?.[0];
  if (!kind || !version) return undefined;
  return { kind, version, image: dep.value };
}

function normalise(dir: string): string {
  const clean = posix.normalize(dir);
  return clean === '.' || clean === '/' ? '' : clean.replace(/\/$/, '');
}

function parent(dir: string): string {
  const up = posix.dirname(dir);
  return up === '.' ? '' : up;
}
