import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `apt-get install` without `--no-install-recommends`
export const rule: Rule = {
  id: 'DH604',
  slug: 'no-install-recommends',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3015', 'DS-0029'],
  check: () => [],
};
