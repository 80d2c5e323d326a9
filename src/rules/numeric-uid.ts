import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): final USER is a name, not a numeric uid (Kubernetes runAsNonRoot cannot verify names)
export const rule: Rule = {
  id: 'DH202',
  slug: 'numeric-uid',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3066'],
  check: () => [],
};
