// A repository read through the GitHub API scans exactly like the same files on disk.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ProbotOctokit } from 'probot';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';
import { loadConfig } from '../../../src/config/index.js';
import { GitHubClient } from '../../../src/platform/github/client.js';
import { readRepository } from '../../../src/platform/github/read.js';
import { pathMatcher } from '../../../src/scan/glob.js';
import { memorySource, scanDirectory, scanSource } from '../../../src/scan/scan.js';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github/index.js';

const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

const FILES: Record<string, string> = {
  Dockerfile:
    'ARG NODE=20.11.1\nFROM node:${NODE} AS build\nRUN npm ci\nFROM nginx:1.25\nCOPY . /usr/share/nginx/html\n',
  'api/Dockerfile': 'FROM python:3.12-slim\nUSER 1000\nCMD ["python", "app.py"]\n',
  'api/.dockerignore': '.git\n.env*\n',
  'compose.yaml':
    'services:\n  api:\n    build: ./api\n    image: acme/api:1.0\n  db:\n    image: postgres:16\n',
  'k8s/deploy.yaml':
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: redis:7\n',
  'README.md': '# not scanned\n',
};

let gh: FakeGitHub;
let dir: string;

beforeAll(async () => {
  gh = await startFakeGitHub({ latencyMs: 0 });
  gh.state.createRepo('acme', 'shop', { files: { ...FILES, 'Dockerfile.old': { symlink: 'Dockerfile' } } });
  gh.state.addInstallation({ id: 7, account: 'acme' });
  dir = await mkdtemp(join(tmpdir(), 'dockhand-same-'));
  for (const [path, content] of Object.entries(FILES)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await symlink('Dockerfile', join(dir, 'Dockerfile.old'));
});

afterAll(async () => {
  await gh.stop();
  await rm(dir, { recursive: true });
});

it('the same findings, deps (with byte ranges) and skipped files as a local scan', async () => {
  const { token } = gh.state.issueToken(7);
  const client = new GitHubClient(new Octokit({ baseUrl: gh.url, auth: { token } }), new MemoryCache());
  const repo = await readRepository(client, { owner: 'acme', repo: 'shop' }, {});
  if ('error' in repo) throw new Error(repo.error.message);
  const { config } = await loadConfig(dir);
  const fromGitHub = await scanSource(
    memorySource(repo.value.files, repo.value.skipped, pathMatcher(config.ignorePaths)),
    config,
  );
  const fromDisk = await scanDirectory(dir, config);
  expect(fromGitHub).toEqual(fromDisk);
  expect(fromDisk.files.map((f) => f.path)).toEqual([
    'Dockerfile',
    'api/Dockerfile',
    'compose.yaml',
    'k8s/deploy.yaml',
  ]);
  expect(fromDisk.skipped).toEqual([{ path: 'Dockerfile.old', reason: 'symlink' }]);
});
