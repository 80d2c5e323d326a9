import { describe, expect, test } from 'vitest';
import type { PullRequestSettings } from '../../src/config/schema.js';
import type { Dependency, DependencyUpdate, PackageFile } from '../../src/core/types.js';
import { displayName, fingerprintImages, imageSlug, planBranches } from '../../src/job/branches.js';
import { manager } from '../../src/managers/dockerfile/index.js';

const SETTINGS: PullRequestSettings = {
  grouping: 'major-line',
  labels: ['dependencies'],
  prConcurrentLimit: 10,
  prHourlyLimit: 5,
  rebaseWhen: 'behind-base-branch',
};
const d = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

/** A Dockerfile's deps as the dockerfile manager extracts them, with the given updates by image. */
function dockerfile(path: string, text: string, updates: Record<string, DependencyUpdate[]>): PackageFile {
  const deps = manager.extract(text, path).deps.map((dep: Dependency) => ({
    ...dep,
    ...(updates[dep.value] && { updates: updates[dep.value] }),
  }));
  return { path, manager: 'dockerfile', deps };
}

const version = (type: 'major' | 'minor' | 'patch', newValue: string, newDigest: string | null = null) => ({
  type,
  newValue,
  newDigest,
});

describe('image slugs', () => {
  test.each([
    ['node', 'node'],
    ['library/node', 'node'],
    ['docker.io/library/node', 'node'],
    ['bitnami/redis', 'bitnami-redis'],
    ['docker.io/bitnami/redis', 'bitnami-redis'],
    ['ghcr.io/acme/app', 'ghcr.io-acme-app'],
    ['registry.example.com:5000/team/api', 'registry.example.com-5000-team-api'],
    ['quay.io/prometheus/node-exporter', 'quay.io-prometheus-node-exporter'],
    ['mcr.microsoft.com/dotnet/aspnet', 'mcr.microsoft.com-dotnet-aspnet'],
    ['localhost:5000/app', 'localhost-5000-app'],
    ['gcr.io/distroless/static-debian12', 'gcr.io-distroless-static-debian12'],
    ['public.ecr.aws/docker/library/python', 'public.ecr.aws-docker-library-python'],
    ['docker.io/grafana/grafana-oss', 'grafana-grafana-oss'],
  ])('%s → %s', (image, slug) => {
    const [dep] = manager.extract(`FROM ${image}:1.0\n`, 'Dockerfile').deps;
    expect(imageSlug(dep!)).toBe(slug);
  });

  test('display names are the image as people write it', () => {
    const deps = manager.extract(
      'FROM node:22\nFROM bitnami/redis:7\nFROM ghcr.io/acme/app:1\n',
      'Dockerfile',
    ).deps;
    expect(deps.map(displayName)).toEqual(['node', 'bitnami/redis', 'ghcr.io/acme/app']);
  });
});

describe('planBranches', () => {
  const files = [
    dockerfile('Dockerfile', 'FROM node:20.11.0 AS build\nFROM nginx:1.25.3@' + d(1) + '\n', {
      'node:20.11.0': [version('major', '22.12.0'), version('minor', '20.18.1')],
      [`nginx:1.25.3@${d(1)}`]: [
        version('minor', '1.27.3', d(2)),
        { type: 'digest', newValue: null, newDigest: d(3) },
      ],
    }),
    dockerfile('api/Dockerfile', 'FROM node:22.1.0-alpine\nFROM redis:7.2\nFROM alpine\n', {
      'node:22.1.0-alpine': [version('minor', '22.12.0-alpine')],
      'redis:7.2': [{ type: 'pin', newValue: null, newDigest: d(4) }],
      alpine: [{ type: 'replace', newValue: null, newDigest: d(5) }],
    }),
    dockerfile('worker/Dockerfile', `FROM python:3.12@${d(6)}\n`, {
      [`python:3.12@${d(6)}`]: [{ type: 'digest', newValue: null, newDigest: d(7) }],
    }),
  ];

  test('major-line: a branch per image major line, pins and refreshes grouped, in branch order', () => {
    const plans = planBranches(files, SETTINGS);
    expect(
      plans.map((p) => ({
        branch: p.branch,
        group: p.group,
        title: p.title,
        images: p.images,
        changes: p.changes.map(
          (c) => `${c.path}:${c.dep.line} ${c.update.type} ${c.update.newValue ?? c.update.newDigest}`,
        ),
        fingerprint: p.fingerprint,
      })),
    ).toEqual([
      {
        branch: 'dockhand/digests',
        group: 'digests',
        title: 'Refresh image digests',
        images: ['docker.io/library/python'],
        changes: [`worker/Dockerfile:1 digest ${d(7)}`],
        fingerprint: `docker.io/library/python:3.12@${d(7)}`,
      },
      {
        branch: 'dockhand/nginx-1.x',
        group: 'version',
        title: 'Update nginx to 1.27.3',
        images: ['docker.io/library/nginx'],
        changes: ['Dockerfile:2 minor 1.27.3'],
        fingerprint: 'docker.io/library/nginx:1.27.3',
      },
      {
        branch: 'dockhand/node-20.x',
        group: 'version',
        title: 'Update node to 20.18.1',
        images: ['docker.io/library/node'],
        changes: ['Dockerfile:1 minor 20.18.1'],
        fingerprint: 'docker.io/library/node:20.18.1',
      },
      {
        branch: 'dockhand/node-22.x',
        group: 'version',
        title: 'Update node',
        images: ['docker.io/library/node'],
        changes: ['Dockerfile:1 major 22.12.0', 'api/Dockerfile:1 minor 22.12.0-alpine'],
        fingerprint: 'docker.io/library/node:22.12.0 docker.io/library/node:22.12.0-alpine',
      },
      {
        branch: 'dockhand/pin-digests',
        group: 'pin-digests',
        title: 'Pin image digests',
        images: ['docker.io/library/alpine', 'docker.io/library/redis'],
        changes: [`api/Dockerfile:2 pin ${d(4)}`, `api/Dockerfile:3 replace ${d(5)}`],
        fingerprint: 'docker.io/library/alpine:latest@pin docker.io/library/redis:7.2@pin',
      },
    ]);
  });

  test('a minor that carries the new digest leaves no separate digest refresh', () => {
    const plans = planBranches(files, SETTINGS);
    const nginx = plans.flatMap((p) => p.changes).filter((c) => c.dep.depName === 'docker.io/library/nginx');
    expect(nginx.map((c) => c.update.type)).toEqual(['minor']);
  });

  test('image grouping: one version branch per image, the major alone when it would share a branch', () => {
    const plans = planBranches(files, { ...SETTINGS, grouping: 'image' });
    expect(
      plans.map((p) => [p.branch, p.title, p.changes.map((c) => c.update.newValue ?? c.update.type)]),
    ).toEqual([
      ['dockhand/digests', 'Refresh image digests', ['digest']],
      ['dockhand/nginx', 'Update nginx to 1.27.3', ['1.27.3']],
      ['dockhand/node', 'Update node', ['22.12.0', '22.12.0-alpine']],
      ['dockhand/pin-digests', 'Pin image digests', ['pin', 'replace']],
    ]);
  });

  test('all grouping: every version update in dockhand/all', () => {
    const plans = planBranches(files, { ...SETTINGS, grouping: 'all' });
    const all = plans.find((p) => p.branch === 'dockhand/all')!;
    expect(all.title).toBe('Update images');
    expect(all.images).toEqual(['docker.io/library/nginx', 'docker.io/library/node']);
    expect(all.fingerprint).toBe(
      'docker.io/library/nginx:1.27.3 docker.io/library/node:22.12.0 docker.io/library/node:22.12.0-alpine',
    );
    expect(plans.map((p) => p.branch)).toEqual(['dockhand/all', 'dockhand/digests', 'dockhand/pin-digests']);
  });

  test('a major beside a digest refresh: both proposed, on their own branches', () => {
    const file = dockerfile('Dockerfile', `FROM postgres:16.4@${d(1)}\n`, {
      [`postgres:16.4@${d(1)}`]: [
        version('major', '17.2', d(2)),
        { type: 'digest', newValue: null, newDigest: d(3) },
      ],
    });
    expect(planBranches([file], SETTINGS).map((p) => [p.branch, p.title])).toEqual([
      ['dockhand/digests', 'Refresh image digests'],
      ['dockhand/postgres-17.x', 'Update postgres to 17.2'],
    ]);
  });

  test('fingerprints ignore the digest of a version move and positions of the change', () => {
    const a = dockerfile('Dockerfile', 'FROM node:22.1.0\n', {
      'node:22.1.0': [version('minor', '22.12.0', d(1))],
    });
    const b = dockerfile('Dockerfile', '# moved\n\nFROM node:22.1.0\n', {
      'node:22.1.0': [version('minor', '22.12.0', d(2))],
    });
    expect(planBranches([a], SETTINGS)[0]!.fingerprint).toBe(planBranches([b], SETTINGS)[0]!.fingerprint);
  });

  test('pins fingerprint without the digest; refreshes with it', () => {
    const pin = (digest: string) =>
      planBranches(
        [
          dockerfile('Dockerfile', 'FROM redis:7.2\n', {
            'redis:7.2': [{ type: 'pin', newValue: null, newDigest: digest }],
          }),
        ],
        SETTINGS,
      )[0]!.fingerprint;
    expect(pin(d(1))).toBe(pin(d(2)));
    const refresh = (digest: string) =>
      planBranches(
        [
          dockerfile('Dockerfile', `FROM redis:7.2@${d(9)}\n`, {
            [`redis:7.2@${d(9)}`]: [{ type: 'digest', newValue: null, newDigest: digest }],
          }),
        ],
        SETTINGS,
      )[0]!.fingerprint;
    expect(refresh(d(1))).not.toBe(refresh(d(2)));
  });

  test('the same input gives the same plans whatever the file order', () => {
    expect(planBranches([...files].reverse(), SETTINGS)).toEqual(planBranches(files, SETTINGS));
  });

  test('dependencies without updates plan nothing', () => {
    expect(planBranches([dockerfile('Dockerfile', 'FROM node:22\n', {})], SETTINGS)).toEqual([]);
  });

  test('fingerprintImages reads the images back, registry ports included', () => {
    expect(
      fingerprintImages(
        `docker.io/library/node:22.12.0 docker.io/library/redis:7.2@pin localhost:5000/app:1.2@${d(1)} docker.io/library/node:22.12.0-alpine`,
      ),
    ).toEqual(['docker.io/library/node', 'docker.io/library/redis', 'localhost:5000/app']);
  });
});

describe('package branches', () => {
  const pkg = (depName: string, extra: Partial<Dependency>): Dependency => ({
    depName,
    value: extra.currentValue ?? '',
    line: 2,
    source: 'package-file',
    registry: null,
    repository: null,
    tag: null,
    digest: null,
    datasource: 'npm',
    versioning: 'npm',
    packageName: depName,
    ...extra,
  });
  const release = (type: 'major' | 'minor' | 'patch', newValue: string | null, newVersion: string) => ({
    type,
    newValue,
    newDigest: null,
    newVersion,
  });

  test('one branch per package major line, scoped names slugged, lockfile-only moves left out', () => {
    const file: PackageFile = {
      path: 'package.json',
      manager: 'npm',
      deps: [
        pkg('@acme/ui', {
          currentValue: '~1.0.0',
          updates: [release('major', '~2.0.0', '2.0.0'), release('minor', '~1.2.0', '1.2.0')],
        }),
        pkg('express', {
          currentValue: '^4.18.0',
          lockedVersion: '4.18.1',
          lockFile: 'package-lock.json',
          updates: [{ ...release('minor', null, '4.19.2'), isLockfileUpdate: true }],
        }),
      ],
    };
    const plans = planBranches([file], SETTINGS);
    expect(plans.map((p) => [p.branch, p.title, p.fingerprint])).toEqual([
      ['dockhand/acme-ui-1.x', 'Update @acme/ui to 1.2.0', '@acme/ui:1.2.0'],
      ['dockhand/acme-ui-2.x', 'Update @acme/ui to 2.0.0', '@acme/ui:2.0.0'],
    ]);
    expect(fingerprintImages('@acme/ui:2.0.0 docker.io/library/node:22@sha256:ab12 node:22@pin')).toEqual([
      '@acme/ui',
      'docker.io/library/node',
      'node',
    ]);
  });

  test('a Python image moved past what a locked package declares: named on that branch only', () => {
    const dockerfileWithUpdates = dockerfile('api/Dockerfile', 'FROM python:3.11-slim\n', {
      'python:3.11-slim': [version('minor', '3.13-slim')],
    });
    const requirements: PackageFile = {
      path: 'api/requirements.txt',
      manager: 'pip-requirements',
      runtime: {
        kind: 'python',
        version: '3.11',
        image: 'python:3.11-slim',
        from: { path: 'api/Dockerfile', line: 1 },
      },
      deps: [
        pkg('numpy', {
          datasource: 'pypi',
          versioning: 'pep440',
          lockedVersion: '1.24.0',
          lockedRuntimeConstraint: '>=3.8,<3.12',
        }),
        pkg('flask', {
          datasource: 'pypi',
          versioning: 'pep440',
          lockedVersion: '3.0.0',
          lockedRuntimeConstraint: '>=3.8',
        }),
      ],
    };
    const [plan] = planBranches([dockerfileWithUpdates, requirements], SETTINGS);
    expect(plan!.branch).toBe('dockhand/python-3.x');
    expect(plan!.runtimeExclusions).toEqual([
      'numpy 1.24.0 (api/requirements.txt) declares requires-python >=3.8,<3.12, which excludes Python 3.13',
    ]);
  });
});
