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
      const runtime = runtimeOf(dep, file.path);
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
function runtimeOf(dep: Dependency, path: string): Runtime | undefined {
  if (dep.source !== 'from') return undefined;
  const runtime = imageRuntime(dep, dep.tag);
  return runtime && { ...runtime, image: dep.value, from: { path, line: dep.line } };
}

/** The Node or Python an official image with `tag` provides (`python`, `3.9-slim` → Python 3.9). */
export function imageRuntime(
  image: Pick<Dependency, 'registry' | 'repository'>,
  tag: string | null | undefined,
): Pick<Runtime, 'kind' | 'version'> | undefined {
  const kind =
    image.registry === 'docker.io' && image.repository ? RUNTIME_IMAGES[image.repository] : undefined;
  const version = tag ? /^\d+(?:\.\d+){0,2}/.exec(tag)?.[0] : undefined;
  return kind && version ? { kind, version } : undefined;
}

function normalise(dir: string): string {
  const clean = posix.normalize(dir);
  return clean === '.' || clean === '/' ? '' : clean.replace(/\/$/, '');
}

function parent(dir: string): string {
  const up = posix.dirname(dir);
  return up === '.' ? '' : up;
}
