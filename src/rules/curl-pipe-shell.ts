import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `curl …
export const rule: Rule = {
  id: 'DH503',
  slug: 'curl-pipe-shell',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: [],
  check: () => [],
};
