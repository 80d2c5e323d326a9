// The shape every policy shares: an id, defaults for its thresholds (validated by its zod schema, which
// the config's `reports.policies.<id>` uses), and a pure evaluation of one repository's facts.
import type { z } from 'zod';
import type { ImageFacts, RepoFacts } from '../facts.js';

export type PolicyStatus = 'pass' | 'fail' | 'no-data';

/** One thing a policy looked at: an image, a Dockerfile, a finding, a PR. */
export interface Evidence {
  status: PolicyStatus;
  file: string | null;
  line: number | null;
  /** The image reference as written, when the evidence is about an image. */
  image: string | null;
  message: string;
  /** When the condition began (EOL day, the day the tag moved, the PR's opening), when known. */
  since: string | null;
}

export interface PolicyResult {
  policy: string;
  title: string;
  status: PolicyStatus;
  /** One line for people: why the status. */
  summary: string;
  /** Per image (image policies, passes included) or per offending item; sorted by file and line. */
  evidence: Evidence[];
  /** Earliest `since` of the failing evidence: when the repository started failing, as far as the facts say. */
  since: string | null;
  /** Numbers a policy reports as figures (outdated-dependencies). */
  figures?: Record<string, number>;
}

export interface PolicyContext {
  /** `reports.approvedBases`. */
  approvedBases: readonly string[];
}

export interface Policy<Schema extends z.ZodObject = z.ZodObject> {
  id: string;
  title: string;
  /** What passing means, for docs and the HTML report. */
  description: string;
  /** The thresholds a config may set (every field optional there; `defaults` fill the rest). */
  options: Schema;
  defaults: z.infer<Schema>;
  evaluate(facts: RepoFacts, options: z.infer<Schema>, context: PolicyContext): PolicyResult;
}

/** A policy's id and title with the verdict drawn from its evidence: any fail fails, then any no-data. */
export function resultFrom(
  policy: Pick<Policy, 'id' | 'title'>,
  evidence: Evidence[],
  summaries: { pass: string; none: string },
): PolicyResult {
  const fails = evidence.filter((e) => e.status === 'fail');
  const unknown = evidence.filter((e) => e.status === 'no-data');
  let status: PolicyStatus;
  let summary: string;
  if (evidence.length === 0) {
    status = 'no-data';
    summary = summaries.none;
  } else if (fails.length > 0) {
    status = 'fail';
    summary = `${count(fails.length, 'failure')}${unknown.length ? `, ${unknown.length} without data` : ''} of ${evidence.length}`;
  } else if (unknown.length > 0) {
    status = 'no-data';
    summary = `${unknown.length} of ${evidence.length} without data`;
  } else {
    status = 'pass';
    summary = summaries.pass;
  }
  const since = fails
    .map((e) => e.since)
    .filter((s): s is string => s !== null)
    .sort()[0];
  return {
    policy: policy.id,
    title: policy.title,
    status,
    summary,
    evidence: sortEvidence(evidence),
    since: since ?? null,
  };
}

export function noData(policy: Pick<Policy, 'id' | 'title'>, summary: string): PolicyResult {
  return { policy: policy.id, title: policy.title, status: 'no-data', summary, evidence: [], since: null };
}

export function imageEvidence(
  image: ImageFacts,
  status: PolicyStatus,
  message: string,
  since: string | null = null,
): Evidence {
  return { status, file: image.file, line: image.line, image: image.reference, message, since };
}

/** Images a policy judges: every reference but the `# syntax=` directive and those not resolved. */
export function judgedImages(facts: RepoFacts): ImageFacts[] {
  return facts.images.filter((image) => image.skipReason === null && image.source !== 'syntax');
}

/** Base images of Dockerfile stages (`FROM`), not resolved ones left out. */
export function baseImages(facts: RepoFacts): ImageFacts[] {
  return facts.images.filter((image) => image.skipReason === null && image.source === 'from');
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `since` to `now` (ISO 8601 strings). */
export function daysBetween(since: string, now: string): number {
  return Math.floor((Date.parse(now) - Date.parse(since)) / DAY_MS);
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function sortEvidence(evidence: Evidence[]): Evidence[] {
  return [...evidence].sort((a, b) => compare(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
