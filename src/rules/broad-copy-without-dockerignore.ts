import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `COPY . …`/`ADD . …` and the build context has no `.dockerignore`, or it does not exclude `.git` and `.env*`
export const rule: Rule = {
  id: 'DH102',
  slug: 'broad-copy-without-dockerignore',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: [],
  check: () => [],
};
