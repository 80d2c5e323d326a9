import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): RUN with a pipe under /bin/sh without `set -o pipefail` or a SHELL with pipefail (not for ash/busybox-only images? document the choice)
export const rule: Rule = {
  id: 'DH905',
  slug: 'pipefail',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL4006'],
  check: () => [],
};
