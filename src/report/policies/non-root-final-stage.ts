import { z } from 'zod';
import { resultFrom, type Evidence, type Policy } from './types.js';

const options = z.strictObject({});

export const policy: Policy<typeof options> = {
  id: 'non-root-final-stage',
  title: 'Non-root final stage',
  description:
    'Every Dockerfile’s final image runs as a non-root user: a USER other than root in the final stage (or a stage it is built on), or a base known to default to one. Implicit root (no USER) and an explicit USER root both fail, and the evidence says which.',
  options,
  defaults: {},
  evaluate(facts) {
    const evidence: Evidence[] = facts.dockerfiles.map(({ path, user }) => {
      const at = { file: path, line: user.line ?? null, image: null, since: null };
      switch (user.kind) {
        case 'implicit-root':
          return {
            ...at,
            status: 'fail',
            message: 'implicit root: the final stage sets no USER and its base runs as root',
          };
        case 'explicit-root':
          return { ...at, status: 'fail', message: `explicit root: USER ${user.user ?? 'root'}` };
        case 'non-root':
          return { ...at, status: 'pass', message: `USER ${user.user ?? ''}`.trim() };
        case 'non-root-base':
          return { ...at, status: 'pass', message: 'no USER; the base image defaults to a non-root user' };
        default:
          return {
            ...at,
            status: 'no-data',
            message: user.user
              ? `USER ${user.user} (a variable)`
              : 'the user cannot be told (variable base, or not parsed)',
          };
      }
    });
    return resultFrom(policy, evidence, {
      pass: 'every final stage runs as non-root',
      none: 'no Dockerfiles',
    });
  },
};
