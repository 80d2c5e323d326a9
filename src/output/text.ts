// The human report: findings and file errors grouped by file, skipped files, then a summary line.
import type { DependencyUpdate, Severity } from '../core/types.js';
import type { ScanResult } from '../scan/scan.js';

export interface TextOptions {
  /** ANSI colours; the CLI decides (TTY, NO_COLOR, FORCE_COLOR). */
  color: boolean;
}

const SEVERITY_COLORS: Record<Severity, number> = { error: 31, warning: 33, info: 36 };
const FILE_ERROR = 'file error';

interface Row {
  line: string;
  label: string;
  color: number;
  text: string;
}

export function renderText(result: ScanResult, options: TextOptions): string {
  const paint = (code: number, text: string): string =>
    options.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  const rows = new Map<string, Row[]>();
  const rowsOf = (path: string): Row[] => {
    let group = rows.get(path);
    if (!group) rows.set(path, (group = []));
    return group;
  };
  for (const file of result.files) {
    for (const error of file.errors ?? []) {
      rowsOf(file.path).push({
        line: String(error.line ?? '-'),
        label: FILE_ERROR,
        color: 35,
        text: error.message,
      });
    }
  }
  // With --resolve: what each image could move to, and images the registry could not answer for.
  for (const file of result.files) {
    for (const dep of file.deps) {
      for (const update of dep.updates ?? []) {
        rowsOf(file.path).push({
          line: String(dep.line),
          label: 'update',
          color: 32,
          text: describeUpdate(dep.value, update),
        });
      }
      if (dep.lookupError) {
        rowsOf(file.path).push({
          line: String(dep.line),
          label: 'lookup',
          color: 35,
          text: `${dep.value}: ${dep.lookupError}`,
        });
      }
    }
  }
  for (const finding of result.findings) {
    rowsOf(finding.path).push({
      line: String(finding.line),
      label: finding.severity,
      color: SEVERITY_COLORS[finding.severity],
      text: `${finding.rule} ${paint(2, finding.slug)}  ${finding.message}`,
    });
  }

  const out: string[] = [];
  for (const path of [...rows.keys()].sort()) {
    const group = rows.get(path)!;
    const lineWidth = Math.max(...group.map((row) => row.line.length));
    const labelWidth = Math.max(...group.map((row) => row.label.length));
    out.push(paint(1, path));
    for (const row of group) {
      out.push(
        `  ${row.line.padStart(lineWidth)}  ${paint(row.color, row.label.padEnd(labelWidth))}  ${row.text}`,
      );
    }
    out.push('');
  }
  if (result.skipped.length > 0) {
    out.push(paint(1, 'Skipped'));
    for (const { path, reason } of result.skipped) out.push(`  ${path}  ${reason}`);
    out.push('');
  }
  out.push(summary(result));
  return `${out.join('\n')}\n`;
}

function describeUpdate(value: string, update: DependencyUpdate): string {
  const to = [
    update.newValue && `tag ${update.newValue}`,
    update.newDigest && `digest ${update.newDigest.slice(0, 19)}…`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${update.type}: ${value} → ${to}`;
}

function summary(result: ScanResult): string {
  const count = (severity: Severity): number => result.findings.filter((f) => f.severity === severity).length;
  const images = result.files.reduce((total, file) => total + file.deps.length, 0);
  return (
    `${plural(result.files.length, 'file')}, ${plural(images, 'image')}, ${plural(result.findings.length, 'finding')} ` +
    `(${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info)`
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
