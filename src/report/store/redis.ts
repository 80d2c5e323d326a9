// The report store in Redis (issue 11 §2), under the queues' prefix so a `{dockhand}` hash tag keeps an
// installation's keys (and every multi-key command) in one Cluster slot. Per installation:
//
//   <prefix>:report:<installation>:latest         hash: repository (lower case) → StoredRepoReport JSON
//   <prefix>:report:<installation>:days           sorted set: score = day number, member = DailyRollup JSON
//   <prefix>:report:<installation>:repo:<repo>    string: the repository's DailyRollups, oldest first,
//                                                 each distinct day's figures once (StoredSeries),
//                                                 raw-deflated
//
// A repository's daily series is one compressed value rather than 400 members: its days repeat the same
// policy ids and mostly the same figures, so deflate keeps a full 400-day series at a few KiB where
// 400 hash or sorted-set entries (above Redis' listpack limits) would cost about 0.3 KiB each. Reading
// and rewriting it happens in the save's own round trips (save already reads the previous report for
// the failing streaks), and the repository queue runs one job per repository at a time. Every write
// drops days older than HISTORY_DAYS before the written one, and the per-repository keys expire once
// nothing has been written to them for that long; a crawl that listed the installation's repositories
// removes those no longer listed at once (`prune`: the latest entry and the series key).
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Cluster, Redis } from 'ioredis';
import type { RepoReport } from '../evaluate.js';
import { failingSince, rollupOf } from './rollup.js';
import { HISTORY_DAYS, type DailyRollup, type ReportStore, type StoredRepoReport } from './types.js';

const DAY_MS = 86_400_000;

export function latestReportsKey(prefix: string, installationId: number): string {
  return `${prefix}:report:${installationId}:latest`;
}

export function installationDaysKey(prefix: string, installationId: number): string {
  return `${prefix}:report:${installationId}:days`;
}

export function repositoryDaysKey(prefix: string, installationId: number, repository: string): string {
  return `${prefix}:report:${installationId}:repo:${repository.toLowerCase()}`;
}

/** `2026-12-01` → days since the epoch. */
export function dayNumber(day: string): number {
  const time = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(time) || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a day: ${day}`);
  return Math.round(time / DAY_MS);
}

export class RedisReportStore implements ReportStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {}

  async save(installationId: number, report: RepoReport, at: Date): Promise<StoredRepoReport> {
    const iso = at.toISOString();
    const day = iso.slice(0, 10);
    const field = report.repository.toLowerCase();
    const latestKey = latestReportsKey(this.prefix, installationId);
    const seriesKey = repositoryDaysKey(this.prefix, installationId, report.repository);
    const read = await this.redis.pipeline().hget(latestKey, field).getBuffer(seriesKey).exec();
    const previous = value<string | null>(read, 0);
    const stored: StoredRepoReport = {
      ...report,
      at: iso,
      failingSince: failingSince(
        report,
        previous ? (JSON.parse(previous) as StoredRepoReport).failingSince : undefined,
        iso,
      ),
    };
    const series = withDay(decodeSeries(value<Buffer | null>(read, 1)), rollupOf([report], day));
    await this.redis
      .multi()
      .hset(latestKey, field, JSON.stringify(stored))
      .set(seriesKey, encodeSeries(series), 'PX', HISTORY_DAYS * DAY_MS)
      .exec()
      .then(check);
    return stored;
  }

  async latest(installationId: number): Promise<StoredRepoReport[]> {
    const entries = await this.redis.hgetall(latestReportsKey(this.prefix, installationId));
    return Object.keys(entries)
      .sort()
      .map((field) => JSON.parse(entries[field]!) as StoredRepoReport);
  }

  async latestOf(installationId: number, repository: string): Promise<StoredRepoReport | null> {
    const json = await this.redis.hget(
      latestReportsKey(this.prefix, installationId),
      repository.toLowerCase(),
    );
    return json === null ? null : (JSON.parse(json) as StoredRepoReport);
  }

  async rollup(installationId: number, day: string): Promise<DailyRollup> {
    const number = dayNumber(day);
    const rollup = rollupOf(await this.latest(installationId), day);
    const key = installationDaysKey(this.prefix, installationId);
    await this.redis
      .multi()
      .zremrangebyscore(key, number, number)
      .zremrangebyscore(key, '-inf', number - HISTORY_DAYS)
      .zadd(key, String(number), JSON.stringify(rollup))
      .exec()
      .then(check);
    return rollup;
  }

  async history(installationId: number, days: number): Promise<DailyRollup[]> {
    const kept = Math.min(days, HISTORY_DAYS);
    const key = installationDaysKey(this.prefix, installationId);
    const members = await this.redis.zrange(key, String(-kept), '-1');
    return members.map((member) => JSON.parse(member) as DailyRollup);
  }

  async repoHistory(installationId: number, repository: string, days: number): Promise<DailyRollup[]> {
    const kept = Math.min(days, HISTORY_DAYS);
    const stored = await this.redis.getBuffer(repositoryDaysKey(this.prefix, installationId, repository));
    return decodeSeries(stored, kept);
  }

  async repoHistories(
    installationId: number,
    repositories: readonly string[],
    days: number,
  ): Promise<DailyRollup[][]> {
    if (repositories.length === 0) return [];
    const kept = Math.min(days, HISTORY_DAYS);
    // One MGET: the keys share the prefix's hash tag, so a Cluster serves it from one slot too.
    const stored = await this.redis.mgetBuffer(
      repositories.map((repository) => repositoryDaysKey(this.prefix, installationId, repository)),
    );
    return stored.map((series) => decodeSeries(series, kept));
  }

  async prune(installationId: number, keep: readonly string[]): Promise<string[]> {
    const kept = new Set(keep.map((repository) => repository.toLowerCase()));
    const latestKey = latestReportsKey(this.prefix, installationId);
    const removed = (await this.redis.hkeys(latestKey)).filter((field) => !kept.has(field)).sort();
    // Chunks keep each command's argument list bounded (an installation losing thousands at once).
    for (let i = 0; i < removed.length; i += PRUNE_CHUNK) {
      const chunk = removed.slice(i, i + PRUNE_CHUNK);
      await this.redis
        .multi()
        .hdel(latestKey, ...chunk)
        .del(...chunk.map((repository) => repositoryDaysKey(this.prefix, installationId, repository)))
        .exec()
        .then(check);
    }
    return removed;
  }
}

const PRUNE_CHUNK = 500;

/** The series with `rollup` in its day's place, oldest first, without days older than HISTORY_DAYS before it. */
function withDay(series: DailyRollup[], rollup: DailyRollup): DailyRollup[] {
  const oldest = dayNumber(rollup.day) - HISTORY_DAYS;
  const kept = series.filter((entry) => entry.day !== rollup.day && dayNumber(entry.day) > oldest);
  kept.push(rollup);
  return kept.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/**
 * A series as stored: each distinct day's figures once, and runs of consecutive days with the same
 * figures (first day, length, figures). A repository's figures stay the same for days or weeks at a
 * time, so reading 90 of 400 days (for a thousand repositories at once: the dashboard's trend for a
 * viewer who sees some of them) parses a few KiB per repository rather than 400 full rollups. Series
 * written before this format (a plain JSON array of DailyRollups) are still read.
 */
interface StoredSeries {
  v: 2;
  figures: Omit<DailyRollup, 'day'>[];
  runs: [first: string, days: number, figures: number][];
}

function encodeSeries(series: readonly DailyRollup[]): Buffer {
  const figures: string[] = [];
  const seen = new Map<string, number>();
  const runs: [string, number, number][] = [];
  let last: { day: number; run: [string, number, number] } | null = null;
  for (const { day, ...rest } of series) {
    const json = JSON.stringify(rest);
    let index = seen.get(json);
    if (index === undefined) {
      index = figures.push(json) - 1;
      seen.set(json, index);
    }
    const number = dayNumber(day);
    if (last && last.run[2] === index && number === last.day + 1) last.run[1]++;
    else {
      const run: [string, number, number] = [day, 1, index];
      runs.push(run);
      last = { day: number, run };
    }
    last.day = number;
  }
  return deflateRawSync(`{"v":2,"figures":[${figures.join(',')}],"runs":${JSON.stringify(runs)}}`);
}

/** The series' last `kept` days (all by default), oldest first. */
function decodeSeries(stored: Buffer | null, kept: number = Infinity): DailyRollup[] {
  if (!stored) return [];
  const parsed = JSON.parse(inflateRawSync(stored).toString('utf8')) as DailyRollup[] | StoredSeries;
  if (Array.isArray(parsed)) return kept >= parsed.length ? parsed : parsed.slice(-kept);
  const days: DailyRollup[] = [];
  for (let r = parsed.runs.length - 1; r >= 0 && days.length < kept; r--) {
    const [first, length, index] = parsed.runs[r]!;
    const start = dayNumber(first);
    const figures = parsed.figures[index]!;
    for (let i = length - 1; i >= 0 && days.length < kept; i--)
      days.push({ day: dayOf(start + i), ...figures });
  }
  return days.reverse();
}

/** Days since the epoch → `2026-12-01` (remembered: a thousand series decoded at once share their days). */
function dayOf(number: number): string {
  let day = DAYS.get(number);
  if (day === undefined) {
    if (DAYS.size >= 4 * HISTORY_DAYS) DAYS.clear();
    day = new Date(number * DAY_MS).toISOString().slice(0, 10);
    DAYS.set(number, day);
  }
  return day;
}

const DAYS = new Map<number, string>();

type Replies = [Error | null, unknown][] | null;

function value<T>(replies: Replies, index: number): T {
  const reply = replies?.[index];
  if (!reply) throw new Error('Redis returned no reply for a report store read');
  if (reply[0]) throw reply[0];
  return reply[1] as T;
}

/** MULTI … EXEC: a null reply (aborted) or an error in any command fails the write. */
function check(replies: Replies): void {
  if (!replies) throw new Error('Redis aborted the report store transaction');
  for (const [error] of replies) if (error) throw error;
}
