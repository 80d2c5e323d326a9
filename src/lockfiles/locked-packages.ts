// What an npm lockfile pins, package by package, and what moved between two of them: the table of a
// lock file maintenance pull request. Pure.

export interface LockedPackage {
  name: string;
  version: string;
  /** How it is reached from the project: `express > body-parser > qs`. */
  path: string;
}

export interface MovedPackage {
  name: string;
  /** Null when the package is new in the lockfile. */
  from: string | null;
  /** Null when it left the lockfile. */
  to: string | null;
  path: string;
}

/**
 * The packages of package-lock.json / npm-shrinkwrap.json, by install location: lockfileVersion 2 and 3
 * (`packages`), or 1 (nested `dependencies`). Links and the project itself are left out. Unreadable: none.
 */
export function npmLockedPackages(text: string): Map<string, LockedPackage> {
  const found = new Map<string, LockedPackage>();
  let lock: { packages?: unknown; dependencies?: unknown };
  try {
    lock = JSON.parse(text) as typeof lock;
  } catch {
    return found;
  }
  if (isRecord(lock.packages)) {
    for (const [location, entry] of Object.entries(lock.packages)) {
      if (location === '' || !isRecord(entry) || entry.link === true || typeof entry.version !== 'string')
        continue;
      const names = location.split(/(?:^|\/)node_modules\//).filter((part) => part !== '');
      const name = names.at(-1);
      if (name) found.set(location, { name, version: entry.version, path: names.join(' > ') });
    }
    return found;
  }
  const walk = (dependencies: unknown, parents: string[]): void => {
    if (!isRecord(dependencies)) return;
    for (const [name, entry] of Object.entries(dependencies)) {
      if (!isRecord(entry) || typeof entry.version !== 'string') continue;
      const chain = [...parents, name];
      found.set(chain.join('/node_modules/'), { name, version: entry.version, path: chain.join(' > ') });
      walk(entry.dependencies, chain);
    }
  };
  walk(lock.dependencies, []);
  return found;
}

/** Packages whose version changed, came or went, in install-path order. */
export function movedPackages(
  before: ReadonlyMap<string, LockedPackage>,
  after: ReadonlyMap<string, LockedPackage>,
): MovedPackage[] {
  const moved: MovedPackage[] = [];
  for (const [location, old] of before) {
    const next = after.get(location);
    if (next?.version !== old.version)
      moved.push({ name: old.name, from: old.version, to: next?.version ?? null, path: old.path });
  }
  for (const [location, next] of after)
    if (!before.has(location)) moved.push({ name: next.name, from: null, to: next.version, path: next.path });
  return moved.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
