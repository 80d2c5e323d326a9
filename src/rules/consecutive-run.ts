import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): consecutive RUNs with identical flags that could be one layer
export const rule: Rule = {
  id: 'DH607',
  slug: 'consecutive-run',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3059'],
  check: () => [],
};
