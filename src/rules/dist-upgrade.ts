import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `apt-get dist-upgrade`, `zypper dist-upgrade` (plain `apt-get upgrade` is fine)
export const rule: Rule = {
  id: 'DH304',
  slug: 'dist-upgrade',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DS-0024', 'DL3035'],
  check: () => [],
};
