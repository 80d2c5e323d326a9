import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE } from '../../src/queue/schedules.js';
import { scheduleFromOrgConfig } from '../../src/worker/org-schedule.js';

describe('scheduleFromOrgConfig', () => {
  it('uses the default (config/default.yml agrees with the queue) without a file, a schedule, or content', async () => {
    for (const text of [null, '', 'dashboard: false\n'])
      expect(await scheduleFromOrgConfig('acme', text)).toEqual({ schedule: DEFAULT_SCHEDULE });
  });

  it('reads cron and timezone, each over the default', async () => {
    expect(
      await scheduleFromOrgConfig(
        'acme',
        "schedule:\n  cron: '0 0 6 * * 1-5'\n  timezone: America/New_York\n",
      ),
    ).toEqual({ schedule: { cron: '0 0 6 * * 1-5', tz: 'America/New_York' } });
    expect(await scheduleFromOrgConfig('acme', 'schedule:\n  timezone: Asia/Tokyo\n')).toEqual({
      schedule: { cron: DEFAULT_SCHEDULE.cron, tz: 'Asia/Tokyo' },
    });
  });

  it.each([
    ['schedule: [1, 2]\n', 'schedule: expected a mapping, got a list'],
    [
      "schedule:\n  cron: '0 3 * * 1'\n",
      'schedule.cron: expected a 6-field cron (with seconds), got "0 3 * * 1"',
    ],
    ['schedule:\n  cron: 5\n', 'schedule.cron: expected a string, got 5'],
    [
      'schedule:\n  timezone: Mars/Olympus\n',
      'schedule.timezone: expected an IANA time zone such as Europe/Berlin, got "Mars/Olympus"',
    ],
    ['schedule:\n  every: monday\n', 'schedule: unknown field "every"'],
    ['- a list\n', 'expected a mapping, got a list'],
    ['schedule: {\n', 'line 2: invalid YAML'],
    ['schedule:\n', 'schedule: expected a mapping, got nothing'],
  ])('falls back to the default with a warning for %j', async (text, why) => {
    const { schedule, warning } = await scheduleFromOrgConfig('acme', text);
    expect(schedule).toEqual(DEFAULT_SCHEDULE);
    expect(warning).toContain(`acme/.github/dockhand.yml: ${why}`);
    expect(warning).toMatch(/; using the default schedule$/);
  });
});
