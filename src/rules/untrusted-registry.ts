import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): base or `COPY --from`/`RUN --mount from=` image outside the configured trusted registries/patterns (only when configured)
export const rule: Rule = {
  id: 'DH502',
  slug: 'untrusted-registry',
  severity: 'error',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3026', 'Scout Approved Base Images'],
  check: () => [],
};
