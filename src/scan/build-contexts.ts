// What linting a Dockerfile needs from the rest of the tree: the `.dockerignore` files and the build
// contexts compose files give Dockerfiles. Learnt from those small files before any Dockerfile is read,
// so that each Dockerfile can be linted as soon as it is parsed.
import type { BuildContext } from '../core/types.js';
import { dockerignoreFor } from './dockerignore.js';

export class BuildContexts {
  /** Ignore file → its text, or undefined when it exists but was not read (symlink, too large, binary). */
  private readonly ignoreFiles = new Map<string, string | undefined>();
  /** Dockerfile → the context directory a compose file builds it with. */
  private readonly contexts = new Map<string, string>();

  addDockerignore(path: string, text: string | undefined): void {
    this.ignoreFiles.set(path, text);
  }

  /** Local builds only; the first file (in path order) naming a Dockerfile wins. */
  addBuilds(builds: readonly BuildContext[]): void {
    for (const build of builds) {
      if (!build.remote && !this.contexts.has(build.dockerfile))
        this.contexts.set(build.dockerfile, build.context);
    }
  }

  /** The context directory a compose file builds this Dockerfile with, when one does. */
  contextOf(dockerfile: string): string | undefined {
    return this.contexts.get(dockerfile);
  }

  /** The `.dockerignore` text for a Dockerfile: null when it has none, undefined when it is unknown. */
  dockerignoreFor(dockerfile: string): string | null | undefined {
    return dockerignoreFor(dockerfile, this.contexts.get(dockerfile), this.ignoreFiles);
  }
}
