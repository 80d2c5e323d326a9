// The last checks of rewriteFile, made after the new content is written beside the target and before
// the rename: a swap or an edit in that window must still leave the file (and anything outside) alone.
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rewriteFile, type Rewrite } from '../../src/fix/rewrite-file.js';

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dockhand-rewrite-'));
  dir = join(root, 'project');
  await mkdir(join(dir, 'sub'), { recursive: true });
  await mkdir(join(root, 'outside'));
  await writeFile(join(dir, 'sub/Dockerfile'), 'old\n');
  await writeFile(join(root, 'outside/Dockerfile'), 'old\n');
});

afterEach(() => rm(root, { recursive: true, force: true }));

const upper = (beforeRename: () => Promise<void>): Rewrite => ({
  unchanged: (bytes) => bytes.toString() === 'old\n',
  edit: (bytes) => Buffer.from(bytes.toString().toUpperCase()),
  beforeRename,
});

it('writes the new content when nothing moved', async () => {
  const result = await rewriteFile(
    dir,
    'sub/Dockerfile',
    upper(async () => {}),
  );
  expect(result).toEqual({ before: Buffer.from('old\n'), after: Buffer.from('OLD\n') });
  expect(await readFile(join(dir, 'sub/Dockerfile'), 'utf8')).toBe('OLD\n');
});

it('refuses when the directory is swapped for a symlink after the new content is written', async () => {
  const result = await rewriteFile(
    dir,
    'sub/Dockerfile',
    upper(async () => {
      await rename(join(dir, 'sub'), join(dir, 'sub.bak'));
      await symlink('../outside', join(dir, 'sub'));
    }),
  );
  expect(result).toEqual({ problem: 'sub is now a symbolic link' });
  expect(await readFile(join(root, 'outside/Dockerfile'), 'utf8')).toBe('old\n');
  expect(await readdir(join(root, 'outside'))).toEqual(['Dockerfile']);
});

it('refuses when the file is edited after the new content is written, and cleans up', async () => {
  const result = await rewriteFile(
    dir,
    'sub/Dockerfile',
    upper(() => writeFile(join(dir, 'sub/Dockerfile'), 'new\n')),
  );
  expect(result).toEqual({ problem: 'changed since the scan' });
  expect(await readFile(join(dir, 'sub/Dockerfile'), 'utf8')).toBe('new\n');
  expect(await readdir(join(dir, 'sub'))).toEqual(['Dockerfile']);
});

it('refuses a path that leaves the directory', async () => {
  const result = await rewriteFile(
    dir,
    '../outside/Dockerfile',
    upper(async () => {}),
  );
  expect(result).toEqual({ problem: 'not a path inside the scanned directory' });
  expect(await readFile(join(root, 'outside/Dockerfile'), 'utf8')).toBe('old\n');
});
