import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): more than one CMD or ENTRYPOINT in a stage
export const rule: Rule = {
  id: 'DH908',
  slug: 'multiple-cmd-entrypoint',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL4003', 'DL4004', 'DS-0016', 'DS-0007'],
  check: () => [],
};
