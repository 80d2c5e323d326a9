// Runs the rule catalog over a parsed Dockerfile: selects rules from config, applies severities and
// inline ignores, and turns a failing rule into a visible finding instead of a crash.
import type { Dependency, Finding, Severity } from '../core/types.js';
import type { Dockerfile, Instruction } from '../dockerfile/types.js';
import { inlineIgnores } from './ignores.js';
import { rules } from './index.js';
import type { Rule } from './types.js';

export interface LintOptions {
  /** Posix path relative to the scanned root, used in findings. */
  path: string;
  /** Deps the dockerfile manager extracted from this file. */
  deps: Dependency[];
  trustedRegistries: string[];
  /** Content of the build context's .dockerignore; null when absent; undefined when unknown (rule skipped). */
  dockerignore?: string | null;
  /** Rule ids or slugs switched off for this file. */
  ignore: string[];
  /** Per-rule severity overrides (id or slug → severity | 'off'); a severity switches on an off-by-default rule. */
  severity: Record<string, Severity | 'off'>;
  /** Honour `# dockhand ignore=` / `# hadolint ignore=` comments (an org may switch them off). */
  allowInlineIgnores: boolean;
}

/** The severity a rule runs with under these options, or null when it is switched off. */
export function effectiveSeverity(
  rule: Rule,
  options: Pick<LintOptions, 'ignore' | 'severity'>,
): Severity | null {
  if (options.ignore.includes(rule.id) || options.ignore.includes(rule.slug)) return null;
  const override = options.severity[rule.id] ?? options.severity[rule.slug];
  if (override === 'off') return null;
  if (override) return override;
  return rule.enabledByDefault ? rule.severity : null;
}

export function lintDockerfile(
  dockerfile: Dockerfile,
  options: LintOptions,
  catalog: readonly Rule[] = rules,
): Finding[] {
  const ignores = options.allowInlineIgnores ? inlineIgnores(dockerfile, catalog) : undefined;
  const context = {
    path: options.path,
    deps: options.deps,
    trustedRegistries: options.trustedRegistries,
    ...(options.dockerignore !== undefined ? { dockerignore: options.dockerignore } : {}),
  };
  const findings: Finding[] = [];
  for (const rule of catalog) {
    const severity = effectiveSeverity(rule, options);
    if (!severity || ignores?.global.has(rule.id)) continue;
    let raised;
    try {
      raised = rule.check(dockerfile, context);
    } catch (error) {
      raised = [{ line: 1, message: `internal error in this rule, please report it: ${String(error)}` }];
    }
    for (const f of raised) {
      const instruction = instructionAt(dockerfile.instructions, f.line);
      if (instruction && ignores?.byInstruction.get(instruction)?.has(rule.id)) continue;
      findings.push({
        rule: rule.id,
        slug: rule.slug,
        severity,
        path: options.path,
        line: f.line,
        ...(f.endLine !== undefined && f.endLine !== f.line ? { endLine: f.endLine } : {}),
        message: f.message,
      });
    }
  }
  return findings.sort((a, b) => a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/** The instruction that spans a line (binary search; instructions are in file order). */
function instructionAt(instructions: Instruction[], line: number): Instruction | undefined {
  let lo = 0;
  let hi = instructions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const i = instructions[mid]!;
    if (line < i.line) hi = mid - 1;
    else if (line > i.endLine) lo = mid + 1;
    else return i;
  }
  return undefined;
}
