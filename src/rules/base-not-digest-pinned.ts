import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): FROM external image without `@sha256:` (skips scratch, stages)
export const rule: Rule = {
  id: 'DH702',
  slug: 'base-not-digest-pinned',
  severity: 'warning',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['Docker "pin base image versions"', 'Renovate pinDigests'],
  check: () => [],
};
