// The report as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, a
// quote or a line break, quotes doubled). One header, two kinds of rows told apart by `kind`:
// - `image`: one per repository × image reference (its facts; `policy` names the image policies it
//   fails, space-separated, and `status` is then `fail`);
// - `policy`: one per repository × policy (status, summary, since).
// Spreadsheets run a cell starting with = + - @ (or a tab or CR) as a formula: such text cells get a
// leading `'`, so a file or image name from a repository can never become one.
import type { ImageFacts } from '../facts.js';
import type { Report } from '../evaluate.js';

export const CSV_COLUMNS = [
  'kind',
  'repository',
  'policy',
  'status',
  'message',
  'since',
  'file',
  'line',
  'manager',
  'image',
  'name',
  'tag',
  'digest',
  'digest_pinned',
  'latest_or_untagged',
  'final_stage',
  'eol',
  'stale_digest_since',
  'behind',
  'behind_since',
  'lookup_error',
] as const;

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>>;

export function* renderReportCsv(report: Report): Generator<string> {
  yield line(Object.fromEntries(CSV_COLUMNS.map((c) => [c, c])) as Row);
  for (const repo of report.repositories) {
    for (const image of repo.facts.images) {
      const failing = repo.policies
        .filter((p) => p.evidence.some((e) => e.status === 'fail' && isAbout(e, image)))
        .map((p) => p.policy);
      yield line({
        kind: 'image',
        repository: repo.repository,
        policy: failing.join(' '),
        status: failing.length ? 'fail' : null,
        ...imageColumns(image),
      });
    }
    for (const result of repo.policies) {
      yield line({
        kind: 'policy',
        repository: repo.repository,
        policy: result.policy,
        status: result.status,
        message: result.summary,
        since: result.since,
      });
    }
  }
}

function isAbout(
  evidence: { file: string | null; line: number | null; image: string | null },
  image: ImageFacts,
) {
  return evidence.file === image.file && evidence.line === image.line && evidence.image === image.reference;
}

function imageColumns(image: ImageFacts): Row {
  return {
    file: image.file,
    line: image.line,
    manager: image.manager,
    image: image.reference,
    name: image.name,
    tag: image.tag,
    digest: image.digest,
    digest_pinned: image.digestPinned,
    latest_or_untagged: image.latestOrUntagged,
    final_stage: image.finalStage,
    eol: image.eol.map((e) => `${e.product} ${e.release} (${e.eol})`).join('; '),
    stale_digest_since: image.staleDigest ? (image.staleDigest.since ?? 'unknown') : null,
    behind: image.behind?.tag ?? null,
    behind_since: image.behind?.since ?? null,
    lookup_error: image.lookupError,
  };
}

function line(row: Row): string {
  return `${CSV_COLUMNS.map((column) => csvField(row[column])).join(',')}\r\n`;
}

/** One RFC 4180 field, formula-safe. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
