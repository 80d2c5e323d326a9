import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): missing `org.opencontainers.image.source` (and others configured)
export const rule: Rule = {
  id: 'DH801',
  slug: 'oci-labels',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3048', 'DL3049'],
  check: () => [],
};
