import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): final stage has no USER, or its last USER is root/0 (`root:*`, `0:*`) — base images that default to non-root (distroless `:nonroot`, chainguard) count as non-root
export const rule: Rule = {
  id: 'DH201',
  slug: 'final-stage-root',
  severity: 'error',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3002', 'DS-0002', 'CKV_DOCKER_3/8', 'Scout Default Non-Root User'],
  check: () => [],
};
