import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `COPY --from=name` where name is the current stage
export const rule: Rule = {
  id: 'DH909',
  slug: 'copy-from-unknown-or-self',
  severity: 'error',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3023', 'DS-0006'],
  check: () => [],
};
