// The policies a report evaluates, one line each, in the order reports show them. Each is configurable
// (or switched off) as `reports.policies.<id>` in the configuration.
import { z } from 'zod';
import { policy as approvedBases } from './approved-bases.js';
import { policy as digestsPinned } from './digests-pinned.js';
import { policy as maintenanceRebuilt } from './maintenance-rebuilt.js';
import { policy as noEolBase } from './no-eol-base.js';
import { policy as noLatest } from './no-latest.js';
import { policy as noLintErrors } from './no-lint-errors.js';
import { policy as nonRootFinalStage } from './non-root-final-stage.js';
import { policy as outdatedDependencies } from './outdated-dependencies.js';
import { policy as prsActedOn } from './prs-acted-on.js';
import { policy as upToDateBases } from './up-to-date-bases.js';

export const POLICIES = [
  upToDateBases,
  noEolBase,
  nonRootFinalStage,
  digestsPinned,
  noLatest,
  noLintErrors,
  approvedBases,
  prsActedOn,
  maintenanceRebuilt,
  outdatedDependencies,
] as const;

export type PolicyId = (typeof POLICIES)[number]['id'];

export type { Evidence, Policy, PolicyContext, PolicyResult, PolicyStatus } from './types.js';

/**
 * `reports.policies` in the configuration: per policy id, `false` (switched off) or some of its
 * thresholds (the rest keep the policy's defaults). A policy not named runs with its defaults.
 */
export const reportPoliciesSchema = z
  .strictObject(
    Object.fromEntries(
      POLICIES.map((policy) => [policy.id, z.union([z.literal(false), policy.options.partial()])]),
    ) as Record<string, z.ZodType<false | Record<string, unknown>>>,
  )
  .partial();
