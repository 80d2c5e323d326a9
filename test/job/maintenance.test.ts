import { describe, expect, it } from 'vitest';
import type { MaintenanceSettings } from '../../src/config/schema.js';
import { decideRebuild, inMaintenance, type RebuildInput } from '../../src/job/maintenance.js';

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2026-11-23T03:00:00Z');
const SETTINGS: MaintenanceSettings = {
  enabled: false,
  inactiveDays: 90,
  workflow: 'docker.yml',
  inputs: { 'no-cache': 'true' },
  rebuildPullRequest: false,
  automerge: false,
};

describe('inMaintenance', () => {
  it.each([
    ['switched on', { enabled: true }, '2026-11-22T00:00:00Z', true],
    ['no push for 90 days', {}, new Date(NOW - 90 * DAY).toISOString(), true],
    ['pushed 89 days ago', {}, new Date(NOW - 89 * DAY).toISOString(), false],
    ['inactivity switched off', { inactiveDays: 0 }, '2020-01-01T00:00:00Z', false],
    ['never pushed', {}, null, false],
  ] as const)('%s', (_, settings, pushedAt, expected) => {
    expect(inMaintenance({ ...SETTINGS, ...settings }, pushedAt, NOW)).toBe(expected);
  });
});

describe('decideRebuild', () => {
  const base: RebuildInput = {
    settings: SETTINGS,
    maintenance: true,
    scheduled: true,
    requested: false,
    changedFiles: false,
    now: NOW,
  };

  it('dispatches the configured workflow with its inputs on the weekly run when no file changed', () => {
    expect(decideRebuild(base)).toEqual({
      kind: 'dispatch',
      workflow: 'docker.yml',
      inputs: { 'no-cache': 'true' },
    });
  });

  it.each([
    ['not in maintenance', { maintenance: false }, 'not in maintenance mode'],
    ['a push, not the schedule', { scheduled: false }, 'rebuilds run on the weekly schedule'],
    ['an update PR was opened', { changedFiles: true }, 'an update pull request rebuilds the images'],
    [
      'rebuilt two days ago (a rerun of the weekly job)',
      { lastRebuild: new Date(NOW - 2 * DAY).toISOString() },
      'rebuilt this week already',
    ],
  ] as const)('does nothing when %s', (_, change, why) => {
    expect(decideRebuild({ ...base, ...change })).toEqual({ kind: 'none', why });
  });

  it('rebuilds a week after the last rebuild', () => {
    expect(decideRebuild({ ...base, lastRebuild: new Date(NOW - 7 * DAY).toISOString() }).kind).toBe(
      'dispatch',
    );
  });

  it('a dashboard request rebuilds at once, even outside maintenance mode', () => {
    expect(
      decideRebuild({ ...base, maintenance: false, scheduled: false, changedFiles: true, requested: true })
        .kind,
    ).toBe('dispatch');
  });

  it('without a workflow: a rebuild PR when configured, else nothing with the reason', () => {
    const settings = { ...SETTINGS, workflow: null };
    expect(decideRebuild({ ...base, settings: { ...settings, rebuildPullRequest: true } })).toEqual({
      kind: 'pull-request',
    });
    expect(decideRebuild({ ...base, settings })).toEqual({
      kind: 'none',
      why: 'no rebuild workflow configured (maintenance.workflow)',
    });
  });
});
