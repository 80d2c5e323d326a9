import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { PackageFile } from '../../src/core/types.js';
import { collectDockerfiles } from '../../src/report/dockerfile.js';
import { MAX_LINT_ERRORS, repoFacts } from '../../src/report/facts.js';
import { releaseKey } from '../../src/report/packages.js';
import { scanDirectory } from '../../src/scan/scan.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const OWN = fileURLToPath(new URL('./fixtures/', import.meta.url));
const NOW = new Date('2026-06-01T00:00:00Z');

async function scanFacts(dir: string, resolve?: (files: PackageFile[]) => Promise<void>) {
  const { config } = await loadConfig(dir);
  const dockerfiles = collectDockerfiles();
  const scan = await scanDirectory(dir, config, { onRead: dockerfiles.onRead, ...(resolve && { resolve }) });
  return {
    scan,
    facts: repoFacts({ repository: 'fixtures', scan, now: NOW, dockerfiles: dockerfiles.facts }),
  };
}

describe('repoFacts over test/fixtures/rules', () => {
  it('records every image with its stage, EOL lines and the final stage user', async () => {
    const { facts } = await scanFacts(join(FIXTURES, 'rules'));
    expect(facts.version).toBe(1);
    expect(facts.resolved).toBe(false);
    expect(facts.scannedAt).toBe('2026-06-01T00:00:00.000Z');
    // JSON in, JSON out: nothing a store would lose.
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);

    const legacy = facts.images.find((i) => i.file === 'legacy-python/Dockerfile')!;
    expect(legacy).toMatchObject({
      line: 2,
      manager: 'dockerfile',
      source: 'from',
      reference: 'python:3.8-slim-buster',
      name: 'docker.io/library/python',
      tag: '3.8-slim-buster',
      digest: null,
      latestOrUntagged: false,
      digestPinned: false,
      finalStage: true,
      staleDigest: null,
      behind: null,
    });
    expect(legacy.eol.map((e) => `${e.product} ${e.release}`)).toEqual(['python 3.8', 'debian 10']);
    expect(facts.dockerfiles.find((d) => d.path === 'legacy-python/Dockerfile')!.user).toEqual({
      kind: 'non-root',
      user: '1000',
      line: 5,
    });

    // node-express: a build stage on node, the final one on distroless without a USER.
    const express = facts.images.filter((i) => i.file === 'node-express/Dockerfile');
    expect(express.map((i) => [i.reference, i.stage, i.finalStage])).toEqual([
      ['node:22-bookworm-slim', 'bundle', false],
      ['gcr.io/distroless/nodejs22-debian12', '1', true],
    ]);
    expect(facts.dockerfiles.find((d) => d.path === 'node-express/Dockerfile')).toMatchObject({
      stages: 2,
      finalStage: { stage: '1', line: 6 },
      finalChain: ['1'],
      finalBase: 'gcr.io/distroless/nodejs22-debian12',
      user: { kind: 'implicit-root', line: 6 },
    });

    // distroless-arg: the final base comes from an ARG default with latest.
    const runtime = facts.images.find(
      (i) => i.file === 'distroless-arg/nonroot.Dockerfile' && i.stage === 'runtime',
    )!;
    expect(runtime).toMatchObject({ tag: 'latest', latestOrUntagged: true, finalStage: true });
    expect(facts.dockerfiles.find((d) => d.path === 'distroless-arg/nonroot.Dockerfile')!.user.kind).toBe(
      'non-root',
    );
  });

  it('counts lint findings and keeps the error-level ones, capped', async () => {
    const { scan, facts } = await scanFacts(join(FIXTURES, 'rules'));
    const errors = scan.findings.filter((f) => f.severity === 'error');
    expect(facts.lint.counts.error).toBe(errors.length);
    expect(facts.lint.counts.warning).toBe(scan.findings.filter((f) => f.severity === 'warning').length);
    expect(facts.lint.errorTotal).toBe(errors.length);
    expect(facts.lint.errors.length).toBe(Math.min(errors.length, MAX_LINT_ERRORS));
    expect(facts.lint.errors[0]).toEqual({
      rule: errors[0]!.rule,
      slug: errors[0]!.slug,
      file: errors[0]!.path,
      line: errors[0]!.line,
      message: errors[0]!.message,
    });
    expect(facts.pullRequests).toBeNull();
    expect(facts.maintenance).toBeNull();
  });
});

describe('repoFacts over report fixtures', () => {
  it('tells explicit USER root from implicit root and follows FROM <stage> chains', async () => {
    const { facts } = await scanFacts(join(OWN, 'shop'));
    const users = Object.fromEntries(facts.dockerfiles.map((d) => [d.path, d.user]));
    expect(users).toEqual({
      'api/Dockerfile': { kind: 'explicit-root', user: 'root', line: 6 },
      'web/Dockerfile': { kind: 'non-root', user: 'node', line: 7 },
    });
    const web = facts.dockerfiles.find((d) => d.path === 'web/Dockerfile')!;
    expect(web.finalChain).toEqual(['final', 'build']);
    // The build stage's image is what the final stage is built on.
    expect(facts.images.find((i) => i.file === 'web/Dockerfile')).toMatchObject({
      finalStage: true,
      digestPinned: true,
    });
    // compose images: no stages.
    expect(
      facts.images
        .filter((i) => i.manager === 'compose')
        .map((i) => [i.reference, i.latestOrUntagged, i.finalStage]),
    ).toEqual([
      ['redis', true, null],
      ['postgres:16.4', false, null],
    ]);
    expect(facts.packages).toMatchObject({ total: 2, outdated: 0, libyears: 0, libyearsUnknown: 0 });
  });

  it('reads lookups: stale digests with the day the tag moved, lag behind the line, libyears', async () => {
    const resolve = async (files: PackageFile[]) => {
      for (const file of files)
        for (const dep of file.deps) {
          if (dep.depName === 'docker.io/library/node') {
            dep.staleDigest = true;
            dep.updates = [
              { type: 'major', newValue: '24.1.0-bookworm-slim', newDigest: 'sha256:' + 'c'.repeat(64) },
              {
                type: 'minor',
                newValue: '22.16.0-bookworm-slim',
                newDigest: 'sha256:' + 'd'.repeat(64),
                releaseTimestamp: '2026-05-01T10:00:00Z',
              },
              {
                type: 'digest',
                newValue: null,
                newDigest: 'sha256:' + 'b'.repeat(64),
                releaseTimestamp: '2026-05-20T00:00:00Z',
              },
            ];
          }
          if (dep.depName === 'docker.io/library/postgres') dep.lookupError = 'unauthorized';
          if (dep.depName === 'express')
            dep.updates = [
              {
                type: 'major',
                newValue: '5.1.0',
                newDigest: null,
                newVersion: '5.1.0',
                releaseTimestamp: '2025-03-31T00:00:00Z',
              },
            ];
          if (dep.depName === 'left-pad')
            dep.updates = [{ type: 'patch', newValue: '^1.3.1', newDigest: null, newVersion: '1.3.1' }];
        }
    };
    const { scan, facts: first } = await scanFacts(join(OWN, 'shop'), resolve);
    expect(first.resolved).toBe(true);
    const node = first.images.find((i) => i.name === 'docker.io/library/node')!;
    expect(node.staleDigest).toEqual({
      since: '2026-05-20T00:00:00Z',
      newDigest: 'sha256:' + 'b'.repeat(64),
    });
    expect(node.behind).toEqual({
      tag: '22.16.0-bookworm-slim',
      type: 'minor',
      since: '2026-05-01T10:00:00Z',
    });
    expect(node.newestMajor).toBe('24.1.0-bookworm-slim');
    expect(first.images.find((i) => i.name === 'docker.io/library/postgres')!.lookupError).toBe(
      'unauthorized',
    );
    // Without the date of the release in use, libyears are unknown, and said to be.
    expect(first.packages).toMatchObject({
      total: 2,
      outdated: 2,
      libyears: 0,
      libyearsKnown: 0,
      libyearsUnknown: 2,
    });

    const express = scan.files
      .find((f) => f.path === 'web/package.json')!
      .deps.find((d) => d.depName === 'express')!;
    const facts = repoFacts({
      repository: 'shop',
      scan,
      now: NOW,
      releaseDates: new Map([[releaseKey('web/package.json', express), '2022-10-08T00:00:00Z']]),
    });
    expect(facts.packages.libyearsKnown).toBe(1);
    expect(facts.packages.libyearsUnknown).toBe(1);
    expect(facts.packages.libyears).toBeCloseTo(2.48, 2);
    expect(facts.packages.worst[0]).toMatchObject({ name: 'express', current: '4.18.2', newest: '5.1.0' });
    // Without parse models, users are unknown rather than guessed.
    expect(facts.dockerfiles.every((d) => d.user.kind === 'unknown')).toBe(true);
  });

  it('takes the app-only inputs as given', async () => {
    const { scan } = await scanFacts(join(OWN, 'tools'));
    const facts = repoFacts({
      repository: 'acme/tools',
      scan,
      now: NOW,
      pullRequests: [
        {
          number: 7,
          title: 'Update alpine',
          createdAt: '2026-04-01T00:00:00Z',
          url: null,
          branch: 'dockhand/alpine-3.x',
        },
      ],
      maintenance: { enabled: true, lastRebuildAt: '2026-05-30T03:00:00Z' },
    });
    expect(facts.pullRequests).toHaveLength(1);
    expect(facts.maintenance).toEqual({ enabled: true, lastRebuildAt: '2026-05-30T03:00:00Z' });
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
  });
});

describe('repoFacts: teams from CODEOWNERS', () => {
  it('records the teams owning the container files, and none when there is no CODEOWNERS', async () => {
    const { readFile } = await import('node:fs/promises');
    const { parseCodeOwners } = await import('../../src/report/codeowners.js');
    const dir = join(OWN, 'teams');
    const { config } = await loadConfig(dir);
    const scan = await scanDirectory(dir, config);
    const codeowners = parseCodeOwners(await readFile(join(dir, '.github/CODEOWNERS'), 'utf8'));
    const facts = repoFacts({ repository: 'acme/teams', scan, now: NOW, codeowners });
    // api/ → backend (its user left out), web/** → frontend, compose → platform and data; docs owned by
    // writers is no container file; the negated line is skipped.
    expect(facts.teams).toEqual(['@acme/backend', '@acme/data', '@acme/frontend', '@acme/platform']);
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
    const without = repoFacts({ repository: 'acme/teams', scan, now: NOW });
    expect('teams' in without).toBe(false);
    expect(JSON.parse(JSON.stringify(without))).toEqual(without);
  });
});
