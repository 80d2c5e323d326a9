import { describe, expect, it } from 'vitest';
import { decideAutomerge, failedChecks, type AutomergeInput } from '../../src/job/automerge.js';

const run = (name: string, status = 'completed', conclusion: string | null = 'success') => ({
  name,
  status,
  conclusion,
});

const base: AutomergeInput = {
  eligible: true,
  ownHead: true,
  inWindow: true,
  autoMergeEnabled: false,
  mergeableState: 'clean',
  settings: { allowAutoMerge: false, methods: ['merge', 'squash', 'rebase'] },
  requiredChecks: [],
  checks: { checkRuns: [run('build')], statuses: [] },
  ownCheckName: 'Dockhand',
  withoutChecks: false,
};
const decide = (changes: Partial<AutomergeInput>) => decideAutomerge({ ...base, ...changes });

describe('decideAutomerge', () => {
  it('merges a PR whose checks all passed, squash first', () => {
    expect(decide({})).toEqual({ kind: 'merge', method: 'squash' });
    expect(decide({ settings: { allowAutoMerge: false, methods: ['rebase', 'merge'] } })).toEqual({
      kind: 'merge',
      method: 'merge',
    });
  });

  it('never merges what it may not: off, a head someone else pushed, outside the window', () => {
    expect(decide({ eligible: false }).kind).toBe('skip');
    expect(decide({ ownHead: false })).toEqual({ kind: 'skip', why: 'someone else pushed to the branch' });
    expect(decide({ inWindow: false })).toEqual({ kind: 'skip', why: 'outside automergeSchedule' });
    expect(decide({ autoMergeEnabled: true }).kind).toBe('skip');
  });

  it('hands the PR to GitHub’s auto-merge when allowed and the base requires checks still running', () => {
    expect(
      decide({
        settings: { allowAutoMerge: true, methods: ['squash'] },
        requiredChecks: ['build'],
        checks: { checkRuns: [run('build', 'in_progress', null)], statuses: [] },
      }),
    ).toEqual({ kind: 'enable-native', method: 'squash' });
    // Required checks already green: GitHub would refuse ("clean status"), so Dockhand merges.
    expect(
      decide({ settings: { allowAutoMerge: true, methods: ['squash'] }, requiredChecks: ['build'] }),
    ).toEqual({
      kind: 'merge',
      method: 'squash',
    });
  });

  it('waits while checks run or a required one has not reported', () => {
    expect(decide({ checks: { checkRuns: [run('build', 'queued', null)], statuses: [] } }).kind).toBe('wait');
    expect(
      decide({ checks: { checkRuns: [run('build')], statuses: [{ context: 'ci/x', state: 'pending' }] } })
        .kind,
    ).toBe('wait');
    expect(decide({ requiredChecks: ['e2e'] }).kind).toBe('wait');
    expect(decide({ mergeableState: null }).kind).toBe('wait');
  });

  it('names the failed checks, runs and statuses', () => {
    const checks = {
      checkRuns: [
        run('build', 'completed', 'failure'),
        run('lint', 'completed', 'skipped'),
        run('e2e', 'completed', 'timed_out'),
      ],
      statuses: [{ context: 'ci/legacy', state: 'error' as const }],
    };
    expect(decide({ checks })).toEqual({ kind: 'failed', checks: ['build', 'ci/legacy', 'e2e'] });
    expect(failedChecks({ checkRuns: [run('ok')], statuses: [] })).toEqual([]);
  });

  it('does not count Dockhand’s own lint check as proof, unless the repository opted in', () => {
    const onlyOwn = { checkRuns: [run('Dockhand')], statuses: [] };
    expect(decide({ checks: onlyOwn }).kind).toBe('blocked');
    expect(decide({ checks: { checkRuns: [], statuses: [] } }).kind).toBe('blocked');
    expect(decide({ checks: onlyOwn, withoutChecks: true })).toEqual({ kind: 'merge', method: 'squash' });
  });

  it('rebases a PR behind a base that requires up-to-date branches; reports protection it cannot satisfy', () => {
    expect(decide({ mergeableState: 'behind' })).toEqual({ kind: 'rebase' });
    expect(decide({ mergeableState: 'blocked' })).toEqual({
      kind: 'blocked',
      reason: 'branch protection requires more than passing checks (reviews or other rules)',
    });
    expect(decide({ settings: { allowAutoMerge: false, methods: [] } }).kind).toBe('blocked');
  });
});
