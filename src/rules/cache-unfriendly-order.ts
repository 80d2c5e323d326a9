import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `COPY . .` before `npm ci|install`, `pip install -r`, `go mod download`, `bundle install`, `composer install` in the same stage
export const rule: Rule = {
  id: 'DH606',
  slug: 'cache-unfriendly-order',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: [],
  check: () => [],
};
