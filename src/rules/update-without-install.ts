import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `apt-get update` / `apk update` in a RUN without an install in the same RUN
export const rule: Rule = {
  id: 'DH303',
  slug: 'update-without-install',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['CKV_DOCKER_5', 'DS-0017'],
  check: () => [],
};
