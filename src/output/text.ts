// The human report: findings and file errors grouped by file, skipped files, then a summary line.
import { isPackageDependency } from '../core/package-dependency.js';
import type { Dependency, DependencyUpdate, Finding, Severity } from '../core/types.js';
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
  return [...renderTextChunks(result, options)].join('');
}

/** The same text in pieces (a line each), so that a large report is never one string. */
export function* renderTextChunks(result: ScanResult, options: TextOptions): Generator<string> {
  const paint = (code: number, text: string): string =>
    options.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  const files = new Map(result.files.map((file) => [file.path, file]));
  const findings = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    const group = findings.get(finding.path);
    if (group) group.push(finding);
    else findings.set(finding.path, [finding]);
  }
  // One file's rows at a time, made as they are written: file errors, then (with --resolve) what each
  // image could move to and the images the registry could not answer for, then the findings.
  const rowsOf = (path: string): Row[] => {
    const file = files.get(path);
    const rows: Row[] = (file?.errors ?? []).map((error) => ({
      line: String(error.line ?? '-'),
      label: FILE_ERROR,
      color: 35,
      text: error.message,
    }));
    for (const dep of file?.deps ?? []) {
      for (const update of dep.updates ?? []) {
        rows.push({
          line: String(dep.line),
          label: 'update',
          color: 32,
          text: describeUpdate(dep, update),
        });
      }
      if (dep.lookupError) {
        rows.push({
          line: String(dep.line),
          label: 'lookup',
          color: 35,
          text: `${dep.value}: ${dep.lookupError}`,
        });
      }
    }
    for (const finding of findings.get(path) ?? []) {
      rows.push({
        line: String(finding.line),
        label: finding.severity,
        color: SEVERITY_COLORS[finding.severity],
        text: `${finding.rule} ${paint(2, finding.slug)}  ${finding.message}`,
      });
    }
    return rows;
  };

  for (const path of [...new Set([...files.keys(), ...findings.keys()])].sort()) {
    const group = rowsOf(path);
    if (group.length === 0) continue;
    const lineWidth = Math.max(...group.map((row) => row.line.length));
    const labelWidth = Math.max(...group.map((row) => row.label.length));
    yield `${paint(1, path)}\n`;
    for (const row of group) {
      yield `  ${row.line.padStart(lineWidth)}  ${paint(row.color, row.label.padEnd(labelWidth))}  ${row.text}\n`;
    }
    yield '\n';
  }
  if (result.skipped.length > 0) {
    yield `${paint(1, 'Skipped')}\n`;
    for (const { path, reason } of result.skipped) yield `  ${path}  ${reason}\n`;
    yield '\n';
  }
  yield `${summary(result)}\n`;
}

function describeUpdate(dep: Dependency, update: DependencyUpdate): string {
  if (update.newVersion !== undefined) {
    const to = update.newValue === null ? `${dep.lockFile ?? 'lockfile'} only` : update.newValue;
    return `${update.type}: ${dep.depName} ${dep.currentValue} → ${to} (${update.newVersion})`;
  }
  const value = dep.value;
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
  const deps = result.files.flatMap((file) => file.deps);
  const packages = deps.filter(isPackageDependency).length;
  const images = deps.length - packages;
  return (
    `${plural(result.files.length, 'file')}, ${plural(images, 'image')}, ` +
    (packages ? `${plural(packages, 'package')}, ` : '') +
    `${plural(result.findings.length, 'finding')} ` +
    `(${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info)`
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
