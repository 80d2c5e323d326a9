import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { renderRulesMarkdown } from '../../src/rules/docs.js';
import { rules } from '../../src/rules/index.js';

describe('rule documentation', () => {
  test('docs/rules.md is generated from the catalog (run `npm run docs` after changing a rule)', () => {
    const onDisk = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderRulesMarkdown(rules));
  });

  test('every rule has a unique id and slug, a title, docs and an anchor', () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(new Set(rules.map((r) => r.slug)).size).toBe(rules.length);
    const page = renderRulesMarkdown(rules);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^DH\d{3}$/);
      expect(rule.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.title.length, rule.id).toBeGreaterThan(10);
      expect(rule.docs.length, rule.id).toBeGreaterThan(80);
      expect(page).toContain(`<a id="${rule.id.toLowerCase()}"></a>`);
    }
  });

  test('hadolint ids in equivalents are exact codes, so `# hadolint ignore=` maps to them', () => {
    for (const rule of rules) {
      for (const equivalent of rule.equivalents.filter((e) => e.startsWith('DL'))) {
        expect(equivalent, rule.id).toMatch(/^DL\d{4}$/);
      }
    }
  });
});
