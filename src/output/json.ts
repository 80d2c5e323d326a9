// The JSON report: a stable, documented shape (README "JSON output"). Objects are built key by key so
// the order of keys never depends on how a manager or rule happened to build its values.
import type { Dependency, Finding, PackageFile } from '../core/types.js';
import type { ScanResult } from '../scan/scan.js';
import { jsonChunks, lazyList, type ListOf } from './json-chunks.js';

export const JSON_REPORT_VERSION = 1;

export function renderJson(result: ScanResult): string {
  return [...renderJsonChunks(result)].join('');
}

/** The same text in pieces, each file, finding and skipped entry mapped only as it is written. */
export function* renderJsonChunks(result: ScanResult): Generator<string> {
  yield* jsonChunks(jsonReport(result, lazyList));
  yield '\n';
}

function jsonReport(result: ScanResult, list: ListOf): object {
  return {
    version: JSON_REPORT_VERSION,
    files: list(result.files, fileJson),
    findings: list(result.findings, findingJson),
    skipped: list(result.skipped, ({ path, reason }) => ({ path, reason })),
  };
}

function fileJson(file: PackageFile): object {
  return {
    path: file.path,
    manager: file.manager,
    deps: file.deps.map(depJson),
    ...(file.builds?.length && {
      builds: file.builds.map((b) => ({
        service: b.service,
        context: b.context,
        dockerfile: b.dockerfile,
        remote: b.remote,
        line: b.line,
      })),
    }),
    ...(file.errors?.length && {
      errors: file.errors.map((error) => ({
        ...(error.line !== undefined && { line: error.line }),
        message: error.message,
      })),
    }),
  };
}

function depJson(dep: Dependency): object {
  return {
    depName: dep.depName,
    registry: dep.registry,
    repository: dep.repository,
    tag: dep.tag,
    digest: dep.digest,
    value: dep.value,
    line: dep.line,
    source: dep.source,
    ...(dep.skipReason !== undefined && { skipReason: dep.skipReason }),
    ...(dep.tagRange && { tagRange: { start: dep.tagRange.start, end: dep.tagRange.end } }),
    ...(dep.digestRange && { digestRange: { start: dep.digestRange.start, end: dep.digestRange.end } }),
    ...(dep.arg !== undefined && { arg: dep.arg }),
    ...(dep.stage !== undefined && { stage: dep.stage }),
    ...(dep.platform !== undefined && { platform: dep.platform }),
    ...packageFields(dep),
    ...(dep.updates && {
      updates: dep.updates.map((u) => ({
        type: u.type,
        newValue: u.newValue,
        newDigest: u.newDigest,
        ...(u.releaseTimestamp !== undefined && { releaseTimestamp: u.releaseTimestamp }),
        ...(u.newVersion !== undefined && { newVersion: u.newVersion }),
        ...(u.isLockfileUpdate && { isLockfileUpdate: true }),
        ...(u.newHashes !== undefined && { newHashes: u.newHashes }),
      })),
    }),
    ...(dep.staleDigest && { staleDigest: true }),
    ...(dep.lookupError !== undefined && { lookupError: dep.lookupError }),
  };
}

/** npm and Python dependencies' own fields (absent on image references, whose shape is unchanged). */
function packageFields(dep: Dependency): object {
  return {
    ...(dep.datasource !== undefined && { datasource: dep.datasource }),
    ...(dep.versioning !== undefined && { versioning: dep.versioning }),
    ...(dep.packageName !== undefined && { packageName: dep.packageName }),
    ...(dep.currentValue !== undefined && { currentValue: dep.currentValue }),
    ...(dep.valueRange && { valueRange: { start: dep.valueRange.start, end: dep.valueRange.end } }),
    ...(dep.lockedVersion !== undefined && { lockedVersion: dep.lockedVersion }),
    ...(dep.lockFile !== undefined && { lockFile: dep.lockFile }),
    ...(dep.depType !== undefined && { depType: dep.depType }),
    ...(dep.registryUrls?.length && { registryUrls: dep.registryUrls }),
    ...(dep.heldBack && { heldBack: dep.heldBack }),
  };
}

function findingJson(finding: Finding): object {
  return {
    rule: finding.rule,
    slug: finding.slug,
    severity: finding.severity,
    path: finding.path,
    line: finding.line,
    ...(finding.endLine !== undefined && { endLine: finding.endLine }),
    message: finding.message,
  };
}
