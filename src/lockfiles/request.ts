// What a relocker is given and returns (./index.ts chooses the relocker for a lockfile).
import { posix } from 'node:path';
import type { Dependency } from '../core/types.js';

export interface RelockRequest {
  /** Repository-relative posix paths. */
  manifestPath: string;
  lockPath: string;
  /** The manifest after Dockhand's edit. */
  manifest: string;
  /** The lockfile as the scan read it. */
  lockfile: string;
  /** The manifest's dependencies as scanned (to refuse ones a tool would fetch from hosts a file names). */
  deps: readonly Dependency[];
  /** Another file of the repository (`.npmrc` beside the manifest), or undefined when there is none. */
  readFile(path: string): Promise<string | undefined>;
  /**
   * Where packages come from. The app passes the operator's registries and nothing of the repository's
   * settings is used; the CLI passes none and the repository's own registry lines are kept.
   */
  registries?: RelockRegistries;
  /**
   * Lock file maintenance: every package resolved afresh within the declared ranges, not only what the
   * manifest edit needs. Only relockers listed as refreshing in ./index.ts are asked to.
   */
  refresh?: boolean;
}

export interface RelockRegistries {
  /** The npm registry packages are resolved from (`https://registry.npmjs.org/`). */
  npm: string;
  /** Scopes resolved from other registries (`@acme` → URL). */
  npmScopes?: Readonly<Record<string, string>>;
  /** The Python index (`https://pypi.org/simple`). */
  pypi: string;
}

/** `notes`: what the reader should know of a regeneration that worked (a pinned tool not used…). */
export type RelockResult = { ok: true; lockfile: string; notes?: string[] } | { ok: false; reason: string };

export type Relocker = (request: RelockRequest) => Promise<RelockResult>;

/** The first dependency a package manager would fetch from a host the manifest names (git, URL). */
export function remoteDependency(deps: readonly Dependency[]): Dependency | undefined {
  return deps.find((dep) => dep.skipReason === 'git' || dep.skipReason === 'url');
}

/**
 * Why a Python tool may not regenerate the request's lockfile: not beside its manifest, or a dependency
 * it would fetch from a host the manifest names or build from a local path. Undefined when it may.
 */
export function pythonRefusal(request: RelockRequest, tool: string): string | undefined {
  const { lockPath, manifestPath } = request;
  if (posix.dirname(lockPath) !== posix.dirname(manifestPath))
    return `Dockhand regenerates ${posix.basename(lockPath)} only beside its ${posix.basename(manifestPath)}`;
  const remote = remoteDependency(request.deps) ?? request.deps.find((dep) => dep.skipReason === 'local');
  return remote
    ? `not regenerated because ${remote.depName} is a ${remote.skipReason} dependency, which ${tool} would fetch or build outside the index`
    : undefined;
}
