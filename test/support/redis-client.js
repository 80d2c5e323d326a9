// A Dockhand process for the Redis tests that need one of their own (a CA given as NODE_EXTRA_CA_CERTS,
// as an operator does; a second OS process for the cache's leases). It runs the built code (dist/, which
// the tests' global setup compiles), configured from the environment as the app and the workers are
// (DOCKHAND_REDIS_MODE, REDIS_URL, DOCKHAND_REDIS_NODES, …, DOCKHAND_QUEUE_PREFIX), and writes one JSON
// object per line on stdout.
//
//   node redis-client.js round-trip
//     A producer adds a repository job, a worker runs it; then 5 concurrent cached lookups of one key.
//     Prints {ran, completed, loads, values, stored, errors}.
//   node redis-client.js singleflight <url> <key>
//     Connects, prints {ready: true}, waits for a line on stdin, then starts 10 concurrent lookups of
//     <key> through the Redis cache, loading from <url> (GET, JSON); prints {started: true}, then
//     {values, loads, stats, errors}.
//
// Either exits 1 after printing {error, errors} when something fails or it takes longer than
// DOCKHAND_TEST_CLIENT_TIMEOUT_MS (default 20 s).

/* global process, console, fetch, setTimeout */

import { createInterface } from 'node:readline';
import { cached } from '../../dist/cache/cached.js';
import { RedisCache } from '../../dist/cache/redis.js';
import {
  createProducerConnection,
  createWorkerConnection,
  queueSettingsFromEnv,
} from '../../dist/queue/connection.js';
import { BullEnqueuer, createQueues } from '../../dist/queue/queues.js';
import { startWorker } from '../../dist/queue/worker.js';

const print = (value) => console.log(JSON.stringify(value));
const errors = [];
const onError = (message) => errors.push(message);
const connections = [];
const closers = [];

setTimeout(
  () => fail(new Error('timed out')),
  Number(process.env.DOCKHAND_TEST_CLIENT_TIMEOUT_MS ?? 20_000),
).unref();

try {
  const { redis, prefix } = queueSettingsFromEnv(process.env);
  const [command, ...args] = process.argv.slice(2);
  if (command === 'round-trip') await roundTrip(redis, prefix);
  else if (command === 'singleflight') await singleflight(redis, prefix, args[0], args[1]);
  else throw new Error(`unknown command ${command}`);
  await close();
  process.exit(0);
} catch (error) {
  fail(error);
}

function fail(error) {
  print({ error: error instanceof Error ? error.message : String(error), errors });
  process.exit(1);
}

async function close() {
  for (const closer of closers.reverse()) await closer();
  for (const connection of connections) connection.disconnect();
}

function workerConnection(redis) {
  const connection = createWorkerConnection(redis, onError);
  connections.push(connection);
  return connection;
}

async function until(check, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function roundTrip(redis, prefix) {
  const producer = createProducerConnection(redis, onError);
  connections.push(producer);
  const queues = createQueues({ connection: producer, prefix, onError });
  closers.push(() => queues.close());
  const ran = [];
  const worker = startWorker({
    connection: workerConnection(redis),
    prefix,
    processors: { crawl: async () => undefined, repo: async (data) => void ran.push(data) },
  });
  closers.push(() => worker.close());
  await worker.waitUntilReady();
  await new BullEnqueuer(queues).enqueueRepo({ installationId: 7, repository: 'acme/api', reason: 'push' });
  await until(async () => ran.length === 1 && (await queues.repo.getCompletedCount()) === 1, 'the job');

  const cache = new RedisCache(workerConnection(redis), {
    prefix: `${prefix}:cache:`,
    onError: (error, operation) => errors.push(`cache ${operation}: ${error.message}`),
  });
  const key = 'digest:docker.io/library/node:20';
  let loads = 0;
  const values = await Promise.all(
    Array.from({ length: 5 }, () =>
      cached(cache, key, 3600, async () => {
        loads++;
        return { digest: 'sha256:1' };
      }),
    ),
  );
  print({
    ran,
    completed: await queues.repo.getCompletedCount(),
    loads,
    values,
    stored: await cache.get(key),
    errors,
  });
}

async function singleflight(redis, prefix, url, key) {
  const connection = workerConnection(redis);
  const cache = new RedisCache(connection, {
    prefix: `${prefix}:cache:`,
    onError: (error, operation) => errors.push(`cache ${operation}: ${error.message}`),
  });
  // Connected (on a Cluster: the slots known) before the parent says go.
  await connection.exists(`${prefix}:cache:warm-up`);
  print({ ready: true });
  await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
  let loads = 0;
  const lookups = Array.from({ length: 10 }, () =>
    cached(cache, key, 3600, async () => {
      loads++;
      const response = await fetch(url);
      if (!response.ok) throw new Error(`registry answered ${response.status}`);
      return response.json();
    }),
  );
  print({ started: true });
  const values = await Promise.all(lookups);
  print({ values, loads, stats: cache.stats(), errors });
}
