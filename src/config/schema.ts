// The shape of `.github/dockhand.yml`. Every field is optional in a file; config/default.yml fills the gaps.
import { z } from 'zod';

export const RULE_SEVERITIES = ['error', 'warning', 'info', 'off'] as const;
export const FAILURE_THRESHOLDS = ['error', 'warning', 'info', 'none'] as const;

export const configFileSchema = z
  .strictObject({
    /** Rule ids or slugs that are switched off everywhere. */
    ignore: z.array(z.string().min(1)),
    /** Per-rule severity (id or slug → level); setting a level switches on an off-by-default rule. */
    severity: z.record(z.string().min(1), z.enum(RULE_SEVERITIES)),
    /** Registry/image patterns with `*` wildcards that base images must come from (DH502). */
    trustedRegistries: z.array(z.string().regex(/^\S+$/)),
    /** Lowest severity that makes `dockhand scan` exit 1 (`none`: never). */
    failureThreshold: z.enum(FAILURE_THRESHOLDS),
    /** Globs of paths (relative to the scanned root) that are not scanned. */
    ignorePaths: z.array(z.string().min(1)),
    /** Honour `# dockhand ignore=` and `# hadolint ignore=` comments. */
    allowInlineIgnores: z.boolean(),
  })
  .partial();

/** The settings in force: defaults with the repository's file on top, every field present. */
export const configSchema = configFileSchema.required();

export type ConfigFile = z.infer<typeof configFileSchema>;
export type Config = z.infer<typeof configSchema>;
export type FailureThreshold = Config['failureThreshold'];
