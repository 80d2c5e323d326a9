import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE } from '../../src/queue/schedules.js';
import { scheduleFromOrgConfig } from '../../src/worker/org-schedule.js';

describe('scheduleFromOrgConfig', () => {
  it('uses the default without a file, without a schedule, or with an empty file', () => {
    for (const text of [null, '', 'dashboard: false\n', 'schedule:\n'])
      expect(scheduleFromOrgConfig(text)).toEqual({ schedule: DEFAULT_SCHEDULE });
  });

  it('reads cron and timezone, each over the default', () => {
    expect(
      scheduleFromOrgConfig("schedule:\n  cron: '0 0 6 * * 1-5'\n  timezone: America/New_York\n"),
    ).toEqual({
      schedule: { cron: '0 0 6 * * 1-5', tz: 'America/New_York' },
    });
    expect(scheduleFromOrgConfig('schedule:\n  timezone: Asia/Tokyo\n')).toEqual({
      schedule: { cron: DEFAULT_SCHEDULE.cron, tz: 'Asia/Tokyo' },
    });
  });

  it.each([
    ['schedule: [1, 2]\n', 'schedule: expected a mapping with cron and timezone'],
    [
      "schedule:\n  cron: '0 3 * * 1'\n",
      'schedule.cron: expected a 6-field cron (with seconds), got "0 3 * * 1"',
    ],
    ['schedule:\n  cron: 5\n', 'schedule.cron: expected a 6-field cron (with seconds), got 5'],
    [
      'schedule:\n  timezone: Mars/Olympus\n',
      'schedule.timezone: expected an IANA time zone, got "Mars/Olympus"',
    ],
    ['schedule:\n  every: monday\n', 'schedule.every: unknown field (expected cron, timezone)'],
    ['- a list\n', 'expected a mapping'],
    ['schedule: {\n', 'not valid YAML'],
  ])('falls back to the default with a warning for %j', (text, why) => {
    const { schedule, warning } = scheduleFromOrgConfig(text);
    expect(schedule).toEqual(DEFAULT_SCHEDULE);
    expect(warning).toContain(`.github/dockhand.yml: ${why}`);
    expect(warning).toMatch(/; using the default schedule$/);
  });
});
