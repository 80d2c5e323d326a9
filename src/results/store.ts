// RepoResult records in Redis, for reports and the dashboard: the latest run of each repository in one
// hash per installation, and a short history per repository. Keys live under the queues' prefix, so a
// `{dockhand}` prefix keeps them in the same Redis Cluster slot.
import type { Cluster, Redis } from 'ioredis';
import type { RepoResult } from '../job/types.js';

/** Runs kept per repository, newest first. */
export const RECENT_RUNS = 20;

export function resultsKey(prefix: string, installationId: number): string {
  return `${prefix}:results:${installationId}`;
}

export function recentRunsKey(prefix: string, installationId: number, repository: string): string {
  return `${prefix}:results:${installationId}:runs:${repository.toLowerCase()}`;
}

/**
 * Records one run: the newest of its recent runs and, unless it only checked a pull request, the latest
 * of its repository (a PR's check run says nothing about the default branch that reports describe).
 */
export async function saveResult(redis: Redis | Cluster, prefix: string, result: RepoResult): Promise<void> {
  const json = JSON.stringify(result);
  const runs = recentRunsKey(prefix, result.installationId, result.repository);
  const transaction = redis.multi();
  if (result.reason !== 'pull-request')
    transaction.hset(resultsKey(prefix, result.installationId), result.repository.toLowerCase(), json);
  await transaction
    .lpush(runs, json)
    .ltrim(runs, 0, RECENT_RUNS - 1)
    .exec();
}

/** The latest run of each repository of an installation, sorted by repository. */
export async function latestResults(
  redis: Redis | Cluster,
  prefix: string,
  installationId: number,
): Promise<RepoResult[]> {
  const entries = await redis.hgetall(resultsKey(prefix, installationId));
  return Object.keys(entries)
    .sort()
    .map((field) => JSON.parse(entries[field]!) as RepoResult);
}

/** A repository's recent runs, newest first. */
export async function recentResults(
  redis: Redis | Cluster,
  prefix: string,
  installationId: number,
  repository: string,
  count = RECENT_RUNS,
): Promise<RepoResult[]> {
  const items = await redis.lrange(recentRunsKey(prefix, installationId, repository), 0, count - 1);
  return items.map((item) => JSON.parse(item) as RepoResult);
}
