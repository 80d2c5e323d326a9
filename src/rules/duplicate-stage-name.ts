import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): two stages with the same name (case-insensitive)
export const rule: Rule = {
  id: 'DH907',
  slug: 'duplicate-stage-name',
  severity: 'error',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3024', 'CKV_DOCKER_11', 'DS-0012'],
  check: () => [],
};
