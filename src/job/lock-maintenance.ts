// Lock file maintenance: every lockfile regenerated afresh within its manifest's declared ranges, on
// one branch, with a table of every package that moved. Only the regeneration runs a tool (through
// src/lockfiles, sandboxed); the table and the body are pure.
import { createHash } from 'node:crypto';
import { isPackageDependency } from '../core/package-dependency.js';
import type { PackageFile } from '../core/types.js';
import { relockFile } from '../lockfiles/index.js';
import { lockedPackagesFor, movedPackages, type MovedPackage } from '../lockfiles/locked-packages.js';
import { BRANCH_PREFIX } from './branches.js';
import { OUT_OF_TIME, pastDeadline, type BranchLockfiles } from './relock.js';

export const LOCK_MAINTENANCE_BRANCH = `${BRANCH_PREFIX}lock-file-maintenance`;
export const LOCK_MAINTENANCE_TITLE = 'Lock file maintenance';

export interface LockRefresh {
  /** Lockfiles whose text changed: path → new bytes. */
  files: Map<string, Buffer>;
  /** Per lockfile, the packages that moved. */
  moved: { lockPath: string; packages: MovedPackage[] }[];
  /** Lockfiles not refreshed, and why. */
  notes: string[];
  /** Names this refresh: the same lockfile texts give the same fingerprint. */
  fingerprint: string;
}

/** Regenerates each lockfile a scanned manifest names, from the manifest as it is on the base branch. */
export async function refreshLockfiles(
  files: readonly PackageFile[],
  base: ReadonlyMap<string, Uint8Array>,
  lockfiles: BranchLockfiles,
): Promise<LockRefresh> {
  const refresh: LockRefresh = { files: new Map(), moved: [], notes: [], fingerprint: '' };
  const relock = lockfiles.relock ?? relockFile;
  for (const [lockPath, file] of lockfilesOf(files)) {
    const manifest = base.get(file.path);
    const lockfile = base.get(lockPath);
    if (!manifest || !lockfile) continue;
    if (pastDeadline(lockfiles)) {
      refresh.notes.push(`\`${lockPath}\` was not refreshed: ${OUT_OF_TIME}`);
      continue;
    }
    const before = Buffer.from(lockfile).toString('utf8');
    const result = await relock({
      manifestPath: file.path,
      lockPath,
      manifest: Buffer.from(manifest).toString('utf8'),
      lockfile: before,
      deps: file.deps,
      readFile: (path) =>
        Promise.resolve(base.has(path) ? Buffer.from(base.get(path)!).toString() : undefined),
      registries: lockfiles.registries,
      refresh: true,
    });
    if (!result.ok) {
      refresh.notes.push(`\`${lockPath}\` was not refreshed: ${result.reason}`);
      continue;
    }
    if (result.lockfile === before) continue;
    refresh.files.set(lockPath, Buffer.from(result.lockfile));
    const packages = movedPackages(
      lockedPackagesFor(lockPath, before) ?? new Map(),
      lockedPackagesFor(lockPath, result.lockfile) ?? new Map(),
    );
    refresh.moved.push({ lockPath, packages });
  }
  const digest = createHash('sha256');
  for (const [path, bytes] of [...refresh.files].sort(([a], [b]) => (a < b ? -1 : 1)))
    digest.update(`${path}\0`).update(bytes).update('\0');
  refresh.fingerprint = `lock-file-maintenance:${digest.digest('hex').slice(0, 16)}`;
  return refresh;
}

/** Lockfile → the manifest that names it (the first, in scan order). */
function lockfilesOf(files: readonly PackageFile[]): Map<string, PackageFile> {
  const found = new Map<string, PackageFile>();
  for (const file of files)
    for (const dep of file.deps)
      if (isPackageDependency(dep) && dep.lockFile && !found.has(dep.lockFile)) found.set(dep.lockFile, file);
  return found;
}

/** The PR body's text above the marker: what moved, lockfile by lockfile. */
export function renderLockMaintenanceBody(refresh: LockRefresh, maxChars: number): string {
  const lines = [
    'Dockhand regenerated the lockfiles within the version ranges your manifests declare: no manifest ' +
      'changes, only the versions in use move to the newest each range admits. Merging it rebuilds your ' +
      'images with current dependencies.',
    '',
  ];
  for (const { lockPath, packages } of refresh.moved) {
    lines.push(
      `#### \`${lockPath}\``,
      '',
      '| Package | From | To | Dependency path |',
      '| --- | --- | --- | --- |',
    );
    for (const p of packages)
      lines.push(`| ${cell(p.name)} | ${p.from ?? '(new)'} | ${p.to ?? '(removed)'} | ${cell(p.path)} |`);
    if (packages.length === 0) lines.push('| (format only) | | | |');
    lines.push('');
  }
  if (refresh.notes.length) lines.push('### Notes', '', ...refresh.notes.map((n) => `- ${n}`), '');
  const text = lines.join('\n');
  return text.length <= maxChars
    ? text
    : `${text.slice(0, maxChars - 60)}\n\n(The table goes on; it was cut to fit.)\n`;
}

function cell(text: string): string {
  return text.replace(/[|`\\\r\n]/g, (c) => (c === '\r' || c === '\n' ? ' ' : `\\${c}`));
}
