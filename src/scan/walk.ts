// Finds the files a manager claims under a root directory, without following symlinks and without
// reading anything that is too large or not text.
// Synchronous on purpose: a local scan reads hundreds of small files, and each asynchronous call costs a
// thread-pool round trip that is 5–10× the read itself (measured on the corpus: 50 ms async vs 9 ms
// sync for 573 files). The CLI has nothing else to do meanwhile; the app reads through the GitHub API.
import fs from 'node:fs';
import { join } from 'node:path';
import type { SkippedFile } from '../core/types.js';

export const MAX_FILE_BYTES = 1024 * 1024;
/** Lockfiles of large projects pass 1 MiB; they are read one at a time, when their manifest is. */
export const MAX_LOCKFILE_BYTES = 16 * 1024 * 1024;
/** Like git and grep: a NUL byte near the start means binary. */
const BINARY_SNIFF_BYTES = 8 * 1024;
const PRUNED_DIRS = new Set(['.git', 'node_modules']);

export interface WalkOptions {
  /** Whether a manager claims the file; only claimed files are stat'ed and read. */
  claims(path: string): boolean;
  /** Paths excluded by configuration: neither scanned nor reported. */
  ignored(path: string): boolean;
  /** The largest file read at `path` (default MAX_FILE_BYTES). */
  maxBytes?(path: string): number;
}

/** A claimed regular file small enough to read; `path` is posix and relative to the root. */
export interface CandidateFile {
  path: string;
  size: number;
}

export type WalkEntry = CandidateFile | SkippedFile;

export function isSkipped(entry: WalkEntry | ReadFile): entry is SkippedFile {
  return 'reason' in entry;
}

/**
 * Lists claimed files and skipped entries under `root`, depth-first in sorted order (by code unit, so
 * locale-independent).
 */
export function walk(root: string, options: WalkOptions): WalkEntry[] {
  const found: WalkEntry[] = [];
  walkInto(root, '', options, found);
  return found;
}

function walkInto(root: string, prefix: string, options: WalkOptions, found: WalkEntry[]): void {
  const entries = fs.readdirSync(prefix ? join(root, prefix) : root, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (options.ignored(path)) continue;
    if (entry.isSymbolicLink()) {
      found.push({ path, reason: 'symlink' });
    } else if (entry.isDirectory()) {
      if (PRUNED_DIRS.has(entry.name)) continue;
      try {
        walkInto(root, path, options, found);
      } catch {
        found.push({ path, reason: 'unreadable' });
      }
    } else if (options.claims(path)) {
      found.push(candidate(root, path, entry.isFile(), options.maxBytes?.(path) ?? MAX_FILE_BYTES));
    }
  }
}

function candidate(root: string, path: string, isFile: boolean, maxBytes: number): WalkEntry {
  if (!isFile) return { path, reason: 'unreadable' }; // a FIFO or device named like a Dockerfile
  try {
    const { size } = fs.lstatSync(join(root, path));
    return size > maxBytes ? { path, reason: 'too-large' } : { path, size };
  } catch {
    return { path, reason: 'unreadable' };
  }
}

export interface ReadFile {
  path: string;
  bytes: Buffer;
}

/** Reads a candidate, sniffing the first 8 KiB for binary content before reading the rest. */
export function readCandidate(root: string, file: CandidateFile): ReadFile | SkippedFile {
  const { path, size } = file;
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: the file may have been swapped for a symlink since the walk saw it.
    fd = fs.openSync(join(root, path), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const bytes = Buffer.allocUnsafe(size);
    let filled = fs.readSync(fd, bytes, 0, Math.min(size, BINARY_SNIFF_BYTES), 0);
    if (bytes.subarray(0, filled).includes(0)) return { path, reason: 'binary' };
    while (filled < size) {
      const bytesRead = fs.readSync(fd, bytes, filled, size - filled, filled);
      if (bytesRead === 0) break; // truncated since lstat: keep what is there
      filled += bytesRead;
    }
    return { path, bytes: bytes.subarray(0, filled) };
  } catch {
    return { path, reason: 'unreadable' };
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing useful to do: the descriptor is gone either way.
  }
}
