import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): apt-get/yum/dnf/zypper install without `-y`
export const rule: Rule = {
  id: 'DH605',
  slug: 'non-interactive-install',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3014', 'DL3030', 'DL3034', 'DL3038', 'DS-0021'],
  check: () => [],
};
