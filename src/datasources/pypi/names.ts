// Project names and file names: PEP 503 normalisation, and the version a distribution file carries.
import { parseVersion } from '../../versioning/pep440/index.js';

// PEP 508 names: letters, digits and `._-` inside. Anything else (a `/`, `..`) never reaches a URL.
const NAME = /^[a-z0-9](?:[a-z0-9._-]{0,198}[a-z0-9])?$/i;

export function isProjectName(name: string): boolean {
  return NAME.test(name);
}

/** PEP 503: runs of `-`, `_`, `.` become one `-`, lower case (`Foo.Bar_baz` → `foo-bar-baz`). */
export function normaliseName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

const SDIST_SUFFIXES = ['.tar.gz', '.zip', '.tar.bz2', '.tar.xz', '.tgz', '.tar'];

/**
 * The version a wheel or sdist of `project` (normalised) carries, or null when the file is another
 * project's, another kind (eggs, installers) or unreadable. Wheels are `name-ver(-build)?-py-abi-plat.whl`
 * with no `-` inside name or version; sdists `name-ver.tar.gz` where the name may hold `-`, so the split
 * is the one whose name part normalises to the project.
 */
export function fileVersion(filename: string, project: string): { version: string; sdist: boolean } | null {
  // No file system holds longer names; the sdist split below is quadratic in the name's length.
  if (filename.length > 255) return null;
  const lower = filename.toLowerCase();
  if (lower.endsWith('.whl')) {
    const parts = filename.slice(0, -4).split('-');
    if (parts.length !== 5 && parts.length !== 6) return null;
    const [name = '', version = ''] = parts;
    return normaliseName(name) === project && parseVersion(version) ? { version, sdist: false } : null;
  }
  const suffix = SDIST_SUFFIXES.find((s) => lower.endsWith(s));
  if (suffix === undefined) return null;
  const stem = filename.slice(0, -suffix.length);
  for (let i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
    if (normaliseName(stem.slice(0, i)) !== project) continue;
    const version = stem.slice(i + 1);
    if (parseVersion(version)) return { version, sdist: true };
  }
  return null;
}
