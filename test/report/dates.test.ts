import { describe, expect, it } from 'vitest';
import type { Dependency, PackageFile } from '../../src/core/types.js';
import { addReleaseDates } from '../../src/report/dates.js';
import { releaseKey } from '../../src/report/packages.js';

const image = (overrides: Partial<Dependency>): Dependency => ({
  depName: 'docker.io/library/node',
  registry: 'docker.io',
  repository: 'library/node',
  tag: '22.11.0',
  digest: 'sha256:old',
  value: 'node:22.11.0@sha256:old',
  line: 1,
  source: 'from',
  ...overrides,
});

describe('addReleaseDates', () => {
  it('dates digest and in-line image updates by the created date of their image, not majors', async () => {
    const dep = image({
      updates: [
        { type: 'major', newValue: '24.0.0', newDigest: 'sha256:major' },
        { type: 'minor', newValue: '22.16.0', newDigest: null },
        { type: 'digest', newValue: null, newDigest: 'sha256:moved' },
      ],
    });
    const asked: string[] = [];
    const lookups = {
      getDigest: async (_: unknown, reference: string) => ({ digest: `sha256:of-${reference}` }),
      getCreated: async (_: unknown, digest: string) => {
        asked.push(digest);
        return digest === 'sha256:moved' ? '2026-05-20T00:00:00Z' : '2026-05-01T00:00:00Z';
      },
    };
    await addReleaseDates(
      [{ path: 'Dockerfile', manager: 'dockerfile', deps: [dep] }],
      lookups,
      undefined,
      new Map(),
    );
    expect(asked).toEqual(['sha256:of-22.16.0', 'sha256:moved']);
    expect(dep.updates!.map((u) => u.releaseTimestamp)).toEqual([
      undefined,
      '2026-05-01T00:00:00Z',
      '2026-05-20T00:00:00Z',
    ]);
  });

  it('records when the package release in use was published (lockfile or exact pin), not for ranges', async () => {
    const pkg = (depName: string, extra: Partial<Dependency>): Dependency => ({
      depName,
      registry: null,
      repository: null,
      tag: null,
      digest: null,
      value: '',
      line: depName.length,
      source: 'package-file',
      datasource: 'npm',
      updates: [{ type: 'major', newValue: '5.0.0', newDigest: null, newVersion: '5.0.0' }],
      ...extra,
    });
    const locked = pkg('express', { currentValue: '^4.18.0', lockedVersion: '4.18.2' });
    const pinned = pkg('left-pad', { currentValue: '1.3.0' });
    const ranged = pkg('lodash', { currentValue: '^4.0.0' });
    const failing = pkg('broken', { currentValue: '1.0.0' });
    const file: PackageFile = {
      path: 'package.json',
      manager: 'npm',
      deps: [locked, pinned, ranged, failing],
    };
    const packages = {
      getReleases: async (_: string, query: { packageName: string; withTimestamps?: boolean }) => {
        if (query.packageName === 'broken') throw new Error('not found');
        expect(query.withTimestamps).toBe(true);
        return {
          releases: [
            { version: '1.3.0', releaseTimestamp: '2020-01-01T00:00:00Z' },
            { version: '4.18.2', releaseTimestamp: '2022-10-08T00:00:00Z' },
            { version: '5.0.0', releaseTimestamp: '2024-09-10T00:00:00Z' },
          ],
        };
      },
    };
    const dates = new Map<string, string>();
    const noImages = { getDigest: async () => ({ digest: '' }), getCreated: async () => null };
    await addReleaseDates([file], noImages, packages, dates);
    expect(Object.fromEntries(dates)).toEqual({
      [releaseKey('package.json', locked)]: '2022-10-08T00:00:00Z',
      [releaseKey('package.json', pinned)]: '2020-01-01T00:00:00Z',
    });
    expect(locked.updates![0]!.releaseTimestamp).toBe('2024-09-10T00:00:00Z');
    expect(failing.updates![0]!.releaseTimestamp).toBeUndefined();
  });
});
