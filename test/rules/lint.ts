// Test helper: lint a Dockerfile text with the real parser, extractor and engine.
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { extractFromDockerfile } from '../../src/managers/dockerfile/index.js';
import { lintDockerfile, type LintOptions } from '../../src/rules/engine.js';
import { rules } from '../../src/rules/index.js';
import type { Finding } from '../../src/core/types.js';

/** All findings for `text`; with `only`, just that rule's (by id), with that rule switched on. */
export function lint(text: string, only?: string, options: Partial<LintOptions> = {}): Finding[] {
  const dockerfile = parseDockerfile(text);
  const rule = only ? rules.find((r) => r.id === only) : undefined;
  if (only && !rule) throw new Error(`no rule ${only}`);
  const findings = lintDockerfile(dockerfile, {
    path: 'Dockerfile',
    deps: extractFromDockerfile(dockerfile),
    trustedRegistries: [],
    ignore: [],
    allowInlineIgnores: true,
    ...options,
    // Off-by-default rules are switched on when a test asks for them by id.
    severity: { ...(rule ? { [rule.id]: rule.severity } : {}), ...options.severity },
  });
  return only ? findings.filter((f) => f.rule === only) : findings;
}

/** Lines of the findings `rule` raises on `text`. */
export function linesOf(text: string, rule: string, options: Partial<LintOptions> = {}): number[] {
  return lint(text, rule, options).map((f) => f.line);
}
