// Which Redis the webhook server and the workers use, read from the environment: one server
// (REDIS_URL), a Redis Cluster (seed nodes) or a primary found through Redis Sentinel. The topology is
// named, never guessed, and a setting that does not fit it is refused at startup with the variable named.

export type RedisMode = 'standalone' | 'cluster' | 'sentinel';

export interface HostPort {
  host: string;
  port: number;
}

interface Credentials {
  /** For the data nodes (standalone: only when REDIS_URL carries none). */
  username?: string;
  password?: string;
  /** TLS to every node (standalone: also `rediss://`). */
  tls: boolean;
}

export type RedisSettings = Credentials &
  (
    | { mode: 'standalone'; url: string }
    | { mode: 'cluster'; nodes: HostPort[] }
    | {
        mode: 'sentinel';
        sentinels: HostPort[];
        masterName: string;
        sentinelUsername?: string;
        sentinelPassword?: string;
      }
  );

export interface QueueSettings {
  redis: RedisSettings;
  /** Key prefix of every queue, cache, result and guard key; carries the hash tag on a Cluster. */
  prefix: string;
}

/** A setting that cannot be used; the message names the variable and what to set. */
export class RedisSettingsError extends Error {
  override readonly name = 'RedisSettingsError';
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_PREFIX = 'dockhand';

const MODES: readonly RedisMode[] = ['standalone', 'cluster', 'sentinel'];
/** Variables that belong to one mode only: set in another they are a mistake, not a default. */
const MODE_OF: Record<string, RedisMode> = {
  REDIS_URL: 'standalone',
  DOCKHAND_REDIS_NODES: 'cluster',
  DOCKHAND_REDIS_SENTINELS: 'sentinel',
  DOCKHAND_REDIS_MASTER_NAME: 'sentinel',
  DOCKHAND_REDIS_SENTINEL_USERNAME: 'sentinel',
  DOCKHAND_REDIS_SENTINEL_PASSWORD: 'sentinel',
};

/**
 * Reads DOCKHAND_REDIS_MODE (standalone by default) and the variables of that mode, REDIS_USERNAME,
 * REDIS_PASSWORD, DOCKHAND_REDIS_TLS and DOCKHAND_QUEUE_PREFIX.
 */
export function queueSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  const redis = redisSettingsFromEnv(env);
  return { redis, prefix: prefixFromEnv(env, redis.mode) };
}

export function redisSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RedisSettings {
  const read = (name: string) => env[name]?.trim() || undefined;
  const modeText = read('DOCKHAND_REDIS_MODE') ?? 'standalone';
  if (!MODES.includes(modeText as RedisMode))
    throw new RedisSettingsError(
      `DOCKHAND_REDIS_MODE must be one of ${MODES.join(', ')} (got ${JSON.stringify(modeText)})`,
    );
  const mode = modeText as RedisMode;
  for (const [name, owner] of Object.entries(MODE_OF)) {
    if (owner !== mode && read(name) !== undefined)
      throw new RedisSettingsError(
        `${name} is read only with DOCKHAND_REDIS_MODE=${owner} (the mode is ${mode}): ` +
          (mode === 'standalone'
            ? `set DOCKHAND_REDIS_MODE=${owner}, or unset ${name}`
            : `unset ${name}; ${mode === 'cluster' ? 'DOCKHAND_REDIS_NODES names the nodes' : 'DOCKHAND_REDIS_SENTINELS and DOCKHAND_REDIS_MASTER_NAME find the primary'}`),
      );
  }
  const credentials: Credentials = {
    ...(read('REDIS_USERNAME') !== undefined ? { username: read('REDIS_USERNAME')! } : {}),
    // A password is taken as written: spaces may be part of it.
    ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}),
    tls: flag(env, 'DOCKHAND_REDIS_TLS'),
  };
  if (mode === 'standalone') {
    const url = read('REDIS_URL') ?? DEFAULT_REDIS_URL;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new RedisSettingsError('REDIS_URL must be a URL: redis://[user:password@]host:port[/db]');
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
      throw new RedisSettingsError(
        `REDIS_URL must start with redis:// or rediss:// (got ${parsed.protocol}//)`,
      );
    return { mode, url, ...credentials };
  }
  if (mode === 'cluster') {
    return { mode, nodes: addresses(env, 'DOCKHAND_REDIS_NODES', 6379), ...credentials };
  }
  const masterName = read('DOCKHAND_REDIS_MASTER_NAME');
  if (masterName === undefined)
    throw new RedisSettingsError(
      'DOCKHAND_REDIS_MASTER_NAME must name the primary the sentinels watch (their `sentinel monitor <name>`)',
    );
  return {
    mode,
    sentinels: addresses(env, 'DOCKHAND_REDIS_SENTINELS', 26379),
    masterName,
    ...(read('DOCKHAND_REDIS_SENTINEL_USERNAME') !== undefined
      ? { sentinelUsername: read('DOCKHAND_REDIS_SENTINEL_USERNAME')! }
      : {}),
    ...(env.DOCKHAND_REDIS_SENTINEL_PASSWORD
      ? { sentinelPassword: env.DOCKHAND_REDIS_SENTINEL_PASSWORD }
      : {}),
    ...credentials,
  };
}

function prefixFromEnv(env: NodeJS.ProcessEnv, mode: RedisMode): string {
  const prefix = env.DOCKHAND_QUEUE_PREFIX?.trim() || DEFAULT_PREFIX;
  // BullMQ joins prefix, queue name and key with ':'; a trailing one would give empty key segments.
  if (prefix.endsWith(':'))
    throw new RedisSettingsError(`DOCKHAND_QUEUE_PREFIX must not end with ':' (got ${prefix})`);
  if (mode === 'cluster' && hashTag(prefix) === undefined)
    throw new RedisSettingsError(
      `DOCKHAND_QUEUE_PREFIX must carry a hash tag on a Redis Cluster (got ${prefix}): set ` +
        `DOCKHAND_QUEUE_PREFIX={${prefix.replace(/[{}]/g, '') || DEFAULT_PREFIX}}, so that every key of ` +
        `Dockhand lands in one slot (BullMQ's scripts and Dockhand's transactions touch several keys at once)`,
    );
  return prefix;
}

/**
 * The text Redis Cluster hashes for every key that starts with `prefix`: what lies between the first `{`
 * and the next `}`, when that is not empty. Undefined when keys under the prefix would hash differently.
 */
export function hashTag(prefix: string): string | undefined {
  const open = prefix.indexOf('{');
  if (open < 0) return undefined;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1 ? prefix.slice(open + 1, close) : undefined;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (!text || text === 'false') return false;
  if (text === 'true') return true;
  throw new RedisSettingsError(`${name} must be true or false (got ${JSON.stringify(env[name])})`);
}

/** `host:port,host:port`, `[v6]:port`; the port may be left out. */
function addresses(env: NodeJS.ProcessEnv, name: string, defaultPort: number): HostPort[] {
  const text = env[name]?.trim();
  if (!text) throw new RedisSettingsError(`${name} must list at least one host:port`);
  return text.split(',').map((entry) => {
    const item = entry.trim();
    const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+))(?::(\d+))?$/.exec(item);
    const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
    if (!match || !Number.isInteger(port) || port < 1 || port > 65_535)
      throw new RedisSettingsError(`${name}: ${JSON.stringify(item)} is not host:port`);
    return { host: (match[1] ?? match[2])!, port };
  });
}
