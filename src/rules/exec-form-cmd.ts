import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): CMD/ENTRYPOINT in shell form (signals not delivered to PID 1)
export const rule: Rule = {
  id: 'DH902',
  slug: 'exec-form-cmd',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3025'],
  check: () => [],
};
