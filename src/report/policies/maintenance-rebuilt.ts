import { z } from 'zod';
import { daysBetween, noData, resultFrom, type Policy } from './types.js';

const options = z.strictObject({
  /** A repository in maintenance mode fails when its last successful rebuild is older than this. */
  maxDays: z.number().int().min(0),
});

export const policy: Policy<typeof options> = {
  id: 'maintenance-rebuilt',
  title: 'Maintenance rebuilds',
  description:
    'A repository in maintenance mode was rebuilt (workflow dispatch or rebuild PR seen to succeed) within maxDays. No data outside maintenance mode, and in the CLI.',
  options,
  defaults: { maxDays: 8 },
  evaluate(facts, { maxDays }) {
    const maintenance = facts.maintenance;
    if (maintenance === null) return noData(policy, 'no maintenance data (the app records it)');
    if (!maintenance.enabled) return noData(policy, 'not in maintenance mode');
    const at = { file: null, line: null, image: null };
    if (maintenance.lastRebuildAt === null)
      return resultFrom(
        policy,
        [{ ...at, status: 'fail', message: 'no successful rebuild seen', since: null }],
        {
          pass: '',
          none: '',
        },
      );
    const days = daysBetween(maintenance.lastRebuildAt, facts.scannedAt);
    const status = days > maxDays ? 'fail' : 'pass';
    return resultFrom(
      policy,
      [
        {
          ...at,
          status,
          message: `last rebuild ${days} days ago (limit ${maxDays})`,
          since: maintenance.lastRebuildAt,
        },
      ],
      { pass: `rebuilt ${days} days ago`, none: '' },
    );
  },
};
