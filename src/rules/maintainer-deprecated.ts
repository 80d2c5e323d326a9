import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): MAINTAINER instruction
export const rule: Rule = {
  id: 'DH910',
  slug: 'maintainer-deprecated',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL4000', 'CKV_DOCKER_6', 'DS-0022'],
  check: () => [],
};
