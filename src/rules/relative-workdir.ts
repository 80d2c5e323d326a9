import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): WORKDIR not absolute (and not a variable)
export const rule: Rule = {
  id: 'DH901',
  slug: 'relative-workdir',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3000', 'CKV_DOCKER_10', 'DS-0009'],
  check: () => [],
};
