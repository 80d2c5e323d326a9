import { z } from 'zod';
import { daysBetween, noData, resultFrom, type Evidence, type Policy } from './types.js';

const options = z.strictObject({
  /** A Dockhand PR open longer than this fails the policy. */
  maxOpenDays: z.number().int().min(0),
});

export const policy: Policy<typeof options> = {
  id: 'prs-acted-on',
  title: 'Dockhand PRs acted on',
  description:
    'No Dockhand pull request open longer than maxOpenDays. The app knows its PRs; the CLI has no data.',
  options,
  defaults: { maxOpenDays: 30 },
  evaluate(facts, { maxOpenDays }) {
    if (facts.pullRequests === null) return noData(policy, 'no pull request data (the app records it)');
    const evidence: Evidence[] = facts.pullRequests.map((pr) => {
      const days = daysBetween(pr.createdAt, facts.scannedAt);
      return {
        status: days > maxOpenDays ? 'fail' : 'pass',
        file: null,
        line: null,
        image: null,
        message: `#${pr.number} ${pr.title}: open ${days} days (limit ${maxOpenDays})`,
        since: pr.createdAt,
      };
    });
    if (evidence.length === 0)
      return { ...noData(policy, ''), status: 'pass', summary: 'no open Dockhand pull request' };
    return resultFrom(policy, evidence, { pass: 'every open PR is recent', none: '' });
  },
};
