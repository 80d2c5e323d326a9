// relockBranch: which lockfiles a branch's package edits leave stale, what the relocker is given, and
// what the PR is told.
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../src/core/types.js';
import type { BranchFiles } from '../../src/job/edits.js';
import { relockBranch } from '../../src/job/relock.js';
import type { RelockRequest, RelockResult } from '../../src/lockfiles/index.js';

const dep = (depName: string): Dependency => ({
  depName,
  value: '^1.0.0',
  line: 3,
  source: 'package-file',
  registry: null,
  repository: null,
  tag: null,
  digest: null,
  datasource: 'npm',
  currentValue: '^1.0.0',
  lockFile: 'package-lock.json',
});
const update = { type: 'major' as const, newValue: '^2.0.0', newDigest: null, newVersion: '2.0.0' };

function built(): BranchFiles {
  return {
    files: new Map([
      ['package.json', Buffer.from('{"workspaces":["packages/*"]}')],
      ['packages/a/package.json', Buffer.from('{"name":"a","dependencies":{"x":"^2.0.0"}}')],
    ]),
    applied: [
      { path: 'package.json', manager: 'npm', dep: dep('x'), update },
      { path: 'packages/a/package.json', manager: 'npm', dep: dep('x'), update },
    ],
    problems: [],
  };
}
const base = new Map<string, Uint8Array>([
  ['package.json', Buffer.from('{"workspaces":["packages/*"]}')],
  ['packages/a/package.json', Buffer.from('{"name":"a","dependencies":{"x":"^1.0.0"}}')],
  ['package-lock.json', Buffer.from('{"lockfileVersion":3}')],
]);
const registries = { npm: 'https://npm.internal/', pypi: 'https://pypi.internal/simple' };

describe('relockBranch', () => {
  it('relocks each stale lockfile once, reading the branch’s own edits first, and passes notes on', async () => {
    const requests: RelockRequest[] = [];
    const seen: (string | undefined)[] = [];
    const relock = async (request: RelockRequest): Promise<RelockResult> => {
      requests.push(request);
      seen.push(await request.readFile('packages/a/package.json'));
      return { ok: true, lockfile: '{"lockfileVersion":3,"new":true}', notes: ['npm@9.9.9 was not used'] };
    };
    const branch = built();
    const stale = await relockBranch(branch, base, { registries, depsByPath: new Map(), relock });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      manifestPath: 'package.json',
      lockPath: 'package-lock.json',
      registries,
    });
    expect(seen).toEqual(['{"name":"a","dependencies":{"x":"^2.0.0"}}']);
    expect(branch.files.get('package-lock.json')!.toString()).toBe('{"lockfileVersion":3,"new":true}');
    expect(stale).toEqual({ paths: [], notes: ['`package-lock.json`: npm@9.9.9 was not used'] });
  });

  it('leaves a lockfile it could not regenerate as it was, and says why', async () => {
    const branch = built();
    const stale = await relockBranch(branch, base, {
      registries,
      depsByPath: new Map(),
      relock: async () => ({ ok: false, reason: 'npm exited with 1' }),
    });
    expect(branch.files.has('package-lock.json')).toBe(false);
    expect(stale).toEqual({
      paths: ['package-lock.json'],
      notes: ['`package-lock.json` was not updated: npm exited with 1'],
    });
  });

  it('starts no package manager once the job’s time is up, and says so', async () => {
    const branch = built();
    let runs = 0;
    const stale = await relockBranch(branch, base, {
      registries,
      depsByPath: new Map(),
      deadline: Date.now() - 1,
      relock: async () => {
        runs++;
        return { ok: true, lockfile: '{}' };
      },
    });
    expect(runs).toBe(0);
    expect(stale).toEqual({
      paths: ['package-lock.json'],
      notes: [
        "`package-lock.json` was not updated: the job's time (jobDeadlineSeconds) ran out before it could be regenerated",
      ],
    });
  });
});
