import { z } from 'zod';
import { noData, type Evidence, type Policy, type PolicyResult } from './types.js';

const options = z.strictObject({
  /** Fail above this many outdated npm/Python dependencies; null: figures only. */
  maxOutdated: z.number().int().min(0).nullable(),
  /** Fail above this many libyears; null: figures only. */
  maxLibyears: z.number().min(0).nullable(),
});

export const policy: Policy<typeof options> = {
  id: 'outdated-dependencies',
  title: 'Outdated dependencies',
  description:
    'npm and Python dependencies: how many are outdated and their libyears (years between the release in use and the newest). Figures only (no data) unless maxOutdated or maxLibyears is set. Needs registry lookups (--resolve).',
  options,
  defaults: { maxOutdated: null, maxLibyears: null },
  evaluate(facts, { maxOutdated, maxLibyears }) {
    const p = facts.packages;
    if (p.total === 0) return noData(policy, 'no npm or Python dependencies');
    const figures = {
      total: p.total,
      outdated: p.outdated,
      libyears: p.libyears,
      libyearsUnknown: p.libyearsUnknown,
    };
    if (!facts.resolved) return { ...noData(policy, 'registries not asked (run with --resolve)'), figures };
    const evidence: Evidence[] = p.worst.map((w) => ({
      status: 'no-data',
      file: w.file,
      line: w.line,
      image: null,
      message: `${w.name} ${w.current} → ${w.newest}${w.libyears !== null ? ` (${w.libyears} libyears)` : ' (dates unknown)'}`,
      since: null,
    }));
    const unknown = p.libyearsUnknown ? ` (${p.libyearsUnknown} without dates)` : '';
    const summary = `${p.outdated} of ${p.total} ${p.total === 1 ? 'dependency' : 'dependencies'} outdated, ${p.libyears} libyears${unknown}`;
    const result: PolicyResult = {
      policy: policy.id,
      title: policy.title,
      status: 'no-data',
      summary,
      evidence,
      since: null,
      figures,
    };
    if (maxOutdated === null && maxLibyears === null) return result;
    const over =
      (maxOutdated !== null && p.outdated > maxOutdated) ||
      (maxLibyears !== null && p.libyears > maxLibyears);
    const status = over ? 'fail' : 'pass';
    return { ...result, status, evidence: evidence.map((e) => ({ ...e, status })) };
  },
};
