import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RepoPlatform } from '../../../src/job/types.js';
import { branchHead } from '../../../src/platform/github/commits.js';
import { startFixture, type Fixture } from './platform-fixture.js';

const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0xff, 0xfe, 0x0a]);

let fx: Fixture;
let platform: RepoPlatform;
let main: string;

beforeEach(async () => {
  fx = await startFixture();
  platform = fx.platform();
  main = fx.gh.state.branches('acme', 'api').get('main')!;
});

afterEach(async () => {
  await fx.gh.stop();
});

function commitObject(sha: string) {
  return fx.gh.state.repo('acme', 'api').git.commits.get(sha)!;
}

describe('commitFiles', () => {
  it('creates the branch with one verified commit on the parent, readable like any push', async () => {
    const sha = await platform.commitFiles({
      branch: 'dockhand/node-22.x',
      parent: main,
      message: 'Update node to 22.12.0',
      files: { Dockerfile: 'FROM node:22.12.0\n' },
    });
    expect(fx.gh.state.branches('acme', 'api').get('dockhand/node-22.x')).toBe(sha);
    expect(fx.gh.state.file('acme', 'api', 'dockhand/node-22.x', 'Dockerfile')).toBe('FROM node:22.12.0\n');
    expect(fx.gh.state.file('acme', 'api', 'dockhand/node-22.x', 'README.md')).toBe('# api\n');
    expect(fx.gh.state.file('acme', 'api', 'main', 'Dockerfile')).toBe('FROM node:20.11.1\n');
    const commit = commitObject(sha);
    expect(commit).toMatchObject({ parents: [main], message: 'Update node to 22.12.0', verified: true });
    expect(fx.callsSince(0).filter((call) => !call.startsWith('GET'))).toEqual([
      'POST /repos/:owner/:repo/git/trees',
      'POST /repos/:owner/:repo/git/commits',
      'POST /repos/:owner/:repo/git/refs',
    ]);
  });

  it('force-moves an existing branch onto a new parent (the base moved)', async () => {
    const first = await platform.commitFiles({
      branch: 'dockhand/node-22.x',
      parent: main,
      message: 'Update node',
      files: { Dockerfile: 'FROM node:22.12.0\n' },
    });
    const moved = fx.gh.state.commit('acme', 'api', 'main', { 'README.md': '# api, moved\n' });
    const second = await platform.commitFiles({
      branch: 'dockhand/node-22.x',
      parent: moved,
      message: 'Update node',
      files: { Dockerfile: 'FROM node:22.12.0\n' },
    });
    expect(second).not.toBe(first);
    expect(commitObject(second).parents).toEqual([moved]);
    expect(fx.gh.state.branches('acme', 'api').get('dockhand/node-22.x')).toBe(second);
    expect(fx.gh.state.file('acme', 'api', 'dockhand/node-22.x', 'README.md')).toBe('# api, moved\n');
    expect(fx.callsSince(0)).toContain('PATCH /repos/:owner/:repo/git/refs/*ref');
  });

  it('deletes files given as null and stores binary content through a blob, byte for byte', async () => {
    await platform.commitFiles({
      branch: 'dockhand/assets',
      parent: main,
      message: 'Assets',
      files: { 'k8s/deploy.yaml': null, 'images/logo.png': BINARY, 'docs/ünï.md': Buffer.from('héllo\n') },
    });
    const repo = fx.gh.state.repo('acme', 'api');
    expect(repo.file('dockhand/assets', 'k8s/deploy.yaml')).toBeUndefined();
    expect(repo.file('dockhand/assets', 'images/logo.png')).toEqual(BINARY);
    expect(fx.gh.state.file('acme', 'api', 'dockhand/assets', 'docs/ünï.md')).toBe('héllo\n');
    // Only the binary file needed a blob; UTF-8 text went inline.
    expect(fx.callsSince(0).filter((call) => call.endsWith('/git/blobs'))).toHaveLength(1);
  });

  it('keeps an edited executable file executable', async () => {
    const parent = fx.gh.state.commit('acme', 'api', 'main', {
      'docker/Dockerfile': { content: 'FROM node:20\n', executable: true },
    });
    const sha = await platform.commitFiles({
      branch: 'dockhand/node-22.x',
      parent,
      message: 'Update node',
      files: { 'docker/Dockerfile': 'FROM node:22\n', Dockerfile: 'FROM node:22\n' },
    });
    const files = fx.gh.state.repo('acme', 'api').filesAt(sha);
    expect(files.get('docker/Dockerfile')?.mode).toBe('100755');
    expect(files.get('Dockerfile')?.mode).toBe('100644');
  });

  it('a rerun with the same parent and files finds its commit and changes nothing', async () => {
    const input = {
      branch: 'dockhand/node-22.x',
      parent: main,
      message: 'Update node',
      files: { Dockerfile: 'FROM node:22.12.0\n' },
    };
    const first = await platform.commitFiles(input);
    const since = fx.gh.calls.length;
    const rerun = fx.platform();
    expect(await rerun.commitFiles(input)).toBe(first);
    // The parent's commit and listing are cached by sha; the branch's commit is read once to compare trees.
    expect(fx.callsSince(since)).toEqual([
      'POST /repos/:owner/:repo/git/trees',
      'GET /repos/:owner/:repo/git/ref/*ref',
      'GET /repos/:owner/:repo/git/commits/:sha',
    ]);
    expect(rerun.usage.requests).toBe(3);
    expect(fx.gh.state.branches('acme', 'api').get('dockhand/node-22.x')).toBe(first);
  });

  it('branchHead names the commit a branch points at, null when there is none', async () => {
    expect(await branchHead(fx.context(), 'main')).toBe(main);
    expect(await branchHead(fx.context(), 'dockhand/none')).toBeNull();
  });

  it('deleteBranch removes a branch, and a branch already gone is fine', async () => {
    fx.gh.state.commit('acme', 'api', 'dockhand/old', { Dockerfile: 'FROM node:21\n' });
    await platform.deleteBranch('dockhand/old');
    expect(fx.gh.state.branches('acme', 'api').has('dockhand/old')).toBe(false);
    await expect(platform.deleteBranch('dockhand/old')).resolves.toBeUndefined();
  });
});
