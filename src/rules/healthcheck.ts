import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): no HEALTHCHECK in a service image
export const rule: Rule = {
  id: 'DH802',
  slug: 'healthcheck',
  severity: 'info',
  enabledByDefault: false,
  title: '',
  docs: '',
  equivalents: ['CKV_DOCKER_2', 'DS-0026', 'DL3057'],
  check: () => [],
};
