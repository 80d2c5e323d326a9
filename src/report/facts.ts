// RepoFacts: what a compliance report needs to know about one repository, computed once per run from the
// resolved scan (plus what only the app knows: its open PRs, maintenance mode, rebuilds). Compact, plain
// JSON (no Maps, no Dates, no undefined), so the app can keep it in Redis and re-evaluate policies and
// render reports later without the files. Pure: the moment of the run is an argument.
import type { Dependency, Finding, PackageFile, Severity } from '../core/types.js';
import { eolFindings } from '../eol/index.js';
import type { ScanResult } from '../scan/scan.js';
import { teamsOwning, type CodeOwners } from './codeowners.js';
import { isPackage } from './packages.js';
import type { DockerfileFacts } from './dockerfile.js';
import { packageFigures, type PackageFigures, type ReleaseDates } from './packages.js';

export type { DockerfileFacts, FinalUserKind } from './dockerfile.js';
export type { PackageFigures, ReleaseDates } from './packages.js';

/** The version of the RepoFacts shape; bumped when a field changes meaning (stored facts say which). */
export const FACTS_VERSION = 1;

/** At most this many error-level findings are kept (their total is always kept). */
export const MAX_LINT_ERRORS = 50;

export interface RepoFacts {
  version: typeof FACTS_VERSION;
  /** The repository's name: `owner/name` in the app, the directory as given on the CLI. */
  repository: string;
  /** When the scan ran (ISO 8601). Ages and EOL are judged at this moment. */
  scannedAt: string;
  /** Whether registry lookups ran (`--resolve`, the app): without them stale digests and lag are unknown. */
  resolved: boolean;
  /** Every image reference, in file order (files by path). */
  images: ImageFacts[];
  /** Every Dockerfile, by path. */
  dockerfiles: DockerfileFacts[];
  lint: LintFacts;
  packages: PackageFigures;
  /** Dockhand's open PRs (app only); null when not known (the CLI). */
  pullRequests: PullRequestFacts[] | null;
  /** Maintenance mode and the last rebuild seen to succeed (app only); null when not known. */
  maintenance: MaintenanceFacts | null;
  /** Files with errors (unparseable, a manager that failed) and files skipped (too large, symlinks…). */
  fileErrors: number;
  skippedFiles: number;
  /**
   * The teams (`@org/team`, lower case) CODEOWNERS names as owners of the container files (Dockerfiles,
   * compose files): the union, sorted. Absent when the repository has no CODEOWNERS (or it is not known).
   */
  teams?: string[];
}

export interface ImageFacts {
  file: string;
  line: number;
  manager: string;
  /** `from`, `copy-from`, `compose-image`…, see the JSON output's `source`. */
  source: Dependency['source'];
  /** The reference as it would be pulled (after variable substitution). */
  reference: string;
  /** `registry/repository` (`docker.io/library/node`), or the raw text when invalid. */
  name: string;
  tag: string | null;
  digest: string | null;
  /** The Dockerfile stage that uses it (name or index). */
  stage: string | null;
  /** Why it is not judged (`unresolved-variable`, `invalid-reference`…); policies skip such references. */
  skipReason: string | null;
  /** `latest`, or no tag and no digest: the image floats. */
  latestOrUntagged: boolean;
  /** Carries a digest. */
  digestPinned: boolean;
  /** Dockerfiles: used by the final stage or a stage it is built on; null outside Dockerfiles or unknown. */
  finalStage: boolean | null;
  /** End-of-life release lines the tag runs on at `scannedAt` (the image's own, then its OS's). */
  eol: EolFacts[];
  /** With lookups: the pinned digest is no longer the tag's; `since` the day the tag moved, when known. */
  staleDigest: { since: string | null; newDigest: string | null } | null;
  /** With lookups: the newest release of its line (same major), when newer than the tag; its date when known. */
  behind: { tag: string; type: 'minor' | 'patch'; since: string | null } | null;
  /** With lookups: the newest major, when there is one. */
  newestMajor: string | null;
  /** With lookups: why the registry could not answer. */
  lookupError: string | null;
}

export interface EolFacts {
  product: string;
  release: string;
  /** The first day without fixes (YYYY-MM-DD). */
  eol: string;
  approximate: boolean;
  /** The supported line to move to, when known. */
  successor: string | null;
}

export interface LintFacts {
  counts: Record<Severity, number>;
  /** Error-level findings, at most MAX_LINT_ERRORS (by path, line, rule). */
  errors: LintFinding[];
  /** How many error-level findings there were in all (more than `errors.length` when capped). */
  errorTotal: number;
}

export interface LintFinding {
  rule: string;
  slug: string;
  file: string;
  line: number;
  message: string;
}

export interface PullRequestFacts {
  number: number;
  title: string;
  /** When it was opened (ISO 8601). */
  createdAt: string;
  url: string | null;
  branch: string | null;
}

export interface MaintenanceFacts {
  /** Whether the repository is in maintenance mode. */
  enabled: boolean;
  /** The last rebuild (dispatch or rebuild PR) seen to succeed, ISO 8601; null when none is known. */
  lastRebuildAt: string | null;
}

export interface RepoFactsInput {
  repository: string;
  scan: ScanResult;
  /** The moment of the scan (the CLI: now). */
  now: Date;
  /** Whether registry lookups ran. Default: whether any dependency carries lookup results. */
  resolved?: boolean;
  /** Per Dockerfile path, what its parse model says (src/report/dockerfile.ts); without it users are unknown. */
  dockerfiles?: ReadonlyMap<string, DockerfileFacts>;
  /** Dates of the releases in use, for libyears (src/report/dates.ts). */
  releaseDates?: ReleaseDates;
  /** The app: Dockhand's open PRs. */
  pullRequests?: PullRequestFacts[];
  /** The app: maintenance mode and the last rebuild. */
  maintenance?: MaintenanceFacts;
  /** The repository's CODEOWNERS, parsed (src/report/codeowners.ts): gives `teams`. */
  codeowners?: CodeOwners;
}

/** Managers whose files are container files: their owners are the repository's teams. */
const CONTAINER_MANAGERS: ReadonlySet<string> = new Set(['dockerfile', 'compose']);

/** The facts of one repository. Pure; the result is JSON (round-trips through JSON.stringify unchanged). */
export function repoFacts(input: RepoFactsInput): RepoFacts {
  const { scan, now } = input;
  const dockerfiles = scan.files
    .filter((file) => file.manager === 'dockerfile')
    .map((file) => input.dockerfiles?.get(file.path) ?? unknownDockerfile(file.path));
  const byPath = new Map(dockerfiles.map((d) => [d.path, d]));
  const images = scan.files.flatMap((file) =>
    file.deps.filter(isImage).map((dep) => imageFacts(file, dep, byPath.get(file.path), now)),
  );
  return {
    version: FACTS_VERSION,
    repository: input.repository,
    scannedAt: now.toISOString(),
    resolved: input.resolved ?? scan.files.some((f) => f.deps.some(hasLookup)),
    images,
    dockerfiles,
    lint: lintFacts(scan.findings),
    packages: packageFigures(scan.files, now, input.releaseDates),
    pullRequests: input.pullRequests ? input.pullRequests.map((pr) => ({ ...pr })) : null,
    maintenance: input.maintenance ? { ...input.maintenance } : null,
    fileErrors: scan.files.filter((f) => f.errors?.length).length,
    skippedFiles: scan.skipped.length,
    ...(input.codeowners && {
      teams: teamsOwning(
        input.codeowners,
        scan.files.filter((file) => CONTAINER_MANAGERS.has(file.manager)).map((file) => file.path),
      ),
    }),
  };
}

/** Image references (not npm/Python packages), other than the names compose builds. */
function isImage(dep: Dependency): boolean {
  return !isPackage(dep) && dep.skipReason !== 'build-output';
}

function hasLookup(dep: Dependency): boolean {
  return dep.updates !== undefined || dep.staleDigest === true || dep.lookupError !== undefined;
}

function unknownDockerfile(path: string): DockerfileFacts {
  return { path, stages: 0, finalStage: null, finalChain: [], finalBase: null, user: { kind: 'unknown' } };
}

function imageFacts(
  file: PackageFile,
  dep: Dependency,
  dockerfile: DockerfileFacts | undefined,
  now: Date,
): ImageFacts {
  const updates = dep.updates ?? [];
  const digestUpdate = updates.find((u) => u.type === 'digest');
  const inLine = updates.find((u) => u.type === 'minor' || u.type === 'patch');
  const major = updates.find((u) => u.type === 'major');
  let finalStage: boolean | null = null;
  if (dockerfile && dockerfile.stages > 0)
    finalStage = dep.stage !== undefined && dockerfile.finalChain.includes(dep.stage);
  return {
    file: file.path,
    line: dep.line,
    manager: file.manager,
    source: dep.source,
    reference: dep.value,
    name: dep.depName,
    tag: dep.tag,
    digest: dep.digest,
    stage: dep.stage ?? null,
    skipReason: dep.skipReason ?? null,
    latestOrUntagged: !dep.skipReason && (dep.tag === 'latest' || (dep.tag === null && dep.digest === null)),
    digestPinned: dep.digest !== null,
    finalStage,
    eol: dep.skipReason ? [] : eolFindings(dep, now).map(eolFacts),
    staleDigest: dep.staleDigest
      ? { since: digestUpdate?.releaseTimestamp ?? null, newDigest: digestUpdate?.newDigest ?? null }
      : null,
    behind:
      inLine && inLine.newValue !== null
        ? {
            tag: inLine.newValue,
            type: inLine.type as 'minor' | 'patch',
            since: inLine.releaseTimestamp ?? null,
          }
        : null,
    newestMajor: major?.newValue ?? null,
    lookupError: dep.lookupError ?? null,
  };
}

function eolFacts(finding: ReturnType<typeof eolFindings>[number]): EolFacts {
  return {
    product: finding.product.name,
    release: finding.release.release,
    eol: finding.release.eol!,
    approximate: finding.release.approximate,
    successor: finding.successor?.release ?? null,
  };
}

function lintFacts(findings: readonly Finding[]): LintFacts {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  const errors = findings.filter((f) => f.severity === 'error');
  return {
    counts,
    errors: errors.slice(0, MAX_LINT_ERRORS).map((f) => ({
      rule: f.rule,
      slug: f.slug,
      file: f.path,
      line: f.line,
      message: f.message,
    })),
    errorTotal: errors.length,
  };
}
