// package.json → dependencies with the exact range of each value, plus what the caller needs to find
// lockfiles and workspace members (workspaces globs, packageManager). Never throws: a malformed file
// is one FileError with its line and column.
import { lineLocator } from '../../core/line-locator.js';
import type { Dependency, FileError } from '../../core/types.js';
import { invalidDependency, npmDependency, type DepContext } from './dependency.js';
import {
  JsonSyntaxError,
  duplicateKeys,
  member,
  parseJson,
  type JsonObject,
  type JsonString,
  type JsonValue,
} from './json-scan.js';
import { isExactVersion } from './range-syntax.js';

export interface NpmPackageFile {
  deps: Dependency[];
  errors: FileError[];
  /** The manifest's own `name`. */
  name?: string;
  /** Workspace globs (`workspaces` as an array or `{ packages }`), relative to the manifest's directory. */
  workspaces?: string[];
  /** yarn `resolutions` that apply to direct dependencies (keys `name`, or `name` after any `**`-slash path): name → range. */
  resolutions?: Map<string, string>;
}

export const DEPENDENCY_TYPES = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
] as const;

/** Engines whose constraint names something Dockhand can look up; others (vscode, …) are left out. */
const ENGINES: Record<string, string> = { node: 'node-version', npm: 'npm', yarn: 'npm', pnpm: 'npm' };
const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm']);
// `name@range` selectors in override keys; the name may be scoped.
const PACKAGE_NAME = /^(?:@[^/@\s]+\/)?[^/@\s]+$/;
const SELECTOR = /^((?:@[^/@]+\/)?[^@]+)(?:@.*)?$/s;

export function extractPackageJson(content: string): NpmPackageFile {
  const locate = lineLocator(content);
  let root: JsonValue;
  try {
    root = parseJson(content);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const { line, column } = locate(error.offset);
    return {
      deps: [],
      errors: [{ line, message: `Invalid JSON: ${error.message} (line ${line}, column ${column})` }],
    };
  }
  if (root.type !== 'object')
    return { deps: [], errors: [{ line: 1, message: 'package.json is not a JSON object' }] };

  const file: NpmPackageFile = { deps: [], errors: [] };
  const lineOf = (offset: number): number => locate(offset).line;
  const noteDuplicates = (object: JsonObject, where: string): void => {
    for (const key of duplicateKeys(object))
      file.errors.push({ message: `Duplicate key "${key}" in ${where}: the last one counts, as for npm` });
  };
  const sectionOf = (key: string): JsonObject | undefined => {
    const value = member(root, key);
    if (value === undefined) return undefined;
    if (value.type === 'object') return value;
    file.errors.push({ line: lineOf(value.start), message: `"${key}" is not an object` });
    return undefined;
  };
  noteDuplicates(root, 'package.json');

  const name = member(root, 'name');
  if (name?.type === 'string') file.name = name.value;

  for (const depType of DEPENDENCY_TYPES) {
    const section = sectionOf(depType);
    if (!section) continue;
    noteDuplicates(section, depType);
    for (const entry of lastEntries(section)) {
      const context = { depType, line: lineOf(entry.keyStart) };
      file.deps.push(dependencyOf(content, entry.key, entry.value, context));
    }
  }

  const overrides = sectionOf('overrides');
  if (overrides) extractOverrides(content, overrides, lineOf, file.deps);

  const engines = sectionOf('engines');
  if (engines) {
    for (const entry of lastEntries(engines)) {
      // Own keys only: `constructor` is not an engine.
      const datasource = Object.hasOwn(ENGINES, entry.key) ? ENGINES[entry.key] : undefined;
      if (!datasource) continue;
      const context = { depType: 'engines', line: lineOf(entry.keyStart), datasource };
      file.deps.push(dependencyOf(content, entry.key, entry.value, context));
    }
  }

  const packageManager = member(root, 'packageManager');
  if (packageManager?.type === 'string') file.deps.push(packageManagerDependency(packageManager, lineOf));

  const workspaces = workspaceGlobs(member(root, 'workspaces'));
  if (workspaces) file.workspaces = workspaces;
  const resolutions = member(root, 'resolutions');
  if (resolutions?.type === 'object') file.resolutions = directResolutions(resolutions);
  return file;
}

/** Entries in file order, a duplicated key only at its last place (JSON.parse keeps the last value). */
function lastEntries(object: JsonObject): JsonObject['entries'] {
  const last = new Map<string, number>();
  object.entries.forEach((entry, index) => last.set(entry.key, index));
  return object.entries.filter((entry, index) => last.get(entry.key) === index);
}

function dependencyOf(content: string, name: string, value: JsonValue, context: DepContext): Dependency {
  if (value.type === 'string') return npmDependency(name, value, context);
  return invalidDependency(name, content.slice(value.start, value.end), context);
}

// npm overrides: `"pkg": "1.0.0"`, `"pkg@^1": "1.0.1"`, `"pkg": { ".": "1.0.0", "child": "2.0.0" }`.
// A `$name` value refers to the version of a direct dependency: nothing of its own to update.
function extractOverrides(
  content: string,
  object: JsonObject,
  lineOf: (offset: number) => number,
  deps: Dependency[],
  parent?: string,
): void {
  for (const entry of lastEntries(object)) {
    const name = entry.key === '.' ? parent : SELECTOR.exec(entry.key)?.[1];
    if (entry.value.type === 'object') {
      if (name !== undefined) extractOverrides(content, entry.value, lineOf, deps, name);
      continue;
    }
    if (name === undefined) continue;
    if (entry.value.type === 'string' && entry.value.value.startsWith('$')) continue;
    deps.push(
      dependencyOf(content, name, entry.value, { depType: 'overrides', line: lineOf(entry.keyStart) }),
    );
  }
}

// corepack's `name@version(+hash)`: the version alone is the value, the hash stays untouched.
function packageManagerDependency(value: JsonString, lineOf: (offset: number) => number): Dependency {
  const text = value.value;
  const at = text.indexOf('@', 1);
  const name = at === -1 ? text : text.slice(0, at);
  const versionText = at === -1 ? '' : text.slice(at + 1).replace(/\+.*$/s, '');
  const part: JsonString = { ...value, start: value.start + at + 1, value: versionText };
  part.end = part.start + versionText.length;
  const dep = npmDependency(name, part, { depType: 'packageManager', line: lineOf(value.start) });
  if (at === -1 || !PACKAGE_MANAGERS.has(name)) dep.skipReason = 'invalid-value';
  else if (!dep.skipReason && !isExactVersion(versionText)) dep.skipReason = 'invalid-value';
  if (at === -1) delete dep.valueRange;
  return dep;
}

function workspaceGlobs(value: JsonValue | undefined): string[] | undefined {
  const list = value?.type === 'object' ? member(value, 'packages') : value;
  if (list?.type !== 'array') return undefined;
  return list.items.flatMap((item) => (item.type === 'string' ? [item.value] : []));
}

// `**/name` and `name` reach direct dependencies; `parent/name` only a dependency of `parent`.
function directResolutions(object: JsonObject): Map<string, string> {
  const map = new Map<string, string>();
  for (const { key, value } of object.entries) {
    const name = key.replace(/^\*\*\//, '');
    if (value.type === 'string' && PACKAGE_NAME.test(name)) map.set(name, value.value);
  }
  return map;
}
