import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): single-stage build (or final stage) installs compilers/build tools (gcc, build-essential, make, *-dev packages)
export const rule: Rule = {
  id: 'DH602',
  slug: 'build-tools-in-final-stage',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: [],
  check: () => [],
};
