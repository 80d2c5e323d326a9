import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitStore, type PathEntry } from './git.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

describe('GitStore', () => {
  it('hashes blobs and the empty tree as git does', () => {
    const store = new GitStore();
    expect(store.putBlob('')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    expect(store.putBlob('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(store.putTree([])).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });

  it('builds the same nested tree as git write-tree (modes, symlinks, git ordering)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-github-git-'));
    dirs.push(dir);
    git(dir, 'init', '-q');
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'a', 'b'));
    writeFileSync(join(dir, 'a.txt'), 'file next to a dir named a\n');
    writeFileSync(join(dir, 'a', 'b', 'Dockerfile'), 'FROM node:20\n');
    writeFileSync(join(dir, 'a-b'), 'dash sorts before slash\n');
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(dir, 'run.sh'), 0o755);
    symlinkSync('a/b/Dockerfile', join(dir, 'link'));
    git(dir, 'add', '-A');
    const expected = git(dir, 'write-tree');

    const store = new GitStore();
    const files = new Map<string, PathEntry>([
      ['a.txt', { mode: '100644', type: 'blob', sha: store.putBlob('file next to a dir named a\n') }],
      ['a/b/Dockerfile', { mode: '100644', type: 'blob', sha: store.putBlob('FROM node:20\n') }],
      ['a-b', { mode: '100644', type: 'blob', sha: store.putBlob('dash sorts before slash\n') }],
      ['run.sh', { mode: '100755', type: 'blob', sha: store.putBlob('#!/bin/sh\n') }],
      ['link', { mode: '120000', type: 'blob', sha: store.putBlob('a/b/Dockerfile') }],
    ]);
    const tree = store.buildTree(files);
    expect(tree).toBe(expected);
    expect(store.flatten(tree)).toEqual(files);
  });

  it('hashes commits as git commit-tree does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-github-git-'));
    dirs.push(dir);
    git(dir, 'init', '-q');
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test User',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_AUTHOR_DATE: '1700000000 +0000',
      GIT_COMMITTER_NAME: 'Test User',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_COMMITTER_DATE: '1700000000 +0000',
    };
    const emptyTree = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
    const expected = execFileSync('git', ['commit-tree', emptyTree], {
      cwd: dir,
      env,
      input: 'Initial commit\n',
      encoding: 'utf8',
    }).trim();

    const store = new GitStore();
    const signature = {
      name: 'Test User',
      email: 'test@example.com',
      date: new Date(1700000000_000).toISOString(),
    };
    const commit = store.putCommit({
      tree: store.putTree([]),
      parents: [],
      message: 'Initial commit\n',
      author: signature,
      committer: signature,
      verified: true,
    });
    expect(commit.sha).toBe(expected);
  });

  it('finds ancestors and the merge base', () => {
    const store = new GitStore();
    const tree = store.putTree([]);
    const signature = { name: 'n', email: 'e', date: '2024-01-01T00:00:00Z' };
    const make = (message: string, parents: string[]) =>
      store.putCommit({ tree, parents, message, author: signature, committer: signature, verified: true })
        .sha;
    const root = make('root', []);
    const left = make('left', [root]);
    const right = make('right', [root]);
    expect(store.isAncestor(root, left)).toBe(true);
    expect(store.isAncestor(left, right)).toBe(false);
    expect(store.mergeBase(left, right)).toBe(root);
  });
});
