import { describe, expect, it } from 'vitest';
import { configFromTexts } from '../../src/config/load.js';
import type { Dependency, DependencyUpdate } from '../../src/core/types.js';
import { automergeEligible, inAutomergeWindow } from '../../src/job/automerge-settings.js';
import type { BranchPlan } from '../../src/job/types.js';
import { manager } from '../../src/managers/dockerfile/index.js';

function plan(updates: DependencyUpdate['type'][], text = 'FROM node:22.1.0\n'): BranchPlan {
  const [dep] = manager.extract(text, 'Dockerfile').deps as [Dependency];
  return {
    branch: 'dockhand/node-22.x',
    group: 'version',
    title: 't',
    images: [dep.depName],
    fingerprint: 'f',
    changes: updates.map((type) => ({
      path: 'Dockerfile',
      manager: 'dockerfile',
      dep,
      update: { type, newValue: '22.2.0', newDigest: null },
    })),
  };
}

describe('automergeEligible', () => {
  it('is off by default', async () => {
    expect(automergeEligible(plan(['patch']), await configFromTexts([]), false)).toBe(false);
  });

  it('follows the update types given, through rules for images, paths and managers', async () => {
    const config = await configFromTexts([
      {
        file: '.dockhand.yml',
        text: 'updates:\n  automerge: [digest, patch]\n  rules:\n    - matchImages: [node]\n      automerge: [minor]\n',
      },
    ]);
    expect(automergeEligible(plan(['minor']), config, false)).toBe(true);
    expect(automergeEligible(plan(['patch']), config, false)).toBe(false);
    expect(automergeEligible(plan(['minor'], 'FROM python:3.12\n'), config, false)).toBe(false);
    expect(automergeEligible(plan(['patch'], 'FROM python:3.12\n'), config, false)).toBe(true);
  });

  it('every change must be allowed; the maintenance preset adds digest, pin and patch in maintenance mode', async () => {
    const config = await configFromTexts([
      { file: '.dockhand.yml', text: 'maintenance:\n  automerge: true\n' },
    ]);
    expect(automergeEligible(plan(['digest', 'patch']), config, true)).toBe(true);
    expect(automergeEligible(plan(['patch', 'minor']), config, true)).toBe(false);
    expect(automergeEligible(plan(['patch']), config, false)).toBe(false);
  });
});

describe('inAutomergeWindow', () => {
  const schedule = { cron: '* * 0-5 * * 1-5', timezone: 'Europe/Berlin' };
  it('is any time without a schedule', () => {
    expect(inAutomergeWindow(null, Date.parse('2026-12-02T14:00:00Z'))).toBe(true);
  });
  it('matches the current minute against the cron in its time zone', () => {
    // Wednesday 04:59 and 05:00 in Berlin (UTC+1).
    expect(inAutomergeWindow(schedule, Date.parse('2026-12-02T03:59:30Z'))).toBe(true);
    expect(inAutomergeWindow(schedule, Date.parse('2026-12-02T05:00:10Z'))).toBe(false);
    // Saturday night.
    expect(inAutomergeWindow(schedule, Date.parse('2026-12-05T02:00:00Z'))).toBe(false);
  });
});
