import type { Dependency, Severity } from '../core/types.js';
import type { Dockerfile } from '../dockerfile/types.js';

/** What a rule may know beyond the Dockerfile itself. */
export interface RuleContext {
  /** Posix path of the Dockerfile relative to the scanned root. */
  path: string;
  /** Image references of the file, as the dockerfile manager extracted them. */
  deps: Dependency[];
  /** Trusted registry patterns (`*` wildcards); empty means "not configured". */
  trustedRegistries: string[];
  /** `.dockerignore` content of the build context directory; null when there is none; undefined when unknown. */
  dockerignore?: string | null;
}

export interface RuleFinding {
  line: number;
  endLine?: number;
  message: string;
}

export interface Rule {
  id: string; // DH201
  slug: string; // final-stage-root
  severity: Severity;
  /** Rules that are noisy for most users ship disabled and are switched on in config. */
  enabledByDefault: boolean;
  title: string; // one line, imperative: "Run the final stage as a non-root user"
  /** Why it matters and how to fix it; markdown, a paragraph or two. */
  docs: string;
  /** Equivalent ids in other tools (hadolint DLnnnn, checkov, trivy); hadolint ids drive ignore mapping. */
  equivalents: string[];
  check(dockerfile: Dockerfile, context: RuleContext): RuleFinding[];
}
