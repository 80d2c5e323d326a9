import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): apt/apk/yum/dnf/zypper/pip/npm install without cleanup or `--no-cache(-dir)` and without a cache or tmpfs mount
export const rule: Rule = {
  id: 'DH603',
  slug: 'package-cache-left',
  severity: 'info',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['DL3009', 'DL3019', 'DL3032', 'DL3036', 'DL3040', 'DL3042', 'DL3060', 'DS-0015/19/20/25/27'],
  check: () => [],
};
