// What a lockfile pins, package by package, and what moved between two of them: the table of a lock file
// maintenance pull request. Pure. npm locks are keyed by install location (a name may be installed at
// several); the other formats by package name, read with the extractors' own readers
// (src/managers/npm/locks, src/managers/python-locks): a name locked at several versions shows them all
// (`3.10.1, 4.17.21`). pnpm-lock.yaml gives each package the shortest dependency path from the project;
// yarn.lock, poetry.lock and Pipfile.lock, read flat, give the name.
import { posix } from 'node:path';
import { parseSyml } from '@yarnpkg/parsers';
import { parseSection, SectionError, topLevelSections } from '../managers/npm/locks/yaml-sections.js';
import { readYarnLines, type YarnEntry } from '../managers/npm/locks/yarn-lines.js';
import type { LockRead } from '../managers/python-locks/lock.js';
import { readPipfileLock } from '../managers/python-locks/pipfile-lock.js';
import { readPoetryLock } from '../managers/python-locks/poetry-lock.js';
import { isRecord } from '../core/is-record.js';

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

/** A lockfile's reader, by the lockfile's name; undefined for a format no reader knows. */
export function lockedPackagesFor(lockPath: string, text: string): Map<string, LockedPackage> | undefined {
  const reader = READERS[posix.basename(lockPath)];
  return reader?.(text);
}

const READERS: Readonly<Record<string, (text: string) => Map<string, LockedPackage>>> = {
  'package-lock.json': npmLockedPackages,
  'npm-shrinkwrap.json': npmLockedPackages,
  'yarn.lock': yarnLockedPackages,
  'pnpm-lock.yaml': pnpmLockedPackages,
  'poetry.lock': poetryLockedPackages,
  'Pipfile.lock': pipfileLockedPackages,
};

/**
 * yarn.lock, v1 and Berry, by package name: the versions its descriptors resolve to. Workspace members
 * (Berry's `name@workspace:path`) and the `__metadata` block are left out. Unreadable: none.
 */
export function yarnLockedPackages(text: string): Map<string, LockedPackage> {
  const berry = !/^(?:#.*\r?\n)*?#\s+yarn\s+lockfile\s+v1\r?\n/i.test(text) && /^__metadata:\s*$/m.test(text);
  let entries = readYarnLines(text, berry);
  if (!entries) {
    // Not laid out as yarn writes it: the reader the extractor falls back to.
    entries = new Map<string, YarnEntry>();
    let lock: Record<string, unknown>;
    try {
      lock = parseSyml(text) as Record<string, unknown>;
    } catch {
      return new Map();
    }
    for (const [key, entry] of Object.entries(lock)) {
      if (key === '__metadata' || !isRecord(entry) || typeof entry.version !== 'string') continue;
      const resolution = typeof entry.resolution === 'string' ? entry.resolution : undefined;
      for (const descriptor of key.split(','))
        entries.set(descriptor.trim(), { version: entry.version, ...(resolution && { resolution }) });
    }
  }
  const versions = new Map<string, Set<string>>();
  for (const [descriptor, entry] of entries) {
    if (descriptor === '__metadata' || entry.resolution?.includes('@workspace:')) continue;
    const at = descriptor.indexOf('@', 1);
    if (at <= 0) continue;
    const name = descriptor.slice(0, at);
    versions.set(name, (versions.get(name) ?? new Set()).add(entry.version));
  }
  return flat(versions);
}

/**
 * pnpm-lock.yaml (v9 `snapshots`, v6/v5 `packages`) by package name, each with the shortest dependency
 * path from the project's importers. Unreadable: none.
 */
export function pnpmLockedPackages(text: string): Map<string, LockedPackage> {
  const sections = topLevelSections(text);
  const read = (key: string): Record<string, unknown> => {
    const section = sections.get(key);
    const value = section ? parseSection(section, key) : undefined;
    return isRecord(value) ? value : {};
  };
  let graph: Record<string, unknown>;
  let importers: Record<string, unknown>;
  try {
    graph = sections.has('snapshots') ? read('snapshots') : read('packages');
    importers = sections.has('importers')
      ? read('importers')
      : { '.': Object.fromEntries(PNPM_FIELDS.map((field) => [field, read(field)])) };
  } catch (error) {
    if (error instanceof SectionError) return new Map();
    throw error;
  }
  // v9 keys are `name@1.0.0(peer@2.0.0)`, v6 `/name@1.0.0(peer@2.0.0)`, v5 `/name/1.0.0_peer@2.0.0`.
  const major = /^lockfileVersion:\s*['"]?(\d+)/m.exec(text)?.[1];
  const slash = major === '5' || major === '6';
  const separator = major === '5' ? '/' : '@';
  const KEY = major === '5' ? /^\/?(.+?)\/(\d[^_/]*)(?:_.*)?$/ : /^\/?(@?[^@]+)@([^(]+)/;
  const split = (key: string) => {
    const match = KEY.exec(key);
    return match ? { name: match[1]!, version: match[2]! } : undefined;
  };
  const nameOf = (key: string) => split(key)?.name;
  // A dependency's value is its version (with peers), or an alias's key (`other@1.0.0`, v6 `/other@1.0.0`).
  const keyOf = (name: string, value: string): string =>
    /^\d/.test(value) ? `${slash ? '/' : ''}${name}${separator}${value}` : value;
  const versions = new Map<string, Set<string>>();
  for (const key of Object.keys(graph)) {
    const parts = split(key);
    if (parts) versions.set(parts.name, (versions.get(parts.name) ?? new Set()).add(parts.version));
  }
  // Breadth first from the importers: the first path that reaches a name is its shortest.
  const paths = new Map<string, string>();
  const seen = new Set<string>();
  let queue: [string, string][] = [];
  const enqueue = (deps: unknown, parents: string, next: [string, string][]) => {
    if (!isRecord(deps)) return;
    for (const [name, value] of Object.entries(deps)) {
      const version = isRecord(value) ? value.version : value;
      if (typeof version !== 'string' || version.startsWith('link:')) continue;
      const key = keyOf(name, version);
      if (seen.has(key)) continue;
      seen.add(key);
      const path = parents ? `${parents} > ${name}` : name;
      const target = nameOf(key);
      if (target && !paths.has(target)) paths.set(target, path);
      next.push([key, path]);
    }
  };
  for (const project of Object.values(importers))
    if (isRecord(project)) for (const field of PNPM_FIELDS) enqueue(project[field], '', queue);
  while (queue.length) {
    const next: [string, string][] = [];
    for (const [key, path] of queue) {
      const entry = graph[key];
      if (isRecord(entry)) for (const field of PNPM_FIELDS) enqueue(entry[field], path, next);
    }
    queue = next;
  }
  return flat(versions, paths);
}

const PNPM_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'];

/** poetry.lock by normalised name. Unreadable: none. */
export function poetryLockedPackages(text: string): Map<string, LockedPackage> {
  return pythonLocked(readPoetryLock(text));
}

/** Pipfile.lock (`default` and `develop`) by normalised name. Unreadable: none. */
export function pipfileLockedPackages(text: string): Map<string, LockedPackage> {
  return pythonLocked(readPipfileLock(text));
}

function pythonLocked(read: LockRead): Map<string, LockedPackage> {
  const versions = new Map<string, Set<string>>();
  // A git or path package has no version: it is not in the table.
  if ('lock' in read)
    for (const [name, locked] of read.lock.packages) if (locked.length) versions.set(name, new Set(locked));
  return flat(versions);
}

/** Name → its versions, one entry per name, in name order. */
function flat(
  versions: ReadonlyMap<string, ReadonlySet<string>>,
  paths: ReadonlyMap<string, string> = new Map(),
): Map<string, LockedPackage> {
  const found = new Map<string, LockedPackage>();
  for (const name of [...versions.keys()].sort()) {
    const version = [...versions.get(name)!]
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .join(', ');
    found.set(name, { name, version, path: paths.get(name) ?? name });
  }
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
