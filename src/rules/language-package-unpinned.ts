import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `pip install x`, `npm install -g x`, `gem install x`, `go install x@latest` without versions (requirement files are fine)
export const rule: Rule = {
  id: 'DH704',
  slug: 'language-package-unpinned',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3013', 'DL3016', 'DL3028', 'DL3062'],
  check: () => [],
};
