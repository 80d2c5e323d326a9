import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `apt install` in RUN
export const rule: Rule = {
  id: 'DH906',
  slug: 'apt-not-apt-get',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3027', 'CKV_DOCKER_9'],
  check: () => [],
};
