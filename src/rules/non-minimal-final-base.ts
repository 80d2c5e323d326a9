import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): final stage uses a full distro/language image where a `-slim`, `-alpine`, distroless or scratch variant exists
export const rule: Rule = {
  id: 'DH601',
  slug: 'non-minimal-final-base',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['Scout allowlists'],
  check: () => [],
};
