// A real Redis Sentinel deployment for tests: one primary, its replicas (`--replicaof`) and a few
// `redis-server --sentinel` processes watching them, all on free loopback ports; ready once the replicas
// are in sync and every sentinel knows the replicas and the other sentinels (so a failover can run).
// Fails over fast: the primary is down after 1 s without an answer. With `tls` every process speaks only
// TLS: to clients, between replicas and primary, and from the sentinels (`tls-replication yes`).

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { NO_PERSISTENCE, startRedisProcess, type RedisProcess } from './redis-process.js';
import { tlsServerArgs, type TlsFiles } from './redis-tls.js';

export interface SentinelNode {
  host: string;
  port: number;
}

export interface TestRedisSentinel {
  masterName: string;
  /** The sentinels (not the data nodes). */
  sentinels: SentinelNode[];
  /** `host:port,…` as DOCKHAND_REDIS_SENTINELS takes it. */
  sentinelList: string;
  /** The data nodes' password (requirepass, masterauth, the sentinels' auth-pass). */
  password: string | undefined;
  /** The sentinels' own password. */
  sentinelPassword: string | undefined;
  /** The primary the sentinels name now. */
  primary(): Promise<SentinelNode>;
  /** SIGKILLs the current primary (as a crashed machine); resolves with its address. */
  killPrimary(): Promise<SentinelNode>;
  /** Until the sentinels name a primary other than `old` and that node answers as a primary. */
  promoted(old: SentinelNode, timeoutMs?: number): Promise<SentinelNode>;
  /** A plain connection to a data node, closed by stop(). */
  node(node: SentinelNode): Redis;
  stop(): Promise<void>;
}

export interface StartRedisSentinelOptions {
  masterName?: string;
  replicas?: number;
  sentinels?: number;
  password?: string;
  sentinelPassword?: string;
  /** Only TLS, with these certificates (test/support/redis-tls.ts). */
  tls?: TlsFiles;
}

const READY_TIMEOUT_MS = 30_000;
const HOST = '127.0.0.1';

export async function startRedisSentinel(
  options: StartRedisSentinelOptions = {},
): Promise<TestRedisSentinel> {
  const masterName = options.masterName ?? 'dockhand-primary';
  const { password, sentinelPassword, tls } = options;
  const tlsCa = tls ? { tlsCa: tls.ca } : {};
  const auth = password ? ['--requirepass', password, '--masterauth', password] : [];
  const dataNodes: RedisProcess[] = [];
  const sentinelProcesses: RedisProcess[] = [];
  const clients: Redis[] = [];
  const stop = async () => {
    for (const client of clients) client.disconnect();
    await Promise.all([...sentinelProcesses, ...dataNodes].map((server) => server.stop()));
  };
  const connect = (node: SentinelNode, secret: string | undefined) => {
    const client = new Redis({
      ...node,
      ...(secret ? { password: secret } : {}),
      ...(tls ? { tls: { ca: tls.ca } } : {}),
      maxRetriesPerRequest: 1,
      retryStrategy: () => 200,
    });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const dataClients = new Map<number, Redis>();
  const node = (target: SentinelNode) => {
    let client = dataClients.get(target.port);
    if (!client) dataClients.set(target.port, (client = connect(target, password)));
    return client;
  };
  try {
    const dataArgs = (port: number, dir: string) => [
      ...(tls ? [...tlsServerArgs(tls, port), '--tls-replication', 'yes'] : ['--port', String(port)]),
      '--bind',
      HOST,
      ...NO_PERSISTENCE,
      '--dir',
      dir,
      ...auth,
    ];
    const first = await startRedisProcess({ ...tlsCa, args: dataArgs });
    dataNodes.push(first);
    for (let n = 0; n < (options.replicas ?? 1); n++) {
      dataNodes.push(
        await startRedisProcess({
          ...tlsCa,
          args: (port, dir) => [...dataArgs(port, dir), '--replicaof', HOST, String(first.port)],
        }),
      );
    }
    const count = options.sentinels ?? 3;
    const quorum = Math.floor(count / 2) + 1;
    for (let n = 0; n < count; n++) {
      sentinelProcesses.push(
        await startRedisProcess({
          ...tlsCa,
          args: async (port, dir) => {
            const file = join(dir, 'sentinel.conf');
            const lines = [
              ...(tls
                ? [
                    'port 0',
                    `tls-port ${port}`,
                    `tls-cert-file ${tls.certFile}`,
                    `tls-key-file ${tls.keyFile}`,
                    `tls-ca-cert-file ${tls.caFile}`,
                    'tls-auth-clients no',
                    // To the data nodes and the other sentinels, and the port announced to them.
                    'tls-replication yes',
                  ]
                : [`port ${port}`]),
              `bind ${HOST}`,
              `dir ${dir}`,
              `sentinel monitor ${masterName} ${HOST} ${first.port} ${quorum}`,
              `sentinel down-after-milliseconds ${masterName} 1000`,
              `sentinel failover-timeout ${masterName} 10000`,
              `sentinel parallel-syncs ${masterName} 1`,
              ...(password ? [`sentinel auth-pass ${masterName} ${password}`] : []),
              // Also the password this sentinel gives the others: all of them share it.
              ...(sentinelPassword ? [`requirepass ${sentinelPassword}`] : []),
            ];
            await writeFile(file, `${lines.join('\n')}\n`);
            return [file, '--sentinel'];
          },
        }),
      );
    }
    const sentinels = sentinelProcesses.map((server) => ({ host: HOST, port: server.port }));
    const sentinelClients = sentinels.map((sentinel) => connect(sentinel, sentinelPassword));
    const replicas = dataNodes.length - 1;
    await waitFor('the replicas to sync and the sentinels to know each other', async () => {
      for (const replica of dataNodes.slice(1)) {
        const info = await node({ host: HOST, port: replica.port }).info('replication');
        if (!/master_link_status:up/.test(info)) return false;
      }
      for (const client of sentinelClients) {
        const fields = toFields((await client.call('SENTINEL', 'MASTER', masterName)) as string[]);
        if (Number(fields['num-slaves']) < replicas) return false;
        if (Number(fields['num-other-sentinels']) < count - 1) return false;
      }
      return true;
    });

    const primary = async (): Promise<SentinelNode> => {
      for (const client of sentinelClients) {
        const reply = (await client
          .call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)
          .catch(() => null)) as [string, string] | null;
        if (reply) return { host: reply[0], port: Number(reply[1]) };
      }
      throw new Error('no sentinel answers');
    };
    return {
      masterName,
      sentinels,
      sentinelList: sentinels.map((sentinel) => `${sentinel.host}:${sentinel.port}`).join(','),
      password,
      sentinelPassword,
      primary,
      killPrimary: async () => {
        const current = await primary();
        await dataNodes.find((server) => server.port === current.port)!.kill();
        return current;
      },
      promoted: async (old, timeoutMs = READY_TIMEOUT_MS) => {
        let promotedTo: SentinelNode | undefined;
        await waitFor(
          'a replica to be promoted',
          async () => {
            const now = await primary().catch(() => old);
            if (now.port === old.port) return false;
            const role = (await node(now)
              .call('ROLE')
              .catch(() => [])) as unknown[];
            promotedTo = now;
            return role[0] === 'master';
          },
          timeoutMs,
        );
        return promotedTo!;
      },
      node,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = READY_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A sentinel's flat `[name, value, name, value, …]` reply as an object. */
function toFields(reply: string[] | Record<string, string>): Record<string, string> {
  if (!Array.isArray(reply)) return reply;
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) fields[reply[i]!] = reply[i + 1]!;
  return fields;
}
