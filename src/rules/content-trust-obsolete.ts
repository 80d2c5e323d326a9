import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `DOCKER_CONTENT_TRUST=1` (Docker Content Trust for Docker Hub is retired; use cosign signatures)
export const rule: Rule = {
  id: 'DH505',
  slug: 'content-trust-obsolete',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: [],
  check: () => [],
};
