// What every lockfile reader provides: parsed once, then, for each manifest of the lockfile's project,
// its direct dependencies' locked versions.

export type LockKind = 'npm' | 'yarn-v1' | 'yarn-berry' | 'pnpm';

/** A direct dependency as the manifest writes it: the lock is asked about these. */
export interface WantedDep {
  name: string;
  /** The value as written (`^4.17.21`, `npm:other@^1`). */
  spec: string;
}

export interface LockedDep {
  /** The locked version; absent when the lockfile links the name to a local package (a workspace member). */
  version?: string;
  /** The values the lockfile recorded for the name in the manifest (npm v2/v3 and pnpm keep them). */
  specs?: string[];
}

/** The key of `locked`: a name may be wanted twice (a peer range and a dev range). */
export function lockKey(dep: WantedDep): string {
  return `${dep.name}\0${dep.spec}`;
}

export type LockLookup = { ok: true; locked: Map<string, LockedDep> } | { ok: false; message: string };

/** A lockfile parsed once, then asked about each manifest it locks. */
export interface ParsedLock {
  kind: LockKind;
  /** The lockfile's own format version (`3`, `9.0`, Berry's `__metadata.version`, `1` for yarn v1). */
  lockfileVersion: string;
  /**
   * What the lockfile holds for `wanted` of the manifest in `member` (its directory relative to the
   * lockfile's, '' when they sit together), keyed by `lockKey`; what the lockfile lacks is absent.
   * `resolutions` (the root manifest's yarn `resolutions`, name → range) replace a range in yarn locks.
   */
  lookup(member: string, wanted: WantedDep[], resolutions?: ReadonlyMap<string, string>): LockLookup;
  /** Whether the lockfile knows `member` as a project of its workspace ('' is the lockfile's own). */
  hasMember(member: string): boolean;
}

export type LockParse = { ok: true; lock: ParsedLock } | { ok: false; line?: number; message: string };

/** A lockfile parser: linear in the file, never throws. */
export type LockParser = (content: string) => LockParse;

/** A version with pnpm's peer suffix `(react@18.2.0)` or v5's `_react@18.2.0` and an alias prefix removed. */
export function plainVersion(text: string): string {
  let version = text;
  const paren = version.indexOf('(');
  if (paren > 0) version = version.slice(0, paren);
  if (version.startsWith('npm:')) version = version.slice(4);
  if (version.startsWith('/')) version = version.slice(1);
  // `name@1.2.3` (npm v1 and pnpm aliases; the name may be scoped), `name/1.2.3` (pnpm v5).
  const at = version.lastIndexOf('@');
  if (at > 0) version = version.slice(at + 1);
  else if (version.includes('/') && !/^(?:link|file|workspace):/.test(version))
    version = version.slice(version.lastIndexOf('/') + 1);
  const underscore = version.indexOf('_');
  if (underscore > 0) version = version.slice(0, underscore);
  return version;
}
