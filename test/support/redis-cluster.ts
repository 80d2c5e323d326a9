// A real Redis Cluster for tests: `redis-server --cluster-enabled yes` masters (no replicas) on free
// loopback ports, joined by `redis-cli --cluster create … --cluster-yes`, ready once every node reports
// `cluster_state:ok`. With a password every node requires it (requirepass and masterauth). With `tls`
// every node speaks only TLS, to clients and on the cluster bus (`--tls-cluster yes`).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { NO_PERSISTENCE, startRedisProcess, type RedisProcess } from './redis-process.js';
import { tlsServerArgs, type TlsFiles } from './redis-tls.js';

const run = promisify(execFile);

export interface ClusterNode {
  host: string;
  port: number;
}

export interface TestRedisCluster {
  nodes: ClusterNode[];
  password: string | undefined;
  /** `host:port,host:port,…` as DOCKHAND_REDIS_NODES takes it; all nodes unless given some. */
  seeds(nodes?: ClusterNode[]): string;
  /** The slot Redis Cluster hashes `key` to (its hash tag's, when it has one). */
  keyslot(key: string): Promise<number>;
  /** The master serving `key`'s slot. */
  owner(key: string): Promise<ClusterNode>;
  /** A master that does not serve `key`'s slot: a seed that can only answer MOVED for it. */
  notOwner(key: string): Promise<ClusterNode>;
  /** A plain (non-cluster) connection to one node, closed by stop(). */
  node(node: ClusterNode): Redis;
  /** SIGKILLs one node (a lost machine). */
  kill(node: ClusterNode): Promise<void>;
  stop(): Promise<void>;
}

export interface StartRedisClusterOptions {
  /** Masters (at least 3, as redis-cli requires); default 3. */
  masters?: number;
  password?: string;
  /** Only TLS, with these certificates (test/support/redis-tls.ts). */
  tls?: TlsFiles;
}

const READY_TIMEOUT_MS = 20_000;

export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3;
  const password = options.password;
  const auth = password ? ['--requirepass', password, '--masterauth', password] : [];
  const tls = options.tls;
  const processes: RedisProcess[] = [];
  const clients: Redis[] = [];
  const stop = async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(processes.map((server) => server.stop()));
  };
  try {
    for (let n = 0; n < masters; n++) {
      processes.push(
        await startRedisProcess({
          // Redis 7 takes the bus port as a setting (otherwise port + 10000, which may be taken or invalid).
          extraPorts: 1,
          ...(tls ? { tlsCa: tls.ca } : {}),
          args: (port, dir, [busPort]) => [
            ...(tls ? [...tlsServerArgs(tls, port), '--tls-cluster', 'yes'] : ['--port', String(port)]),
            '--cluster-port',
            String(busPort!),
            '--bind',
            '127.0.0.1',
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '2000',
            ...NO_PERSISTENCE,
            '--dir',
            dir,
            ...auth,
          ],
        }),
      );
    }
    const nodes = processes.map((server) => ({ host: '127.0.0.1', port: server.port }));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map(address),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
      ...(password ? ['-a', password, '--no-auth-warning'] : []),
      ...(tls ? ['--tls', '--cacert', tls.caFile] : []),
    ]).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`redis-cli --cluster create failed: ${error.stderr || error.stdout || error.message}`);
    });
    const byAddress = new Map<string, Redis>();
    const node = (target: ClusterNode) => {
      let client = byAddress.get(address(target));
      if (!client) {
        client = new Redis({
          ...target,
          ...(password ? { password } : {}),
          ...(tls ? { tls: { ca: tls.ca } } : {}),
          maxRetriesPerRequest: 1,
        });
        client.on('error', () => undefined);
        byAddress.set(address(target), client);
        clients.push(client);
      }
      return client;
    };
    await waitUntilServing(nodes.map(node));

    const keyslot = async (key: string) => Number(await node(nodes[0]!).cluster('KEYSLOT', key));
    const owner = async (key: string) => {
      const slot = await keyslot(key);
      const ranges = (await node(nodes[0]!).cluster('SLOTS')) as unknown as [
        number,
        number,
        [string, number],
      ][];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no node serves slot ${slot}`);
      const [host, port] = range[2];
      return nodes.find((candidate) => candidate.port === Number(port) && candidate.host === host)!;
    };
    return {
      nodes,
      password,
      seeds: (some = nodes) => some.map(address).join(','),
      keyslot,
      owner,
      notOwner: async (key) => {
        const serving = await owner(key);
        return nodes.find((candidate) => candidate.port !== serving.port)!;
      },
      node,
      kill: (target) => processes.find((server) => server.port === target.port)!.kill(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Until every node says the cluster is ok and knows who serves all 16384 slots. */
async function waitUntilServing(clients: Redis[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const infos = await Promise.all(clients.map((client) => client.cluster('INFO').catch(() => '')));
    if (infos.every((info) => /cluster_state:ok/.test(info) && /cluster_slots_ok:16384/.test(info))) return;
    if (Date.now() > deadline) throw new Error(`the cluster did not become ready:\n${infos.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function address(node: ClusterNode): string {
  return `${node.host}:${node.port}`;
}
