// The `Dockhand` check run on a pull request: lint findings as annotations, a conclusion from the
// configured failure threshold, and a summary with counts. Pure: the platform sends it.
import type { FailureThreshold } from '../config/schema.js';
import type { Finding, Severity } from '../core/types.js';
import { compare } from './branches.js';
import type { Annotation, CheckRunInput } from './types.js';

export const CHECK_NAME = 'Dockhand';
/** GitHub's limit on a check run summary. */
const MAX_SUMMARY_CHARS = 65_535;

export interface CheckRunSource {
  findings: readonly Finding[];
  /** Files a manager could not read (unparseable YAML…): shown as warnings, they do not fail the check. */
  fileErrors: readonly { path: string; message: string; line?: number }[];
  /** Why the configuration is invalid: fails the check with an annotation on the config file. */
  configError?: string;
  /** Where that configuration lives (default `.github/dockhand.yml`). */
  configPath?: string;
  threshold: FailureThreshold;
  headSha: string;
  /** Only findings in these paths count and are annotated (the files the pull request changes). */
  changedPaths?: ReadonlySet<string>;
}

const LEVEL: Record<Severity, Annotation['level']> = { error: 'failure', warning: 'warning', info: 'notice' };
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
const THRESHOLD_RANK: Record<FailureThreshold, number> = { error: 3, warning: 2, info: 1, none: Infinity };

export function buildCheckRun(input: CheckRunSource): CheckRunInput {
  const inScope = (path: string) => !input.changedPaths || input.changedPaths.has(path);
  const findings = input.findings.filter((f) => inScope(f.path)).sort(byPosition);
  const fileErrors = input.fileErrors.filter((e) => inScope(e.path));
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;

  const annotations: Annotation[] = [];
  if (input.configError !== undefined) {
    annotations.push({
      path: input.configPath ?? '.github/dockhand.yml',
      startLine: 1,
      endLine: 1,
      level: 'failure',
      title: 'Invalid Dockhand configuration',
      message: input.configError,
    });
  }
  for (const f of findings) {
    annotations.push({
      path: f.path,
      startLine: f.line,
      endLine: Math.max(f.line, f.endLine ?? f.line),
      level: LEVEL[f.severity],
      title: `${f.rule} ${f.slug}`,
      message: f.message,
    });
  }
  for (const e of fileErrors) {
    const line = e.line ?? 1;
    annotations.push({
      path: e.path,
      startLine: line,
      endLine: line,
      level: 'warning',
      title: 'File not read',
      message: e.message,
    });
  }

  const failing = findings.some((f) => RANK[f.severity] >= THRESHOLD_RANK[input.threshold]);
  const counted = countsTitle(counts);
  const title =
    input.configError === undefined
      ? counted
      : `Invalid configuration${findings.length > 0 ? `; ${counted}` : ''}`;
  return {
    name: CHECK_NAME,
    headSha: input.headSha,
    conclusion: failing || input.configError !== undefined ? 'failure' : 'success',
    title,
    summary: summary(input, findings, counts, fileErrors.length),
    annotations,
  };
}

/** `2 errors, 3 warnings`; `No findings` when clean. */
function countsTitle(counts: Record<Severity, number>): string {
  const parts = [
    counts.error > 0 ? plural(counts.error, 'error') : '',
    counts.warning > 0 ? plural(counts.warning, 'warning') : '',
    counts.info > 0 ? `${counts.info} info` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(', ') : 'No findings';
}

function summary(
  input: CheckRunSource,
  findings: readonly Finding[],
  counts: Record<Severity, number>,
  fileErrors: number,
): string {
  const lines: string[] = [];
  if (input.configError !== undefined) {
    lines.push('**The Dockhand configuration is invalid**; the files were checked with the defaults:', '');
    lines.push('```', input.configError.replace(/```/g, "'''"), '```', '');
  }
  const scope = input.changedPaths ? 'in the files this pull request changes' : 'in the repository';
  lines.push(`Dockhand found ${countsTitle(counts).toLowerCase()} ${scope}.`, '');
  lines.push('| Severity | Findings |', '| --- | ---: |');
  lines.push(`| error | ${counts.error} |`, `| warning | ${counts.warning} |`, `| info | ${counts.info} |`);
  if (fileErrors > 0)
    lines.push('', `${plural(fileErrors, 'file problem')} (shown as warnings) kept parts of files unread.`);
  const threshold =
    input.threshold === 'none'
      ? 'Findings never fail this check (`failureThreshold: none`).'
      : `Findings of severity \`${input.threshold}\` or above fail this check (\`failureThreshold\`).`;
  lines.push('', threshold);

  const byRule = new Map<string, { rule: string; slug: string; severity: Severity; count: number }>();
  for (const f of findings) {
    const entry = byRule.get(f.rule) ?? { rule: f.rule, slug: f.slug, severity: f.severity, count: 0 };
    entry.count++;
    byRule.set(f.rule, entry);
  }
  if (byRule.size > 0) {
    lines.push('', '| Rule | Severity | Findings |', '| --- | --- | ---: |');
    const rows = [...byRule.values()].sort((a, b) => b.count - a.count || compare(a.rule, b.rule));
    lines.push(...rows.map((r) => `| ${r.rule} ${r.slug} | ${r.severity} | ${r.count} |`));
  }
  const text = lines.join('\n');
  return text.length <= MAX_SUMMARY_CHARS ? text : `${text.slice(0, MAX_SUMMARY_CHARS - 2)}\n…`;
}

function byPosition(a: Finding, b: Finding): number {
  return compare(a.path, b.path) || a.line - b.line || compare(a.rule, b.rule);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
