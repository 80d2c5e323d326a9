import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `ADD http(s)://…` without `--checksum`
export const rule: Rule = {
  id: 'DH504',
  slug: 'add-remote-url',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3020', 'DS-0005'],
  check: () => [],
};
