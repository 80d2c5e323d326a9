// The repository job keeps a compliance report (issue 11 §1): after a run, the repository's facts (with
// the final stage's user from the Dockerfile's parse model, Dockhand's open PRs, maintenance mode) are
// judged by its policies and saved to the report store. The fake GitHub holds the repository; a real
// registry (Debian's docker-registry) serves the images as Docker Hub's mirror; the store is the Redis one.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import { operatorSettings } from '../../src/config/operator.js';
import { runRepositoryJob } from '../../src/job/run.js';
import type { RepoResult } from '../../src/job/types.js';
import type { RepoJobData } from '../../src/queue/types.js';
import { MemoryReportStore } from '../../src/report/store/memory.js';
import { RedisReportStore } from '../../src/report/store/redis.js';
import type { ReportStore } from '../../src/report/store/types.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github/index.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { jobPlatform } from '../support/job-platform.js';

const INSTALLATION = 12;

let gh: FakeGitHub;
let registry: TestRegistry;
let server: TestRedis;
let redis: Redis;
const registryCache = new MemoryCache();

beforeAll(async () => {
  [registry, gh, server] = await Promise.all([startRegistry(), startFakeGitHub(), startRedis()]);
  redis = new Redis(server.url);
  await registry.push('library/node', '20.1.0', { images: [{ created: '2025-01-10T00:00:00Z' }] });
  await registry.push('library/node', '20.5.0', { images: [{ created: '2025-03-10T00:00:00Z' }] });
  gh.state.createRepo('acme', '.github', {
    files: {
      'dockhand.yml': 'cacheTtlSeconds: 0\nreports:\n  policies:\n    prs-acted-on: { maxOpenDays: 3 }\n',
    },
  });
  gh.state.addInstallation({ id: INSTALLATION, account: 'acme' });
}, 120_000);
afterAll(async () => {
  redis?.disconnect();
  await Promise.all([gh?.stop(), registry?.stop(), server?.stop()]);
});

function run(
  repository: string,
  reports: ReportStore,
  now: () => number,
  reason: RepoJobData['reason'] = 'push',
): Promise<RepoResult> {
  return runRepositoryJob(
    { installationId: INSTALLATION, repository, reason },
    {
      platform: jobPlatform(gh, INSTALLATION, repository),
      registryCache,
      mention: '@dockhand',
      operator: operatorSettings({ registries: [{ host: 'docker.io', mirror: registry.url }] }, {}),
      reports,
      now,
    },
  );
}

const DAY = 86_400_000;
// The fake GitHub dates PRs by the real clock: the runs happen now and five days from now.
const START = Date.now();
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

describe('the repository job saves a compliance report', () => {
  it('judges the run: final-stage user from the parse model, its open PR with its age, org thresholds', async () => {
    gh.state.createRepo('acme', 'api', {
      files: {
        Dockerfile: 'FROM node:20.1.0 AS build\nUSER node\nFROM node:20.1.0\nCOPY --from=build /app /app\n',
        // A repository does not choose how it is judged: only the org file's `reports` apply in the app.
        '.github/dockhand.yml':
          'updates:\n  pinDigests: false\nreports:\n  policies:\n    non-root-final-stage: false\n    prs-acted-on: { maxOpenDays: 30 }\n',
      },
    });
    const store = new RedisReportStore(redis, `{${server.prefix}}`);
    const first = await run('acme/api', store, () => START);
    expect(first.outcome).toBe('ok');
    expect(first.pullRequests.opened).toHaveLength(1);
    const report = (await store.latestOf(INSTALLATION, 'acme/api'))!;
    expect(report.at).toBe(new Date(START).toISOString());
    // The final stage has no USER: root by default, as its parse model says (not `unknown`).
    expect(report.facts.dockerfiles).toEqual([
      expect.objectContaining({
        path: 'Dockerfile',
        stages: 2,
        user: expect.objectContaining({ kind: 'implicit-root' }),
      }),
    ]);
    const status = (id: string) => report.policies.find((p) => p.policy === id)?.status;
    expect(status('non-root-final-stage')).toBe('fail');
    expect(report.facts.resolved).toBe(true);
    // Dated from the registry: when the newest release of the line was built (the image's `created`).
    expect(report.facts.images.find((image) => image.behind?.tag === '20.5.0')?.behind?.since).toMatch(
      /^\d{4}-\d{2}-\d{2}/,
    );
    expect(report.facts.pullRequests).toEqual([
      expect.objectContaining({
        branch: expect.stringMatching(/^dockhand\//),
        createdAt: expect.any(String),
      }),
    ]);
    expect(report.facts.maintenance).toEqual({ enabled: false, lastRebuildAt: null });
    expect(status('prs-acted-on')).toBe('pass');
    expect(Object.keys(report.failingSince)).toContain('non-root-final-stage');

    // Five days later the PR is still open: past the org's 3 days. The streak of the root user goes on.
    await run('acme/api', store, () => START + 5 * DAY);
    const later = (await store.latestOf(INSTALLATION, 'acme/api'))!;
    expect(later.policies.find((p) => p.policy === 'prs-acted-on')?.status).toBe('fail');
    expect(later.failingSince['non-root-final-stage']).toBe(new Date(START).toISOString());
    expect((await store.repoHistory(INSTALLATION, 'acme/api', 30)).map((r) => r.day)).toEqual([
      day(START),
      day(START + 5 * DAY),
    ]);
  });

  it('a maintenance repository is rebuilt when GitHub shows its workflow run succeeded, not when dispatched', async () => {
    gh.state.createRepo('acme', 'quiet', {
      files: {
        Dockerfile: 'FROM node:20.5.0\nUSER node\n',
        '.github/workflows/docker.yml': 'on:\n  workflow_dispatch: {}\n',
        '.github/dockhand.yml':
          'updates:\n  pinDigests: false\nmaintenance:\n  enabled: true\n  workflow: docker.yml\n',
      },
    });
    const store = new MemoryReportStore();
    const status = async () =>
      (await store.latestOf(INSTALLATION, 'acme/quiet'))!.policies.find(
        (p) => p.policy === 'maintenance-rebuilt',
      )!;
    // The weekly run dispatches the rebuild; the build fails.
    gh.state.repo('acme', 'quiet').dispatchConclusion = 'failure';
    await run('acme/quiet', store, () => START, 'schedule');
    expect(gh.state.dispatches('acme', 'quiet')).toHaveLength(1);
    await run('acme/quiet', store, () => START + DAY);
    expect((await status()).status).toBe('fail');
    // A week later the dispatched build succeeds: that is a rebuild seen to succeed.
    gh.state.repo('acme', 'quiet').dispatchConclusion = 'success';
    await run('acme/quiet', store, () => START + 7 * DAY, 'schedule');
    expect(
      (await store.latestOf(INSTALLATION, 'acme/quiet'))!.facts.maintenance?.lastRebuildAt,
    ).not.toBeNull();
    expect((await status()).status).toBe('pass');
  });

  it('records a store that fails in the result and finishes the run', async () => {
    gh.state.createRepo('acme', 'web', { files: { Dockerfile: 'FROM node:20.5.0\nUSER node\n' } });
    const broken = new MemoryReportStore();
    broken.save = () => Promise.reject(new Error('Redis is down'));
    const result = await run('acme/web', broken, () => START);
    expect(result.outcome).toBe('ok');
    expect(result.errors).toContain('compliance report not saved: Redis is down');
  });
});
