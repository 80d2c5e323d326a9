// npm and Python dependency figures of a repository: how many, how many outdated, and libyears (the sum,
// over dependencies, of the time between the release in use and the newest release). Pure.
import { isPackageDependency } from '../core/package-dependency.js';
import type { Dependency, PackageFile } from '../core/types.js';

/** Declarations of what a project runs on, not dependencies (never looked up). */
const RUNTIME_DECLARATIONS = new Set(['engines', 'requires-python', 'packageManager']);

const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;

/** When the release in use of a dependency was published (ISO 8601), by `releaseKey`. */
export type ReleaseDates = ReadonlyMap<string, string>;

/** Identifies one dependency of a scan: its file, line and name. */
export function releaseKey(path: string, dep: Pick<Dependency, 'line' | 'depName'>): string {
  return `${path}\n${dep.line}\n${dep.depName}`;
}

export interface PackageFigures {
  /** npm and Python dependencies declared (runtime declarations such as `engines` left out). */
  total: number;
  /** Those with a newer release (any update, lockfile-only ones included); 0 without lookups. */
  outdated: number;
  /** Sum of the years between the release in use and the newest one, over the dependencies whose dates are known. */
  libyears: number;
  /** Outdated dependencies whose libyears are counted (both dates known). */
  libyearsKnown: number;
  /** Outdated dependencies left out of `libyears`: the date of the release in use or of the newest one is not known. */
  libyearsUnknown: number;
  /** Up to 20 outdated dependencies, the most years behind first (unknown ages last). */
  worst: OutdatedPackage[];
}

export interface OutdatedPackage {
  file: string;
  line: number;
  name: string;
  /** The version in use (the lockfile's, else the value as written). */
  current: string;
  newest: string;
  /** Years behind; null when a date is not known. */
  libyears: number | null;
}

export const MAX_WORST = 20;

export function isPackage(dep: Dependency): boolean {
  return isPackageDependency(dep);
}

export function packageFigures(
  files: readonly PackageFile[],
  _now: Date,
  dates: ReleaseDates | undefined,
): PackageFigures {
  const figures: PackageFigures = {
    total: 0,
    outdated: 0,
    libyears: 0,
    libyearsKnown: 0,
    libyearsUnknown: 0,
    worst: [],
  };
  const outdated: OutdatedPackage[] = [];
  for (const file of files) {
    for (const dep of file.deps) {
      if (!isPackage(dep) || RUNTIME_DECLARATIONS.has(dep.depType ?? '')) continue;
      figures.total++;
      const newest = newestUpdate(dep);
      if (!newest) continue;
      figures.outdated++;
      const inUse = dates?.get(releaseKey(file.path, dep));
      let years: number | null = null;
      if (inUse !== undefined && newest.releaseTimestamp !== undefined) {
        const span = Date.parse(newest.releaseTimestamp) - Date.parse(inUse);
        if (Number.isFinite(span)) years = Math.max(0, span) / YEAR_MS;
      }
      if (years === null) figures.libyearsUnknown++;
      else {
        figures.libyearsKnown++;
        figures.libyears += years;
      }
      outdated.push({
        file: file.path,
        line: dep.line,
        name: dep.depName,
        current: dep.lockedVersion ?? dep.currentValue ?? dep.value,
        newest: newest.newVersion ?? newest.newValue ?? '',
        libyears: years === null ? null : round(years),
      });
    }
  }
  figures.libyears = round(figures.libyears);
  figures.worst = outdated
    .sort(
      (a, b) =>
        (b.libyears ?? -1) - (a.libyears ?? -1) ||
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line,
    )
    .slice(0, MAX_WORST);
  return figures;
}

/** The update to the newest release: the major when there is one, else the minor or patch one. */
function newestUpdate(dep: Dependency): NonNullable<Dependency['updates']>[number] | undefined {
  const updates = dep.updates ?? [];
  return updates.find((u) => u.type === 'major') ?? updates[0];
}

function round(years: number): number {
  return Math.round(years * 100) / 100;
}
