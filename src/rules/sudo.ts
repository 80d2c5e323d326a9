import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `sudo` in RUN
export const rule: Rule = {
  id: 'DH204',
  slug: 'sudo',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3004', 'DS-0010', 'CKV2_DOCKER_1'],
  check: () => [],
};
