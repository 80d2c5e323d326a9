// Comment commands wait in a per-repository inbox in Redis as well as in their job: the repository queue
// keeps one waiting job per repository, so a command posted while another job of that repository waits
// would otherwise be dropped with the job that carried it. The repository job reads the whole inbox and
// removes what it read only once it succeeded, so a failed or killed run leaves them for the retry.
import type { Cluster, Redis } from 'ioredis';
import type { RepoJobData } from './types.js';

export interface PendingCommand {
  command: string;
  /** The pull request the comment was posted on. */
  number: number;
}

/** Commands nobody acted on for this long are dropped (the repository is gone, the app uninstalled). */
const INBOX_TTL_SECONDS = 7 * 24 * 3600;

export function commandInboxKey(prefix: string, installationId: number, repository: string): string {
  return `${prefix}:commands:${installationId}:${repository.toLowerCase()}`;
}

export async function postCommand(redis: Redis | Cluster, prefix: string, data: RepoJobData): Promise<void> {
  if (data.command === undefined || data.number === undefined) return;
  const key = commandInboxKey(prefix, data.installationId, data.repository);
  const entry: PendingCommand = { command: data.command, number: data.number };
  await redis.multi().rpush(key, JSON.stringify(entry)).expire(key, INBOX_TTL_SECONDS).exec();
}

export interface CommandInbox {
  commands: PendingCommand[];
  /** Removes the commands read (later ones stay). */
  acknowledge(): Promise<void>;
}

export async function readCommands(
  redis: Redis | Cluster,
  prefix: string,
  installationId: number,
  repository: string,
): Promise<CommandInbox> {
  const key = commandInboxKey(prefix, installationId, repository);
  const entries = await redis.lrange(key, 0, -1);
  const commands = entries.flatMap((entry) => {
    try {
      const parsed = JSON.parse(entry) as Partial<PendingCommand>;
      return typeof parsed.command === 'string' && typeof parsed.number === 'number'
        ? [{ command: parsed.command, number: parsed.number }]
        : [];
    } catch {
      return [];
    }
  });
  return {
    commands,
    acknowledge: async () => {
      if (entries.length > 0) await redis.ltrim(key, entries.length, -1);
    },
  };
}
