// STUB (being written): runs the rule catalog over a parsed Dockerfile, applying config and inline ignores.
import type { Dependency, Finding, Severity } from '../core/types.js';
import type { Dockerfile } from '../dockerfile/types.js';

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

export function lintDockerfile(_dockerfile: Dockerfile, _options: LintOptions): Finding[] {
  return [];
}
