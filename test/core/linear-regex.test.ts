// Patterns from configuration run in linear time. The inputs here would take V8's backtracking engine
// far longer than the test's timeout (2^n steps for `^(a+)+$`, n^k for a glob with k stars); a linear
// engine answers at once, so these tests finish only if no backtracking happens.
import { describe, expect, it } from 'vitest';
import { linearRegExp, linearRegExpProblem } from '../../src/core/linear-regex.js';
import { policyFor } from '../../src/plan/policy.js';
import { planDependency, type RegistryLookups } from '../../src/plan/plan.js';
import { pathMatcher } from '../../src/scan/glob.js';
import { patternRegex } from '../../src/rules/untrusted-registry.js';
import type { Dependency } from '../../src/core/types.js';
import type { UpdatePolicy } from '../../src/config/schema.js';

const LONG = `${'a'.repeat(100_000)}-`;

describe('linearRegExp', () => {
  it('matches as RegExp#test does for the patterns configurations use', () => {
    expect(linearRegExp('^(20|22)\\.').test('22.3.0')).toBe(true);
    expect(linearRegExp('^(20|22)\\.').test('21.0.0')).toBe(false);
    expect(linearRegExp('alpine').test('3.20-alpine')).toBe(true);
    expect(linearRegExp('^v?\\d+\\.\\d+$').test('v1.25')).toBe(true);
    expect(linearRegExp('^ab$', { ignoreCase: true }).test('AB')).toBe(true);
  });

  it('answers the catastrophic pattern ^(a+)+$ on a long non-matching input', () => {
    expect(linearRegExp('^(a+)+$').test(LONG)).toBe(false);
  });

  it('names what it cannot run: lookaround and backreferences', () => {
    expect(linearRegExpProblem('(?=a)b')).toMatch(/lookaround and backreferences are not supported/);
    expect(linearRegExpProblem('(a)\\1')).toMatch(/lookaround and backreferences are not supported/);
    expect(linearRegExpProblem('((')).toMatch(/missing closing \)/);
    expect(linearRegExpProblem('^\\d+$')).toBeNull();
  });
});

describe('patterns from configuration', () => {
  const dep: Dependency = {
    depName: 'docker.io/library/node',
    registry: 'docker.io',
    repository: 'library/node',
    tag: '20.1.0',
  } as Dependency;
  const updates: UpdatePolicy = {
    pinDigests: false,
    separateMajor: true,
    updateTypes: ['major', 'minor', 'patch'],
    minimumReleaseAgeDays: 0,
    allowedVersions: '^(a+)+$',
    ltsOnly: false,
    moveSuffix: false,
    rangeStrategy: 'auto',
    automerge: false,
    ignore: [{ image: '*a*a*a*a*a*a*a*a*b', versions: '(x+x+)+y' }],
    rules: [],
  };

  it('plans against a registry serving a tag built to stall allowedVersions and ignores', async () => {
    const lookups = {
      getTags: async () => ['20.1.0', '20.2.0', LONG],
      getDigest: async () => ({ digest: `sha256:${'0'.repeat(64)}`, mediaType: '' }),
    } as unknown as RegistryLookups;
    const plan = await planDependency(dep, policyFor(updates, dep, 'Dockerfile', 'dockerfile'), lookups);
    expect(plan).toEqual({ updates: [] });
  });

  it('matches globs with many stars against long names', () => {
    const longName = `${'a'.repeat(50_000)}/x`;
    expect(pathMatcher(['**/*a*a*a*a*a*a*a*a*a*b'])(longName)).toBe(false);
    expect(patternRegex('*a*a*a*a*a*a*a*a*b').test(`docker.io/${'a'.repeat(50_000)}`)).toBe(false);
    const named = { ...dep, depName: `docker.io/${'a'.repeat(50_000)}`, repository: 'a'.repeat(50_000) };
    expect(policyFor(updates, named, 'Dockerfile', 'dockerfile').ignored).toEqual([]);
  });
});
