import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { reportsSchema } from '../../src/config/schema.js';
import { evaluatePolicies, policyOptions } from '../../src/report/evaluate.js';
import type { DockerfileFacts, ImageFacts, RepoFacts } from '../../src/report/facts.js';
import { approvedMatcher, policy as approvedBases } from '../../src/report/policies/approved-bases.js';
import { policy as digestsPinned } from '../../src/report/policies/digests-pinned.js';
import { POLICIES } from '../../src/report/policies/index.js';
import { policy as maintenanceRebuilt } from '../../src/report/policies/maintenance-rebuilt.js';
import { policy as noEolBase } from '../../src/report/policies/no-eol-base.js';
import { policy as noLatest } from '../../src/report/policies/no-latest.js';
import { policy as noLintErrors } from '../../src/report/policies/no-lint-errors.js';
import { policy as nonRoot } from '../../src/report/policies/non-root-final-stage.js';
import { policy as outdated } from '../../src/report/policies/outdated-dependencies.js';
import { policy as prsActedOn } from '../../src/report/policies/prs-acted-on.js';
import { policy as upToDate } from '../../src/report/policies/up-to-date-bases.js';

const ctx = { approvedBases: [] as string[] };

function image(overrides: Partial<ImageFacts> = {}): ImageFacts {
  return {
    file: 'Dockerfile',
    line: 1,
    manager: 'dockerfile',
    source: 'from',
    reference: 'node:22.11.0',
    name: 'docker.io/library/node',
    tag: '22.11.0',
    digest: null,
    stage: '0',
    skipReason: null,
    latestOrUntagged: false,
    digestPinned: false,
    finalStage: true,
    eol: [],
    staleDigest: null,
    behind: null,
    newestMajor: null,
    lookupError: null,
    ...overrides,
  };
}

function dockerfile(user: DockerfileFacts['user'], path = 'Dockerfile'): DockerfileFacts {
  return {
    path,
    stages: 1,
    finalStage: { stage: '0', line: 1 },
    finalChain: ['0'],
    finalBase: 'node:22',
    user,
  };
}

function facts(overrides: Partial<RepoFacts> = {}): RepoFacts {
  return {
    version: 1,
    repository: 'acme/app',
    scannedAt: '2026-06-01T00:00:00.000Z',
    resolved: true,
    images: [],
    dockerfiles: [],
    lint: { counts: { error: 0, warning: 0, info: 0 }, errors: [], errorTotal: 0 },
    packages: { total: 0, outdated: 0, libyears: 0, libyearsKnown: 0, libyearsUnknown: 0, worst: [] },
    pullRequests: null,
    maintenance: null,
    fileErrors: 0,
    skippedFiles: 0,
    ...overrides,
  };
}

describe('up-to-date-bases', () => {
  const run = (f: RepoFacts, o = upToDate.defaults) => upToDate.evaluate(f, o, ctx);

  it('fails a digest its tag left more than 14 days ago, passes a recent move', () => {
    const old = image({
      line: 1,
      digestPinned: true,
      staleDigest: { since: '2026-05-01T00:00:00Z', newDigest: 'sha256:b' },
    });
    const recent = image({
      line: 5,
      digestPinned: true,
      staleDigest: { since: '2026-05-25T00:00:00Z', newDigest: null },
    });
    const result = run(facts({ images: [old, recent] }));
    expect(result.status).toBe('fail');
    expect(result.since).toBe('2026-05-01T00:00:00Z');
    expect(result.evidence.map((e) => [e.line, e.status])).toEqual([
      [1, 'fail'],
      [5, 'pass'],
    ]);
    expect(result.evidence[0]!.message).toContain('31 days ago (limit 14)');
    expect(run(facts({ images: [old] }), { digestAgeDays: 40, tagBehindDays: 14 }).status).toBe('pass');
  });

  it('fails a tag behind the newest release of its line for more than N days', () => {
    const behind = image({ behind: { tag: '22.16.0', type: 'minor', since: '2026-04-01T00:00:00Z' } });
    expect(run(facts({ images: [behind] })).status).toBe('fail');
    expect(run(facts({ images: [behind] }), { digestAgeDays: 14, tagBehindDays: 90 }).status).toBe('pass');
  });

  it('has no data without lookups, with a lookup error, or without dates', () => {
    expect(run(facts({ resolved: false, images: [image()] })).status).toBe('no-data');
    expect(run(facts({ images: [image({ lookupError: 'unauthorized' })] })).evidence[0]!.message).toContain(
      'unauthorized',
    );
    const undated = image({ staleDigest: { since: null, newDigest: null } });
    expect(run(facts({ images: [undated, image({ line: 9 })] })).status).toBe('no-data');
    expect(run(facts({ images: [] })).status).toBe('no-data');
  });

  it('passes current images, skipping syntax directives and unresolved references', () => {
    const result = run(
      facts({
        images: [
          image(),
          image({ source: 'syntax', lookupError: 'x' }),
          image({ skipReason: 'unresolved-variable' }),
        ],
      }),
    );
    expect(result.status).toBe('pass');
    expect(result.evidence).toHaveLength(1);
  });
});

describe('no-eol-base', () => {
  it('fails an image on an ended line, with the day it ended and the successor', () => {
    const ended = image({
      reference: 'python:3.8-slim-buster',
      eol: [
        { product: 'python', release: '3.8', eol: '2024-10-07', approximate: false, successor: '3.14' },
        { product: 'debian', release: '10', eol: '2024-06-30', approximate: false, successor: '13' },
      ],
    });
    const result = noEolBase.evaluate(facts({ images: [ended, image({ line: 3 })] }), {}, ctx);
    expect(result.status).toBe('fail');
    expect(result.evidence[0]).toMatchObject({
      status: 'fail',
      image: 'python:3.8-slim-buster',
      since: '2024-10-07',
    });
    expect(result.evidence[0]!.message).toBe(
      'end of life: python 3.8 (2024-10-07), debian 10 (2024-06-30); move to python 3.14',
    );
    expect(result.evidence[1]!.status).toBe('pass');
    expect(noEolBase.evaluate(facts(), {}, ctx).status).toBe('no-data');
  });
});

describe('non-root-final-stage', () => {
  it('tells implicit root from explicit USER root', () => {
    const result = nonRoot.evaluate(
      facts({
        dockerfiles: [
          dockerfile({ kind: 'implicit-root', line: 1 }, 'a/Dockerfile'),
          dockerfile({ kind: 'explicit-root', user: '0:0', line: 4 }, 'b/Dockerfile'),
          dockerfile({ kind: 'non-root', user: 'app', line: 4 }, 'c/Dockerfile'),
        ],
      }),
      {},
      ctx,
    );
    expect(result.status).toBe('fail');
    expect(result.evidence.map((e) => [e.file, e.status, e.message])).toEqual([
      ['a/Dockerfile', 'fail', 'implicit root: the final stage sets no USER and its base runs as root'],
      ['b/Dockerfile', 'fail', 'explicit root: USER 0:0'],
      ['c/Dockerfile', 'pass', 'USER app'],
    ]);
  });

  it('passes non-root users and non-root bases; no data for unknowns and without Dockerfiles', () => {
    const ok = facts({ dockerfiles: [dockerfile({ kind: 'non-root-base', line: 1 })] });
    expect(nonRoot.evaluate(ok, {}, ctx).status).toBe('pass');
    const unknown = facts({ dockerfiles: [dockerfile({ kind: 'unknown', user: '$APP_UID', line: 2 })] });
    expect(nonRoot.evaluate(unknown, {}, ctx).status).toBe('no-data');
    expect(nonRoot.evaluate(facts(), {}, ctx).status).toBe('no-data');
  });
});

describe('digests-pinned', () => {
  it('judges Dockerfile bases only', () => {
    const f = facts({
      images: [
        image({ digestPinned: true, digest: 'sha256:a' }),
        image({ line: 4, source: 'copy-from' }),
        image({ file: 'compose.yml', manager: 'compose', source: 'compose-image' }),
      ],
    });
    expect(digestsPinned.evaluate(f, {}, ctx).status).toBe('pass');
    const unpinned = digestsPinned.evaluate(facts({ images: [image({ line: 7 })] }), {}, ctx);
    expect(unpinned.status).toBe('fail');
    expect(unpinned.evidence[0]).toMatchObject({ file: 'Dockerfile', line: 7, image: 'node:22.11.0' });
  });
});

describe('no-latest', () => {
  it('fails latest and untagged references anywhere', () => {
    const result = noLatest.evaluate(
      facts({
        images: [
          image(),
          image({
            file: 'compose.yml',
            source: 'compose-image',
            reference: 'redis',
            tag: null,
            latestOrUntagged: true,
          }),
          image({
            file: 'k8s.yaml',
            source: 'kubernetes-image',
            reference: 'nginx:latest',
            tag: 'latest',
            latestOrUntagged: true,
          }),
        ],
      }),
      {},
      ctx,
    );
    expect(result.status).toBe('fail');
    expect(result.evidence.filter((e) => e.status === 'fail').map((e) => [e.image, e.message])).toEqual([
      ['redis', 'no tag and no digest (means latest)'],
      ['nginx:latest', 'uses the latest tag'],
    ]);
  });
});

describe('no-lint-errors', () => {
  it('lists the error-level findings and says how many there were', () => {
    const lint = {
      counts: { error: 3, warning: 1, info: 0 },
      errors: [
        { rule: 'DH201', slug: 'final-stage-root', file: 'Dockerfile', line: 1, message: 'runs as root' },
      ],
      errorTotal: 3,
    };
    const result = noLintErrors.evaluate(
      facts({ dockerfiles: [dockerfile({ kind: 'unknown' })], lint }),
      {},
      ctx,
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('3 errors (first 1 listed)');
    expect(result.evidence[0]!.message).toBe('DH201 final-stage-root: runs as root');
    const clean = facts({
      dockerfiles: [dockerfile({ kind: 'unknown' })],
      lint: { counts: { error: 0, warning: 2, info: 1 }, errors: [], errorTotal: 0 },
    });
    expect(noLintErrors.evaluate(clean, {}, ctx)).toMatchObject({
      status: 'pass',
      summary: 'no errors (2 warnings, 1 info)',
    });
    expect(noLintErrors.evaluate(facts(), {}, ctx).status).toBe('no-data');
  });
});

describe('approved-bases', () => {
  it('has no data until approved bases are configured', () => {
    expect(approvedBases.evaluate(facts({ images: [image()] }), {}, ctx).status).toBe('no-data');
  });

  it('matches short and full names, ** across segments, and tags', () => {
    const f = facts({
      images: [
        image(),
        image({
          line: 2,
          reference: 'ghcr.io/acme/base/python:3.12',
          name: 'ghcr.io/acme/base/python',
          tag: '3.12',
        }),
        image({ line: 3, reference: 'python:3.11-slim', name: 'docker.io/library/python', tag: '3.11-slim' }),
        image({ line: 4, reference: 'python:3.12-slim', name: 'docker.io/library/python', tag: '3.12-slim' }),
      ],
    });
    const result = approvedBases.evaluate(
      f,
      {},
      { approvedBases: ['node', 'ghcr.io/acme/**', 'python:3.12-*'] },
    );
    expect(result.evidence.map((e) => [e.line, e.status])).toEqual([
      [1, 'pass'],
      [2, 'pass'],
      [3, 'fail'],
      [4, 'pass'],
    ]);
    expect(approvedMatcher('docker.io/library/*')({ name: 'docker.io/library/node', tag: null })).toBe(true);
    expect(approvedMatcher('ghcr.io/acme/*')({ name: 'ghcr.io/acme/base/python', tag: null })).toBe(false);
    expect(approvedMatcher('localhost:5000/app')({ name: 'localhost:5000/app', tag: '1' })).toBe(true);
  });

  it('runs patterns in linear time', () => {
    const start = performance.now();
    const matches = approvedMatcher('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b');
    expect(matches({ name: 'a'.repeat(5000), tag: null })).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('prs-acted-on', () => {
  const pr = (number: number, createdAt: string) => ({
    number,
    title: `PR ${number}`,
    createdAt,
    url: null,
    branch: null,
  });

  it('fails a PR open longer than 30 days; no data in the CLI', () => {
    const result = prsActedOn.evaluate(
      facts({ pullRequests: [pr(1, '2026-04-01T00:00:00Z'), pr(2, '2026-05-20T00:00:00Z')] }),
      prsActedOn.defaults,
      ctx,
    );
    expect(result.status).toBe('fail');
    expect(result.since).toBe('2026-04-01T00:00:00Z');
    expect(result.evidence[0]!.message).toBe('#1 PR 1: open 61 days (limit 30)');
    expect(prsActedOn.evaluate(facts({ pullRequests: [] }), prsActedOn.defaults, ctx).status).toBe('pass');
    expect(prsActedOn.evaluate(facts(), prsActedOn.defaults, ctx).status).toBe('no-data');
  });
});

describe('maintenance-rebuilt', () => {
  const run = (maintenance: RepoFacts['maintenance']) =>
    maintenanceRebuilt.evaluate(facts({ maintenance }), maintenanceRebuilt.defaults, ctx).status;

  it('judges repositories in maintenance mode only', () => {
    expect(run({ enabled: true, lastRebuildAt: '2026-05-28T03:00:00Z' })).toBe('pass');
    expect(run({ enabled: true, lastRebuildAt: '2026-05-20T03:00:00Z' })).toBe('fail');
    expect(run({ enabled: true, lastRebuildAt: null })).toBe('fail');
    expect(run({ enabled: false, lastRebuildAt: null })).toBe('no-data');
    expect(run(null)).toBe('no-data');
  });
});

describe('outdated-dependencies', () => {
  const packages = {
    total: 10,
    outdated: 4,
    libyears: 3.5,
    libyearsKnown: 3,
    libyearsUnknown: 1,
    worst: [
      { file: 'package.json', line: 3, name: 'express', current: '4.18.2', newest: '5.1.0', libyears: 2.48 },
    ],
  };

  it('reports figures without pass/fail until a threshold is set', () => {
    const result = outdated.evaluate(facts({ packages }), outdated.defaults, ctx);
    expect(result.status).toBe('no-data');
    expect(result.figures).toEqual({ total: 10, outdated: 4, libyears: 3.5, libyearsUnknown: 1 });
    expect(result.summary).toBe('4 of 10 dependencies outdated, 3.5 libyears (1 without dates)');
    expect(outdated.evaluate(facts({ packages }), { maxOutdated: 3, maxLibyears: null }, ctx).status).toBe(
      'fail',
    );
    expect(outdated.evaluate(facts({ packages }), { maxOutdated: 5, maxLibyears: 4 }, ctx).status).toBe(
      'pass',
    );
    expect(outdated.evaluate(facts({ packages }), { maxOutdated: null, maxLibyears: 3 }, ctx).status).toBe(
      'fail',
    );
    expect(outdated.evaluate(facts(), outdated.defaults, ctx).status).toBe('no-data');
  });
});

describe('the registry and the configuration', () => {
  it('has one policy per id, each with defaults its schema accepts', () => {
    const ids = POLICIES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const policy of POLICIES) expect(policy.options.safeParse(policy.defaults).success).toBe(true);
  });

  it('config/default.yml names every policy with its code defaults', async () => {
    const { config } = await loadConfig(fileURLToPath(new URL('./fixtures/tools/', import.meta.url)));
    expect(config.reports.policies).toEqual(Object.fromEntries(POLICIES.map((p) => [p.id, p.defaults])));
  });

  it('switches policies off, fills thresholds from defaults, rejects unknown ids and fields', () => {
    const settings = reportsSchema.parse({
      policies: { 'no-latest': false, 'up-to-date-bases': { digestAgeDays: 7 } },
      approvedBases: [],
    });
    expect(policyOptions(upToDate, settings)).toEqual({ digestAgeDays: 7, tagBehindDays: 14 });
    const results = evaluatePolicies(facts(), settings);
    expect(results.map((r) => r.policy)).not.toContain('no-latest');
    expect(results).toHaveLength(POLICIES.length - 1);
    expect(reportsSchema.safeParse({ policies: { 'no-such': {} }, approvedBases: [] }).success).toBe(false);
    expect(
      reportsSchema.safeParse({ policies: { 'prs-acted-on': { maxOpenDay: 3 } }, approvedBases: [] }).success,
    ).toBe(false);
    expect(reportsSchema.safeParse({ policies: {}, approvedBases: ['has space'] }).success).toBe(false);
  });
});
