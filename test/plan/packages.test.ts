import { describe, expect, it } from 'vitest';
import type { UpdatePolicy } from '../../src/config/schema.js';
import type { Dependency } from '../../src/core/types.js';
import type { Release, ReleaseResult } from '../../src/datasources/types.js';
import { planPackage } from '../../src/plan/packages.js';
import { policyFor } from '../../src/plan/policy.js';
import { rangeStrategyFor } from '../../src/plan/range-strategy.js';
import { pep440 } from '../../src/versioning/pep440/index.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');

const defaults: UpdatePolicy = {
  pinDigests: false,
  separateMajor: true,
  updateTypes: ['major', 'minor', 'patch', 'digest', 'pin', 'replace'],
  minimumReleaseAgeDays: 0,
  allowedVersions: '',
  ltsOnly: true,
  moveSuffix: false,
  rangeStrategy: 'auto',
  automerge: false,
  ignore: [],
  rules: [],
};

function requirement(currentValue: string, extra: Partial<Dependency> = {}): Dependency {
  return {
    depName: 'requests',
    registry: null,
    repository: null,
    tag: null,
    digest: null,
    value: currentValue,
    line: 1,
    source: 'from',
    datasource: 'pypi',
    versioning: 'pep440',
    packageName: 'requests',
    currentValue,
    depType: 'requirements',
    ...extra,
  };
}

const releases = (...versions: (string | Release)[]): ReleaseResult => ({
  releases: versions.map((v) => (typeof v === 'string' ? { version: v } : v)),
});

function plan(dep: Dependency, result: ReleaseResult, updates: Partial<UpdatePolicy> = {}, runtime?: string) {
  const policy = policyFor({ ...defaults, ...updates }, dep, 'requirements.txt', 'pip-requirements');
  return planPackage(dep, result, pep440, policy, {
    now: NOW,
    ...(runtime
      ? {
          runtime: {
            kind: 'python' as const,
            version: runtime,
            image: `python:${runtime}-slim`,
            versioning: pep440,
          },
        }
      : {}),
  });
}

describe('planPackage', () => {
  it('a pin moves to the highest major and, apart, the highest minor of its own major', () => {
    const result = plan(requirement('==2.28.0'), releases('2.28.0', '2.28.2', '2.31.0', '3.0.1', '3.1.0'));
    expect(result.updates).toEqual([
      { type: 'major', newValue: '==3.1.0', newDigest: null, newVersion: '3.1.0' },
      { type: 'minor', newValue: '==2.31.0', newDigest: null, newVersion: '2.31.0' },
    ]);
  });

  it('patch when only the patch moved; nothing when nothing is newer', () => {
    expect(plan(requirement('==2.31.0'), releases('2.31.0', '2.31.4')).updates).toEqual([
      { type: 'patch', newValue: '==2.31.4', newDigest: null, newVersion: '2.31.4' },
    ]);
    expect(plan(requirement('==2.31.0'), releases('2.30.0', '2.31.0')).updates).toEqual([]);
  });

  it('separateMajor: false proposes only the newest version', () => {
    const result = plan(requirement('==2.28.0'), releases('2.28.0', '2.31.0', '3.1.0'), {
      separateMajor: false,
    });
    expect(result.updates.map((u) => u.newVersion)).toEqual(['3.1.0']);
  });

  it('never proposes yanked releases or prereleases to a stable user', () => {
    const result = plan(
      requirement('==2.28.0'),
      releases('2.28.0', { version: '2.31.0', isYanked: true }, '2.30.0', '3.0.0rc1', '3.0.0.dev2'),
    );
    expect(result.updates.map((u) => u.newVersion)).toEqual(['2.30.0']);
  });

  it('a range without a lockfile is rewritten only when the new version falls outside it', () => {
    const result = plan(requirement('>=2.28,<3'), releases('2.28.0', '2.31.0', '3.1.0'));
    expect(result.updates).toEqual([
      expect.objectContaining({ type: 'major', newVersion: '3.1.0', newValue: expect.stringMatching(/<4/) }),
    ]);
  });

  it('a range with a lockfile: an in-range version moves only the lockfile', () => {
    const dep = requirement('>=2.28,<3', { lockedVersion: '2.28.0', lockFile: 'poetry.lock' });
    const result = plan(dep, releases('2.28.0', '2.31.0'));
    expect(result.updates).toEqual([
      { type: 'minor', newValue: null, newDigest: null, newVersion: '2.31.0', isLockfileUpdate: true },
    ]);
  });

  it('the configured rangeStrategy wins over auto (bump raises the floor)', () => {
    const dep = requirement('>=2.28', { lockedVersion: '2.28.0', lockFile: 'uv.lock' });
    const result = plan(dep, releases('2.28.0', '2.31.0'), { rangeStrategy: 'bump' });
    expect(result.updates).toEqual([
      expect.objectContaining({ type: 'minor', newValue: '>=2.31', newVersion: '2.31.0' }),
    ]);
  });

  it('ignore rules and allowedVersions apply to package versions', () => {
    const dep = requirement('==2.28.0');
    const available = releases('2.28.0', '2.31.0', '3.1.0');
    expect(
      plan(dep, available, { ignore: [{ image: 'requests', updateTypes: ['major'] }] }).updates.map(
        (u) => u.newVersion,
      ),
    ).toEqual(['2.31.0']);
    expect(plan(dep, available, { allowedVersions: '^2\\.' }).updates.map((u) => u.newVersion)).toEqual([
      '2.31.0',
    ]);
  });

  it('minimumReleaseAgeDays: too young or undated releases wait', () => {
    const result = plan(
      requirement('==2.28.0'),
      releases(
        '2.28.0',
        { version: '2.29.0', releaseTimestamp: '2026-11-01T00:00:00Z' },
        { version: '2.30.0', releaseTimestamp: '2026-11-29T00:00:00Z' },
        { version: '2.31.0' },
      ),
      { minimumReleaseAgeDays: 7 },
    );
    expect(result.updates).toEqual([
      {
        type: 'minor',
        newValue: '==2.29.0',
        newDigest: null,
        newVersion: '2.29.0',
        releaseTimestamp: '2026-11-01T00:00:00Z',
      },
    ]);
  });

  it('a release whose requires-python excludes the image’s Python is held back, and says why', () => {
    const result = plan(
      requirement('==2.28.0'),
      releases(
        '2.28.0',
        { version: '2.30.0', constraints: { python: '>=3.7' } },
        { version: '2.32.0', constraints: { python: '>=3.10' } },
      ),
      {},
      '3.9',
    );
    expect(result.updates.map((u) => u.newVersion)).toEqual(['2.30.0']);
    expect(result.heldBack).toEqual({
      version: '2.32.0',
      reason: 'requires-python >=3.10 excludes Python 3.9 of python:3.9-slim',
    });
    // With a runtime it admits, nothing is held back.
    expect(
      plan(
        requirement('==2.28.0'),
        releases('2.28.0', { version: '2.32.0', constraints: { python: '>=3.10' } }),
        {},
        '3.12',
      ).heldBack,
    ).toBeUndefined();
  });

  it('skipped, disabled, unreadable and runtime declarations get nothing', () => {
    const available = releases('1.0.0', '2.0.0');
    expect(plan(requirement('==1.0.0', { skipReason: 'git' }), available).updates).toEqual([]);
    expect(plan(requirement('not a specifier'), available).updates).toEqual([]);
    expect(
      plan(requirement('>=3.8', { depName: 'python', depType: 'requires-python' }), available).updates,
    ).toEqual([]);
    expect(
      plan(requirement('==1.0.0'), available, {
        rules: [{ matchManagers: ['pip-requirements'], enabled: false }],
      }).updates,
    ).toEqual([]);
  });
});

describe('rangeStrategyFor', () => {
  it('auto: widen for peers, pin for exact versions, update-lockfile with a lockfile, else replace', () => {
    expect(rangeStrategyFor('auto', { currentValue: '>=1', depType: 'peerDependencies' }, pep440)).toBe(
      'widen',
    );
    expect(rangeStrategyFor('auto', { currentValue: '==1.2.3' }, pep440)).toBe('pin');
    expect(rangeStrategyFor('auto', { currentValue: '>=1.2', lockFile: 'uv.lock' }, pep440)).toBe(
      'update-lockfile',
    );
    expect(rangeStrategyFor('auto', { currentValue: '>=1.2' }, pep440)).toBe('replace');
    expect(rangeStrategyFor('bump', { currentValue: '==1.2.3' }, pep440)).toBe('bump');
  });
});
