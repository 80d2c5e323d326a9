import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `FROM --platform=<constant>` or redundant `--platform=$TARGETPLATFORM`
export const rule: Rule = {
  id: 'DH803',
  slug: 'platform-flag',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3029', 'DL3065'],
  check: () => [],
};
