import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, isSkipped, readCandidate, walk, type CandidateFile } from '../../src/scan/walk.js';

let root: string;
let outside: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dockhand-walk-'));
  outside = await mkdtemp(join(tmpdir(), 'dockhand-outside-'));
  await writeFile(join(outside, 'Dockerfile'), 'FROM alpine\n');
  const files: Record<string, string | Buffer> = {
    Dockerfile: 'FROM node:20\n',
    'b/Dockerfile': 'FROM python:3.12\n',
    'a/Dockerfile.dev': 'FROM ruby\n',
    'README.md': '# not claimed\n',
    'big/Dockerfile': Buffer.alloc(MAX_FILE_BYTES + 1, 'A'),
    'exact/Dockerfile': Buffer.alloc(MAX_FILE_BYTES, 'A'),
    'bin/Dockerfile': Buffer.concat([Buffer.from('FROM x\n'), Buffer.from([0, 1, 2])]),
    'late-nul/Dockerfile': Buffer.concat([Buffer.alloc(9000, 'A'), Buffer.from([0])]),
    '.git/Dockerfile': 'FROM git\n',
    'node_modules/pkg/Dockerfile': 'FROM nm\n',
    'vendor/Dockerfile': 'FROM vendored\n',
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
  await symlink('b/Dockerfile', join(root, 'link.Dockerfile'));
  await symlink(join(root, 'b'), join(root, 'linked-dir'));
  await symlink(outside, join(root, 'escape'));
  await symlink(join(outside, 'Dockerfile'), join(root, 'a/Dockerfile'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const claimsDockerfiles = (path: string): boolean => /dockerfile/i.test(path);

describe('walk', () => {
  it('lists claimed files and skipped entries in sorted order, never following symlinks', async () => {
    const entries = await walk(root, {
      claims: claimsDockerfiles,
      ignored: (path) => path.startsWith('vendor'),
    });
    expect(entries).toEqual([
      { path: 'Dockerfile', size: 13 },
      { path: 'a/Dockerfile', reason: 'symlink' },
      { path: 'a/Dockerfile.dev', size: 10 },
      { path: 'b/Dockerfile', size: 17 },
      { path: 'big/Dockerfile', reason: 'too-large' },
      { path: 'bin/Dockerfile', size: 10 },
      { path: 'escape', reason: 'symlink' },
      { path: 'exact/Dockerfile', size: MAX_FILE_BYTES },
      { path: 'late-nul/Dockerfile', size: 9001 },
      { path: 'link.Dockerfile', reason: 'symlink' },
      { path: 'linked-dir', reason: 'symlink' },
    ]);
  });

  it('never asks about .git or node_modules, and only stats claimed files', async () => {
    const asked: string[] = [];
    await walk(root, {
      claims: (path) => {
        asked.push(path);
        return false;
      },
      ignored: () => false,
    });
    expect(asked.some((path) => path.startsWith('.git/') || path.startsWith('node_modules/'))).toBe(false);
    expect(asked).toContain('README.md');
  });
});

describe('readCandidate', () => {
  const read = async (path: string) => {
    const entries = await walk(root, { claims: claimsDockerfiles, ignored: () => false });
    const entry = entries.find((e) => e.path === path) as CandidateFile;
    return readCandidate(root, entry);
  };

  it('reads text files whole', async () => {
    const file = await read('b/Dockerfile');
    expect(isSkipped(file) ? file : file.bytes.toString()).toBe('FROM python:3.12\n');
    const exact = await read('exact/Dockerfile');
    expect(isSkipped(exact) ? exact : exact.bytes.length).toBe(MAX_FILE_BYTES);
  });

  it('skips a file with a NUL byte in its first 8 KiB as binary', async () => {
    expect(await read('bin/Dockerfile')).toEqual({ path: 'bin/Dockerfile', reason: 'binary' });
    // Past the sniffed prefix it is text as far as the scanner is concerned.
    expect(isSkipped(await read('late-nul/Dockerfile'))).toBe(false);
  });

  it('reports a file that vanished or turned into a symlink as unreadable', async () => {
    expect(await readCandidate(root, { path: 'gone/Dockerfile', size: 3 })).toEqual({
      path: 'gone/Dockerfile',
      reason: 'unreadable',
    });
    expect(await readCandidate(root, { path: 'link.Dockerfile', size: 17 })).toEqual({
      path: 'link.Dockerfile',
      reason: 'unreadable',
    });
  });
});
