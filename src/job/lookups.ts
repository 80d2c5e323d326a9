// Registry lookups that remember which failures were passing ones (rate limits, 5xx, timeouts): the
// planner turns every failure into a per-image error, but those deserve a later retry of the job.
import { isRegistryError, type RegistryErrorKind } from '../datasources/docker/errors.js';
import type { RegistryLookups } from '../plan/plan.js';

const PASSING: ReadonlySet<RegistryErrorKind> = new Set(['rate-limited', 'server', 'timeout']);

export interface WatchedLookups {
  lookups: RegistryLookups;
  /** Messages of the passing failures seen so far. */
  transient: string[];
}

export function watchTransientFailures(inner: RegistryLookups): WatchedLookups {
  const transient: string[] = [];
  const watch =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        if (isRegistryError(error) && PASSING.has(error.kind)) transient.push(error.message);
        throw error;
      }
    };
  return {
    transient,
    lookups: {
      getTags: watch((image) => inner.getTags(image)),
      getDigest: watch((image, reference) => inner.getDigest(image, reference)),
      getManifest: watch((image, digest) => inner.getManifest(image, digest)),
      getPlatformDigest: watch((image, index, platform) => inner.getPlatformDigest(image, index, platform)),
      getCreated: watch((image, digest, platform) => inner.getCreated(image, digest, platform)),
      getPlatform: watch((image, digest) => inner.getPlatform(image, digest)),
    },
  };
}
