// The shape of `.github/dockhand.yml`. Every field is optional in a file; config/default.yml fills the gaps.
import { z } from 'zod';
import { linearRegExpProblem } from '../core/linear-regex.js';
import type { UpdateKind } from '../core/types.js';
import { reportPoliciesSchema } from '../report/policies/index.js';
import { RANGE_STRATEGIES } from '../versioning/types.js';

export const RULE_SEVERITIES = ['error', 'warning', 'info', 'off'] as const;
export const FAILURE_THRESHOLDS = ['error', 'warning', 'info', 'none'] as const;

export const UPDATE_TYPES = [
  'major',
  'minor',
  'patch',
  'digest',
  'pin',
  'replace',
] as const satisfies readonly UpdateKind[];

export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: (issue) =>
    `expected an environment variable name such as GHCR_TOKEN, got ${JSON.stringify(issue.input)}`,
});
const pattern = z.string().regex(/^\S+$/);
/** Run by a linear-time engine (src/core/linear-regex.ts), so no pattern can stall a worker. */
const regex = z.string().refine((source) => linearRegExpProblem(source) === null, {
  error: (issue) =>
    `expected a regular expression, got ${JSON.stringify(issue.input)}: ${linearRegExpProblem(String(issue.input))}`,
});

/**
 * How to reach one registry. Secrets are named by environment variable, never written in the file. Only
 * the operator's config and a CLI user's own may set more than `host` (src/config/untrusted.ts).
 */
export const registrySchema = z.strictObject({
  /** `ghcr.io`, `registry.example.com:5000`, `docker.io`… */
  host: z.string().regex(/^[^\s/]+$/, {
    error: (issue) => `expected a host name with an optional port, got ${JSON.stringify(issue.input)}`,
  }),
  usernameEnv: envName.optional(),
  passwordEnv: envName.optional(),
  /** Plain HTTP (loopback hosts always are). */
  insecure: z.boolean().optional(),
  /** A pull-through mirror to ask instead, e.g. https://mirror.example.com. */
  mirror: z.url({ protocol: /^https?$/ }).optional(),
});

/** What kind of updates to propose; `rules` can change it for some paths or images. */
const policyFields = {
  /** Add the digest to tagged references (`node:22` → `node:22@sha256:…`): true, false, or the managers to do it for. */
  pinDigests: z.union([z.boolean(), z.array(z.string().min(1))]),
  /** Propose a major update apart from the best minor/patch one (false: only the newest version). */
  separateMajor: z.boolean(),
  /** Update types to propose at all. */
  updateTypes: z.array(z.enum(UPDATE_TYPES)),
  /** Do not propose a version pushed less than this many days ago. */
  minimumReleaseAgeDays: z.number().int().min(0),
  /** Only versions matching this regular expression (e.g. `^(20|22)\.`). */
  allowedVersions: regex,
  /** Node and Java images: offer only LTS majors. */
  ltsOnly: z.boolean(),
  /** Let version-bearing suffixes move too (`-alpine3.19` → `-alpine3.20`). */
  moveSuffix: z.boolean(),
  /** npm and Python ranges: how a range is written when a newer version is taken (Renovate's meanings). */
  rangeStrategy: z.enum(RANGE_STRATEGIES),
  /** The app: merge these updates without a human once their checks pass: all, none, or these types. */
  automerge: z.union([z.boolean(), z.array(z.enum(UPDATE_TYPES))]),
};

const ignoreSchema = z.strictObject({
  /** Image pattern (`*` wildcards), matched against `registry/repository` and the name as written. */
  image: pattern,
  /** Versions to skip (regular expression); all when absent. */
  versions: regex.optional(),
  updateTypes: z.array(z.enum(UPDATE_TYPES)).optional(),
});

const ruleSchema = z.strictObject({
  matchPaths: z.array(z.string().min(1)).optional(),
  matchImages: z.array(pattern).optional(),
  matchManagers: z.array(z.string().min(1)).optional(),
  /** false: leave matching dependencies alone. */
  enabled: z.boolean().optional(),
  pinDigests: policyFields.pinDigests.optional(),
  separateMajor: policyFields.separateMajor.optional(),
  updateTypes: policyFields.updateTypes.optional(),
  minimumReleaseAgeDays: policyFields.minimumReleaseAgeDays.optional(),
  allowedVersions: policyFields.allowedVersions.optional(),
  ltsOnly: policyFields.ltsOnly.optional(),
  moveSuffix: policyFields.moveSuffix.optional(),
  rangeStrategy: policyFields.rangeStrategy.optional(),
  automerge: policyFields.automerge.optional(),
});

export const updatesSchema = z.strictObject({
  ...policyFields,
  ignore: z.array(ignoreSchema),
  rules: z.array(ruleSchema),
});

/** How the app turns updates into pull requests. */
export const pullRequestsSchema = z.strictObject({
  /** `major-line`: one branch per image and major version; `image`: one per image; `all`: one branch for all version updates. */
  grouping: z.enum(['major-line', 'image', 'all']),
  /** Labels put on every Dockhand pull request. */
  labels: z.array(z.string().min(1)),
  /** Open Dockhand PRs at once (0: no limit); the rest wait on the dashboard. */
  prConcurrentLimit: z.number().int().min(0),
  /** PRs opened per hour (0: no limit). */
  prHourlyLimit: z.number().int().min(0),
  /** When to rebuild a PR's branch on the moved base: whenever it is behind, only on conflict, or never. */
  rebaseWhen: z.enum(['behind-base-branch', 'conflicted', 'never']),
});

/** Weekly rebuilds for repositories nobody commits to. */
export const maintenanceSchema = z.strictObject({
  /** Always in maintenance mode. */
  enabled: z.boolean(),
  /** Or: in maintenance mode after this many days without a push (0: never by inactivity). */
  inactiveDays: z.number().int().min(0),
  /** Workflow (file name such as `docker.yml`, or id) dispatched when no file changes; null: none. */
  workflow: z.string().min(1).nullable(),
  /** Inputs of that dispatch, e.g. `{ no-cache: "true" }` for `docker build --pull --no-cache`. */
  inputs: z.record(z.string().min(1), z.string()),
  /** Without a workflow: open a rebuild PR (an empty commit's branch) instead. */
  rebuildPullRequest: z.boolean(),
  /** In maintenance mode, merge digest, pin and patch updates without a human once their checks pass. */
  automerge: z.boolean(),
});

/** When each installation is crawled (read from the org's `.github` repository). */
export const scheduleSchema = z.strictObject({
  /** Cron with seconds: `sec min hour day-of-month month day-of-week`. */
  cron: z.string().regex(/^\S+( \S+){5}$/, {
    error: (issue) => `expected a 6-field cron (with seconds), got ${JSON.stringify(issue.input)}`,
  }),
  timezone: z.string().refine(isTimeZone, {
    error: (issue) => `expected an IANA time zone such as Europe/Berlin, got ${JSON.stringify(issue.input)}`,
  }),
});

/**
 * Compliance reports (`dockhand report`, the app's reports): which policies run and with which thresholds,
 * and the org's approved base images. A policy not named runs with its defaults (src/report/policies/).
 */
export const reportsSchema = z.strictObject({
  /** Per policy id: `false` to switch it off, or some of its thresholds. */
  policies: reportPoliciesSchema,
  /** Image patterns of approved bases (`node`, `ghcr.io/acme/**`, `python:3.12-*`); empty: the policy has no data. */
  approvedBases: z.array(pattern),
  /** The app: keep a Markdown report issue in the org's `.github` repository (org file only). */
  issue: z.boolean().optional(),
});

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
    /** Registries: credentials (by environment variable), plain HTTP, mirrors. */
    registries: z.array(registrySchema),
    /** Update policy for `--resolve` / `fix` (and the app's pull requests). */
    updates: updatesSchema.partial(),
    /** Seconds answers stay cached: tag lists and tag → digest (content-addressed data never expires). */
    cacheTtlSeconds: z.number().int().min(0),
    /** The app: grouping, labels and limits of pull requests. */
    pullRequests: pullRequestsSchema.partial(),
    /** The app: keep a dependency dashboard issue. */
    dashboard: z.boolean(),
    /** The app: a check run with lint annotations on pull requests that touch container files. */
    checks: z.boolean(),
    /** The app: upload lint findings as SARIF to GitHub code scanning (needs `security_events: write`). */
    codeScanning: z.boolean(),
    maintenance: maintenanceSchema.partial(),
    /**
     * The app: on scheduled runs, one PR refreshing locked versions within the declared ranges. `on`,
     * `off`, or `maintenance`: only while the repository is in maintenance mode.
     */
    lockFileMaintenance: z.enum(['on', 'off', 'maintenance']),
    /**
     * The app: a workflow (file name or id, with a `workflow_dispatch` trigger and a `lockfiles` input)
     * dispatched on a Dockhand branch whose lockfiles Dockhand could not regenerate itself; null: none.
     */
    relockWorkflow: z.string().min(1).nullable(),
    /** The app: automerge only at times matching this cron (seconds ignored) in its time zone; null: any time. */
    automergeSchedule: scheduleSchema.nullable(),
    /** The app: automerge a PR on which no check ran (nothing but Dockhand's own lint check). */
    automergeWithoutChecks: z.boolean(),
    schedule: scheduleSchema.partial(),
    /** Compliance reports: policies and their thresholds, approved bases. */
    reports: reportsSchema.partial(),
  })
  .partial();

/** The settings in force: defaults with the repository's file on top, every field present. */
export const configSchema = configFileSchema.required().extend({
  updates: updatesSchema,
  pullRequests: pullRequestsSchema,
  maintenance: maintenanceSchema,
  schedule: scheduleSchema,
  // Files are merged policy by policy (src/config/load.ts); what none sets keeps the policies' defaults.
  // The app judges a repository by the org file's `reports` alone (src/job/config.ts).
  reports: reportsSchema.extend({
    policies: reportPoliciesSchema.default({}),
    approvedBases: reportsSchema.shape.approvedBases.default([]),
    issue: reportsSchema.shape.issue.default(false),
  }),
});

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export type ConfigFile = z.infer<typeof configFileSchema>;
export type Config = z.infer<typeof configSchema>;
export type FailureThreshold = Config['failureThreshold'];
export type UpdatePolicy = Config['updates'];
export type RegistryConfig = Config['registries'][number];
export type UpdateType = (typeof UPDATE_TYPES)[number];
export type PullRequestSettings = Config['pullRequests'];
export type MaintenanceSettings = Config['maintenance'];
/** What policies are judged by (`issue` concerns the app's report issue only). */
export type ReportsSettings = Omit<Config['reports'], 'issue'> & { issue?: boolean };
