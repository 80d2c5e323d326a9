// The one place Redis connections are made for the webhook server and the workers, for every topology
// (src/queue/redis-settings.ts): a single server, a Redis Cluster (ioredis follows MOVED/ASK redirects and
// failovers) or the primary Sentinel names (ioredis asks the sentinels again after a failover). Workers
// and producers need different settings: a worker's commands must wait through reconnects, while a
// webhook handler should fail fast so that GitHub sees an error (and the delivery can be redelivered)
// instead of a request hanging on a Redis outage.

import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisSettings } from './redis-settings.js';
import { FailoverSafeSentinelConnector } from './sentinel-connector.js';

export {
  DEFAULT_PREFIX,
  DEFAULT_REDIS_URL,
  queueSettingsFromEnv,
  RedisSettingsError,
  type QueueSettings,
  type RedisSettings,
} from './redis-settings.js';

/** What every Dockhand component takes: a connection to one server, or to a Cluster. */
export type RedisClient = Redis | Cluster;

/** A standalone `redis://` URL, or settings of any topology. */
export type RedisTarget = string | RedisSettings;

export type ErrorListener = (message: string) => void;

/** For `Worker`s: commands wait through reconnects (BullMQ refuses a worker connection without this). */
export function createWorkerConnection(url: string, onError?: ErrorListener): Redis;
export function createWorkerConnection(target: RedisTarget, onError?: ErrorListener): RedisClient;
export function createWorkerConnection(target: RedisTarget, onError?: ErrorListener): RedisClient {
  return connect(settingsOf(target), { maxRetriesPerRequest: null }, true, onError);
}

/**
 * For request handlers that read and write small records (the dashboard's sessions and reports): a
 * command waits for the connection being made (a request right after start-up) and fails after one
 * retry while Redis is unreachable, so a request neither fails at once nor hangs.
 */
export function createRequestConnection(target: RedisTarget, onError?: ErrorListener): RedisClient {
  return connect(settingsOf(target), { maxRetriesPerRequest: 1, connectTimeout: 5_000 }, true, onError);
}

/** For `Queue`s that add jobs: commands fail at once while Redis (or the slot's primary) is unreachable. */
export function createProducerConnection(url: string, onError?: ErrorListener): Redis;
export function createProducerConnection(target: RedisTarget, onError?: ErrorListener): RedisClient;
export function createProducerConnection(target: RedisTarget, onError?: ErrorListener): RedisClient {
  return connect(settingsOf(target), { maxRetriesPerRequest: 1, connectTimeout: 5_000 }, false, onError);
}

/** Whether commands wait while disconnected (workers) or fail at once (producers). */
type OfflineQueue = boolean;

// Cluster and Sentinel: reconnect soon after a failover (ioredis' own backoff grows to 5 s).
const retryStrategy = (times: number) => Math.min(times * 100, 1_000);
// A primary demoted to replica while we were connected answers writes with READONLY: reconnect (to the
// primary the sentinels name now) and send the command again.
const reconnectOnError = (error: Error) => (error.message.startsWith('READONLY') ? 2 : false);

function connect(
  settings: RedisSettings,
  options: RedisOptions,
  offlineQueue: OfflineQueue,
  onError: ErrorListener | undefined,
): RedisClient {
  // Never ioredis `keyPrefix`: BullMQ's Lua scripts build key names themselves and would miss it.
  const auth: RedisOptions = {
    ...(settings.username !== undefined ? { username: settings.username } : {}),
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    ...(settings.tls ? { tls: {} } : {}),
  };
  let client: RedisClient;
  switch (settings.mode) {
    case 'standalone':
      // The URL's own user, password and `rediss://` win over REDIS_USERNAME, REDIS_PASSWORD and TLS.
      client = new Redis(settings.url, {
        ...auth,
        ...options,
        enableOfflineQueue: offlineQueue,
      });
      break;
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        redisOptions: { ...auth, ...options },
        enableOfflineQueue: offlineQueue,
        clusterRetryStrategy: retryStrategy,
        // TLS certificates name hosts: keep the seeds' names rather than the addresses they resolve to.
        ...(settings.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
      };
      client = new Cluster(settings.nodes, clusterOptions);
      break;
    }
    case 'sentinel':
      client = new Redis({
        ...auth,
        ...options,
        sentinels: settings.sentinels,
        name: settings.masterName,
        role: 'master',
        ...(settings.sentinelUsername !== undefined ? { sentinelUsername: settings.sentinelUsername } : {}),
        ...(settings.sentinelPassword !== undefined ? { sentinelPassword: settings.sentinelPassword } : {}),
        ...(settings.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        // Told by the sentinels when they switch primaries, rather than finding out from the next error;
        // through a connector that survives an announcement arriving mid-reconnect (and duplicates,
        // which BullMQ makes for blocking commands, keep it: they copy the options).
        failoverDetector: true,
        Connector: FailoverSafeSentinelConnector,
        enableOfflineQueue: offlineQueue,
        retryStrategy,
        reconnectOnError,
      });
      break;
  }
  // Without a listener ioredis prints every connection error itself; ours names the server without
  // its credentials.
  const where = describeRedis(settings);
  const hint = settings.tls ? '' : TLS_HINT;
  client.on('error', (error: Error) => {
    const message = redactSecrets(error.message, settings);
    onError?.(`redis ${where}: ${message}${DROPPED.test(message) ? hint : ''}`);
  });
  return client;
}

// A server that speaks only TLS drops a plain connection without a word; ioredis then reports only this.
const DROPPED = /ECONNRESET|Failed to refresh slots cache|All sentinels are unreachable/;
const TLS_HINT = ' (if the server expects TLS, set DOCKHAND_REDIS_TLS=true or use rediss://)';

function settingsOf(target: RedisTarget): RedisSettings {
  return typeof target === 'string' ? { mode: 'standalone', url: target, tls: false } : target;
}

/** Where the connection goes, without credentials: for logs and error messages. */
export function describeRedis(target: RedisTarget): string {
  const settings = settingsOf(target);
  const list = (nodes: { host: string; port: number }[]) =>
    nodes.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`).join(',');
  switch (settings.mode) {
    case 'standalone':
      return redactRedisUrl(settings.url);
    case 'cluster':
      return `cluster ${list(settings.nodes)}`;
    case 'sentinel':
      return `sentinel primary ${settings.masterName} via ${list(settings.sentinels)}`;
  }
}

/** The URL with its user and password replaced, for logs and error messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.username) parsed.username = '***';
    return parsed.toString();
  } catch {
    return '<invalid redis url>';
  }
}

function redactSecrets(message: string, settings: RedisSettings): string {
  const secrets = [settings.password, settings.mode === 'sentinel' ? settings.sentinelPassword : undefined];
  if (settings.mode === 'standalone') {
    try {
      secrets.push(decodeURIComponent(new URL(settings.url).password));
    } catch {
      // Not a URL: ioredis reports that itself, and there is no password in it to hide.
    }
  }
  return secrets.reduce<string>((text, secret) => (secret ? text.split(secret).join('***') : text), message);
}

/**
 * True when the primary Dockhand's keys live on answers within `timeoutMs`: `EXISTS <key>` is routed to
 * the primary of the key's slot on a Cluster (a PING would go to any node) and to the primary Sentinel
 * named on a Sentinel deployment.
 */
export async function primaryAnswers(client: RedisClient, key: string, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([client.exists(key).then((count) => typeof count === 'number'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
