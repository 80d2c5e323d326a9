import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): EXPOSE 22, EXPOSE < 1024 in a non-root image, or a port outside 0–65535
export const rule: Rule = {
  id: 'DH203',
  slug: 'privileged-or-ssh-port',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['CKV_DOCKER_1', 'DS-0004', 'DL3011'],
  check: () => [],
};
