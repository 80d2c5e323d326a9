import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): ADD of a local file/dir that is not an archive to extract
export const rule: Rule = {
  id: 'DH903',
  slug: 'add-instead-of-copy',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3020', 'CKV_DOCKER_4', 'DS-0005'],
  check: () => [],
};
