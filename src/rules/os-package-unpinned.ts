import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): apt/apk/yum/dnf/zypper packages without versions
export const rule: Rule = {
  id: 'DH703',
  slug: 'os-package-unpinned',
  severity: 'info',
  enabledByDefault: false,
  title: '',
  docs: '',
  equivalents: ['DL3008', 'DL3018', 'DL3033', 'DL3037', 'DL3041'],
  check: () => [],
};
