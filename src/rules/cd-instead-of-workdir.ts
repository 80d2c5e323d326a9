import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `RUN cd … &&` as a first command
export const rule: Rule = {
  id: 'DH904',
  slug: 'cd-instead-of-workdir',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3003', 'DS-0013'],
  check: () => [],
};
