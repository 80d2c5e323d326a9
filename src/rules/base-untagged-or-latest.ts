import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): FROM (or COPY --from / mount from image) with no tag or `latest` and no digest; skips scratch, stage names, unresolved `$VAR`
export const rule: Rule = {
  id: 'DH701',
  slug: 'base-untagged-or-latest',
  severity: 'error',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3006', 'DL3007', 'CKV_DOCKER_7', 'DS-0001'],
  check: () => [],
};
