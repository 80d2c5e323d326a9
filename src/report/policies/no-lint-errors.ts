import { z } from 'zod';
import { count, resultFrom, type Evidence, type Policy } from './types.js';

const options = z.strictObject({});

export const policy: Policy<typeof options> = {
  id: 'no-lint-errors',
  title: 'No lint errors',
  description: 'No error-level lint finding in any Dockerfile (severities as configured).',
  options,
  defaults: {},
  evaluate(facts) {
    if (facts.dockerfiles.length === 0) return resultFrom(policy, [], { pass: '', none: 'no Dockerfiles' });
    const { errors, errorTotal, counts } = facts.lint;
    const evidence: Evidence[] = errors.map((f) => ({
      status: 'fail',
      file: f.file,
      line: f.line,
      image: null,
      message: `${f.rule} ${f.slug}: ${f.message}`,
      since: null,
    }));
    const result = resultFrom(policy, evidence, { pass: '', none: '' });
    if (errorTotal === 0)
      return {
        ...result,
        status: 'pass',
        summary: `no errors (${count(counts.warning, 'warning')}, ${counts.info} info)`,
      };
    return {
      ...result,
      summary: `${count(errorTotal, 'error')}${errorTotal > errors.length ? ` (first ${errors.length} listed)` : ''}`,
    };
  },
};
