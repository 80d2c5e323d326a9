// Rewrites one file under a root directory: the only way `fix` changes the disk. The tree may change
// while Dockhand runs (an editor saves the file; a directory is swapped for a symlink to lead the write
// outside the root), so nothing about the path is trusted from the scan. Node has no openat/renameat, so
// the checks are made right before each step instead: every directory from the root down must be a real
// directory (no symlink) whose real path is the one walked, and the file a regular file (never followed
// if it is a symlink) that still holds what the scan read. The new content goes to a temporary file
// beside the target, the checks are made once more, and a rename within that directory replaces the
// file atomically (a hard link to a file elsewhere is replaced, not written through).
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface Rewrite {
  /** Whether the file's bytes are still the ones the edit was planned against. */
  unchanged(bytes: Buffer): boolean;
  /**
   * The new content; may throw (an edit that no longer fits, a lockfile that could not be regenerated),
   * which leaves the file alone. May take time: the checks are made again after it.
   */
  edit(bytes: Buffer): Buffer | Promise<Buffer>;
  /** Test seam: runs once the temporary file is written, before the last checks and the rename. */
  beforeRename?: () => Promise<void> | void;
}

/** The bytes before and after, or why nothing was written (completes "<path>: …; not changed"). */
export type RewriteResult = { before: Buffer; after: Buffer } | { problem: string };

/** The file is left alone, for the reason the message gives. */
class Refused extends Error {}

// Windows has no O_NOFOLLOW; there the directory and lstat checks are what stand.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO swapped in for the file would block a plain open until someone writes to it.
const NON_BLOCK = constants.O_NONBLOCK ?? 0;

/** Replaces `root/path` (`path` posix, relative) with `rewrite.edit` of its bytes, if it is safe to. */
export async function rewriteFile(root: string, path: string, rewrite: Rewrite): Promise<RewriteResult> {
  try {
    return await rewriteInside(root, path, rewrite);
  } catch (error) {
    if (error instanceof Refused) return { problem: error.message };
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code ? `cannot write (${code})` : (error as Error).message };
  }
}

async function rewriteInside(root: string, path: string, rewrite: Rewrite): Promise<RewriteResult> {
  const parts = path.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..'))
    throw new Refused('not a path inside the scanned directory');
  const name = parts.pop()!;
  const base = await realpath(root);
  const parent = await checkDirectories(base, parts);
  const target = join(parent, name);

  const { bytes: before, stats } = await readRegularFile(target);
  if (!rewrite.unchanged(before)) throw new Refused('changed since the scan');
  const after = await rewrite.edit(before);
  const temp = await writeTemporary(parent, name, after, stats.mode & 0o7777);
  try {
    await rewrite.beforeRename?.();
    // The last look, right before the rename: the same directories, the file neither replaced nor
    // touched since it was read, the temporary file where it was written.
    await checkDirectories(base, parts);
    await checkUntouched(target, stats, before);
    const written = await lstat(temp.path).catch(() => undefined);
    if (!written || !sameFile(written, temp.stats)) throw new Refused('the directory moved while writing');
    await rename(temp.path, target);
  } catch (error) {
    await unlink(temp.path).catch(() => undefined);
    throw error;
  }
  return { before, after };
}

/** Checks that each of `dirs`, from `base` down, is a real directory; returns the innermost one. */
async function checkDirectories(base: string, dirs: readonly string[]): Promise<string> {
  let at = base;
  for (const [i, dir] of dirs.entries()) {
    at = join(at, dir);
    const name = dirs.slice(0, i + 1).join('/');
    const stats = await lstat(at).catch(() => undefined);
    if (stats?.isSymbolicLink()) throw new Refused(`${name} is now a symbolic link`);
    if (!stats?.isDirectory()) throw new Refused(`${name} is no longer a directory`);
  }
  // The same question asked of the kernel's own path resolution.
  if ((await realpath(at)) !== at) throw new Refused(`${dirs.join('/') || '.'} now leads elsewhere`);
  return at;
}

async function readRegularFile(path: string): Promise<{ bytes: Buffer; stats: Stats }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | NO_FOLLOW | NON_BLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new Refused('is now a symbolic link');
    if (code === 'ENOENT') throw new Refused('no longer exists');
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Refused('is no longer a regular file');
    return { bytes: await handle.readFile(), stats };
  } finally {
    await handle.close();
  }
}

/** The file at `path` is still the regular file read as `read`, holding the same bytes. */
async function checkUntouched(path: string, read: Stats, bytes: Buffer): Promise<void> {
  const now = await readRegularFile(path);
  if (!sameFile(now.stats, read) || !now.bytes.equals(bytes)) throw new Refused('changed since the scan');
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** Writes `bytes` to a new file beside `name` in `dir`, with `mode` (the umask does not apply). */
async function writeTemporary(
  dir: string,
  name: string,
  bytes: Buffer,
  mode: number,
): Promise<{ path: string; stats: Stats }> {
  const path = join(dir, `.${name}.${randomBytes(6).toString('hex')}.dockhand-tmp`);
  const handle = await open(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW,
    mode,
  );
  try {
    await handle.chmod(mode);
    await handle.writeFile(bytes);
    await handle.sync();
    return { path, stats: await handle.stat() };
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}
