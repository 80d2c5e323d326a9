import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): ARG/ENV name is a known secret (GITHUB_TOKEN, NPM_TOKEN, AWS_SECRET_ACCESS_KEY...) or contains password/secret/token/api_key/private_key/credentials; also a literal secret value (e.g. `ghp_…`, `AKIA…`, PEM header) in any instruction
export const rule: Rule = {
  id: 'DH101',
  slug: 'secret-in-arg-env',
  severity: 'error',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3064', 'DS-0031', 'BuildKit SecretsUsedInArgOrEnv'],
  check: () => [],
};
