// `fix` as its two steps: the scan (recording what each file held), then the write. Between them the
// tests change the tree the way an attacker or an editor could; the write must not follow them.
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { PackageFile } from '../../src/core/types.js';
import { ReadFingerprints } from '../../src/fix/fingerprints.js';
import { writeFixes } from '../../src/fix/write-fixes.js';
import { scanDirectory } from '../../src/scan/scan.js';

const BEFORE = 'FROM alpine:3.20\nRUN echo hi\n';
const AFTER = 'FROM alpine:3.21\nRUN echo hi\n';

let root: string;
let dir: string;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dockhand-fix-write-'));
  dir = join(root, 'project');
  outside = join(root, 'outside');
  await mkdir(join(dir, 'sub'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(dir, 'Dockerfile'), BEFORE);
  await writeFile(join(dir, 'sub/Dockerfile'), BEFORE);
  // The same text outside DIR: edits planned for the scanned files would fit it byte for byte.
  await writeFile(join(outside, 'Dockerfile'), BEFORE);
});

afterEach(() => rm(root, { recursive: true, force: true }));

/** Stands in for the registries: alpine 3.20 can move to 3.21. */
async function offerUpdates(files: PackageFile[]): Promise<void> {
  for (const dep of files.flatMap((f) => f.deps)) {
    if (dep.tag === '3.20') dep.updates = [{ type: 'minor', newValue: '3.21', newDigest: null }];
  }
}

/** Step one of `fix`: the resolved scan and what it read. */
async function scan() {
  const { config } = await loadConfig(dir);
  const read = new ReadFingerprints();
  const result = await scanDirectory(dir, config, { resolve: offerUpdates, onRead: read.record });
  return { result, read };
}

/** Step two of `fix`: the write, with what it printed. */
async function write({ result, read }: Awaited<ReturnType<typeof scan>>) {
  let stdout = '';
  let stderr = '';
  const problems = await writeFixes(dir, result, read, ['minor'], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { problems, stdout, stderr };
}

const text = (path: string) => readFile(path, 'utf8');

describe('fix writes', () => {
  it('the updates into the scanned files, keeping their mode, and prints the diff', async () => {
    await chmod(join(dir, 'sub/Dockerfile'), 0o751);
    const { problems, stdout, stderr } = await write(await scan());
    expect(problems).toBe(0);
    expect(await text(join(dir, 'Dockerfile'))).toBe(AFTER);
    expect(await text(join(dir, 'sub/Dockerfile'))).toBe(AFTER);
    expect((await stat(join(dir, 'sub/Dockerfile'))).mode & 0o777).toBe(0o751);
    expect(stdout).toContain('--- a/sub/Dockerfile\n+++ b/sub/Dockerfile\n');
    expect(stdout).toContain('-FROM alpine:3.20\n+FROM alpine:3.21\n');
    expect(stderr).toBe('dockhand: 2 updates written\n');
    // Nothing left behind: the temporary files were renamed over the targets.
    expect(await readdir(join(dir, 'sub'))).toEqual(['Dockerfile']);
  });
});

describe('fix leaves alone', () => {
  it('a directory swapped for a symlink to a directory outside DIR after the scan', async () => {
    const scanned = await scan();
    await rename(join(dir, 'sub'), join(dir, 'sub.bak'));
    await symlink('../outside', join(dir, 'sub'));

    const { problems, stderr } = await write(scanned);
    expect(await text(join(outside, 'Dockerfile'))).toBe(BEFORE);
    expect(await readdir(outside)).toEqual(['Dockerfile']);
    expect(await text(join(dir, 'sub.bak/Dockerfile'))).toBe(BEFORE);
    expect(stderr).toContain('dockhand: sub/Dockerfile: sub is now a symbolic link; not changed\n');
    expect(problems).toBe(1);
    // The file nobody touched is still written.
    expect(await text(join(dir, 'Dockerfile'))).toBe(AFTER);
  });

  it('a file swapped for a symlink to a file outside DIR after the scan', async () => {
    const scanned = await scan();
    await rename(join(dir, 'Dockerfile'), join(dir, 'Dockerfile.bak'));
    await symlink('../outside/Dockerfile', join(dir, 'Dockerfile'));

    const { problems, stderr } = await write(scanned);
    expect(await text(join(outside, 'Dockerfile'))).toBe(BEFORE);
    expect(stderr).toContain('dockhand: Dockerfile: is now a symbolic link; not changed\n');
    expect(problems).toBe(1);
  });

  it('a file edited after the scan, as the user left it', async () => {
    const scanned = await scan();
    const edited = `${BEFORE}# edited while fix ran\n`;
    await writeFile(join(dir, 'Dockerfile'), edited);

    const { problems, stdout, stderr } = await write(scanned);
    expect(await text(join(dir, 'Dockerfile'))).toBe(edited);
    expect(stderr).toContain('dockhand: Dockerfile: changed since the scan; not changed\n');
    expect(stdout).not.toContain('a/Dockerfile');
    expect(problems).toBe(1);
  });
});
