// What the Python managers share: PyPI names, the Dependency record of a package, index URLs without
// credentials, and 1-based lines from offsets.
import { lineLocator } from '../../core/line-locator.js';
import type { DepSource, Dependency, Range, SkipReason } from '../../core/types.js';

export const PACKAGE_SOURCE: DepSource = 'package-file';

/** A Python dependency (marker, extras and hashes are Dependency fields). */
export type PythonDependency = Dependency;

/** PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export interface PackageFields {
  depName: string;
  currentValue: string;
  line: number;
  depType: string;
  valueRange?: Range;
  versioning?: string;
  datasource?: string;
  skipReason?: SkipReason;
}

/** A package dependency: image fields null, `value` = `currentValue`, PyPI name normalised. */
export function packageDependency(fields: PackageFields): PythonDependency {
  const dep: PythonDependency = {
    depName: fields.depName,
    registry: null,
    repository: null,
    tag: null,
    digest: null,
    value: fields.currentValue,
    line: fields.line,
    source: PACKAGE_SOURCE,
    datasource: fields.datasource ?? 'pypi',
    versioning: fields.versioning ?? 'pep440',
    packageName: normalizeName(fields.depName),
    currentValue: fields.currentValue,
    depType: fields.depType,
  };
  if (fields.valueRange) dep.valueRange = fields.valueRange;
  if (fields.skipReason) dep.skipReason = fields.skipReason;
  return dep;
}

/** The interpreter a file asks for (`requires-python`, Poetry's `python`, Pipfile's `python_version`). */
export function pythonRuntime(fields: Omit<PackageFields, 'depName' | 'depType'>): PythonDependency {
  const dep = packageDependency({
    ...fields,
    depName: 'python',
    depType: 'requires-python',
    // Not a PyPI package: Renovate's name for the datasource of Python releases.
    datasource: 'python-version',
  });
  delete dep.packageName;
  return dep;
}

export interface CleanUrl {
  url: string;
  /** The URL held a user or password, which was dropped. */
  hadCredentials: boolean;
}

/** An index URL without `user:password@`: credentials never come from a repository. */
export function withoutCredentials(url: string): CleanUrl {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/@?#]*@)/i.exec(url);
  if (!match) return { url, hadCredentials: false };
  return { url: match[1] + url.slice(match[0].length), hadCredentials: true };
}

/** Maps an offset to its 1-based line; built once per file. */
export function lineIndex(content: string): (offset: number) => number {
  const locate = lineLocator(content);
  return (offset) => locate(offset).line;
}

/** Why a direct reference (`name @ url`, `-e`, a path) is not looked up. */
export function referenceSkip(value: string): SkipReason {
  if (/^(git|hg|svn|bzr)\+/i.test(value)) return 'git';
  if (/^file:/i.test(value) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'local';
  return 'url';
}

/** A reference as shown in reports: a `user:password@` in it is dropped (a bare `git@` user stays). */
export function referenceValue(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@?#]*:[^/@?#]*@/i.test(url) ? withoutCredentials(url).url : url;
}
