// Registry requests of `dockhand scan --resolve` over a fixture org (50 directories sharing images on a
// real token-auth docker-registry), by kind, against the minimum the planner needs: one token per
// repository scope, one tag list per repository with a version tag, one HEAD per distinct tag resolved
// (current tags and the candidates whose digests are written), no manifest GET when nothing changed.
// Runs cold, warm on the same cache, and through Redis from a fresh client. Prints figures; asserts
// only that every run gives the same, error-free results.
import { randomBytes } from 'node:crypto';
import { MemoryCache } from '../dist/cache/memory.js';
import { createRedisCache } from '../dist/cache/redis.js';
import { loadConfig } from '../dist/config/index.js';
import { RegistryClient } from '../dist/datasources/docker/index.js';
import { NetworkPolicy } from '../dist/http/network-policy.js';
import { resolveFiles } from '../dist/plan/resolve.js';
import { scanDirectory } from '../dist/scan/scan.js';
import { docker } from '../dist/versioning/docker/index.js';
import { pushImages, REPOSITORIES, writeOrg } from './support/org-fixture.js';
import { startRedis } from './support/redis.js';
import { startTokenRegistry } from './support/registry.js';

const KINDS = ['token', 'tags', 'head', 'get-manifest', 'get-blob'];
const HEADINGS = {
  token: 'token',
  tags: 'tags',
  head: 'HEAD',
  'get-manifest': 'GET manifest',
  'get-blob': 'GET blob',
};
const TARGET_RATIO = 1.05;
const credentials = { username: 'bench', password: randomBytes(16).toString('hex') };
const warnings = [];

/** A client on `cache` whose requests are recorded in `events`, with the user's credentials. */
function countingClient(config, cache) {
  const events = [];
  const client = new RegistryClient({
    cache,
    hosts: config.registries.map(({ host }) => ({ host, credentials })),
    network: NetworkPolicy.local(),
    ttlSeconds: config.cacheTtlSeconds,
    onRequest: (event) => events.push(event),
    logger: { warn: (message) => warnings.push(message) },
  });
  return { client, events };
}

/** One `scan --resolve`; returns the requests it made (by kind, 401s apart), wall time and deps. */
async function measure(dir, config, counted, tokenLog) {
  const before = counted.events.length;
  const tokensBefore = tokenLog.length;
  const t0 = performance.now();
  const result = await scanDirectory(dir, config, {
    resolve: (files) => resolveFiles(files, config.updates, counted.client),
  });
  const ms = performance.now() - t0;
  const events = counted.events.slice(before);
  const counts = Object.fromEntries(
    KINDS.map((kind) => [kind, events.filter((e) => e.kind === kind).length]),
  );
  const deps = result.files.flatMap((file) => file.deps);
  const scopes = tokenLog.slice(tokensBefore).flatMap((request) => request.scopes);
  return { ms, events, counts, total: events.length, deps, scopes };
}

/** What the planner cannot do with less, derived from the deps it planned and the fixture's digests. */
function minimumFor(deps, host, fixture) {
  const ours = deps.filter((dep) => dep.registry === host && !dep.skipReason);
  const repositories = new Set(ours.map((dep) => dep.repository));
  const tagLists = new Set(
    ours.filter((dep) => dep.tag && docker.isVersion(dep.tag)).map((dep) => dep.repository),
  );
  const current = new Set(ours.map((dep) => `${dep.repository}:${dep.tag ?? 'latest'}`));
  const candidates = new Set();
  const indexes = new Set();
  for (const dep of ours) {
    for (const update of dep.updates ?? []) {
      if (update.newValue && update.newDigest) candidates.add(`${dep.repository}:${update.newValue}`);
    }
    // A pin to one platform's manifest needs the index of each tag it is compared with or moved to.
    if (dep.digest && fixture.children.has(dep.digest)) {
      for (const tag of [dep.tag ?? 'latest', ...(dep.updates ?? []).map((u) => u.newValue).filter(Boolean)])
        indexes.add(fixture.digests.get(`${dep.repository}:${tag}`));
    }
  }
  const heads = new Set([...current, ...candidates]);
  const counts = {
    token: repositories.size,
    tags: tagLists.size,
    head: heads.size,
    'get-manifest': indexes.size,
    'get-blob': 0,
  };
  const onlyCandidates = [...candidates].filter((c) => !current.has(c)).length;
  return { counts, total: KINDS.reduce((n, k) => n + counts[k], 0), current: current.size, onlyCandidates };
}

/** Comparable results: each dep's reference with its updates, stale flag and lookup error. */
function outcome(deps) {
  return JSON.stringify(
    deps.map((d) => [
      d.depName,
      d.tag,
      d.digest,
      d.updates ?? [],
      d.staleDigest ?? false,
      d.lookupError ?? null,
    ]),
  );
}

const pad = (text, width) => String(text).padStart(width);
function row(label, counts, total, extra = '') {
  const cells = KINDS.map((kind) => pad(counts[kind], HEADINGS[kind].length));
  return `${label.padEnd(34)} ${cells.join('  ')}  ${pad(total, 5)}  ${extra}`;
}
const ratio = (actual, minimum) =>
  minimum === 0 ? (actual === 0 ? '—' : '∞') : `${(actual / minimum).toFixed(3)}×`;

/** Where requests beyond the minimum went: challenges, repeats, manifest GETs by digest. */
function excess(run, minimum, pinned) {
  const lines = [];
  const challenges = run.events.filter((e) => e.status === 401);
  for (const e of challenges)
    lines.push(
      `401 challenge (the client learns how the host authenticates from it): ${e.kind} ${e.method} ${e.url}`,
    );
  const scopes = new Set(run.scopes);
  if (scopes.size < run.scopes.length)
    lines.push(`${run.scopes.length} tokens asked for ${scopes.size} scopes (the token server's log)`);
  const seen = new Map();
  for (const e of run.events) {
    // Token URLs differ only in their query (the scope), checked above.
    if (e.status === 401 || e.kind === 'token') continue;
    const key = `${e.kind} ${e.method} ${e.url}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  for (const [key, n] of seen) if (n > 1) lines.push(`asked ${n} times: ${key}`);
  const manifestGets = run.events.filter((e) => e.kind === 'get-manifest' && e.status !== 401);
  const ofPins = manifestGets.filter((e) => pinned.has(e.url.slice(e.url.lastIndexOf('/') + 1))).length;
  if (manifestGets.length > minimum.counts['get-manifest']) {
    lines.push(
      `${manifestGets.length} manifest GETs, ${ofPins} of them for digests pinned in the org (all still current); ` +
        `without those: ${ratio(run.total - ofPins, minimum.total)} the minimum`,
    );
  }
  return lines;
}

let registry;
let redis;
let org;
try {
  registry = await startTokenRegistry(credentials);
  const fixture = await pushImages(registry);
  org = await writeOrg(registry.host, fixture.digests);
  const { config } = await loadConfig(org.dir);
  const runs = [];

  // 1 and 2: one client, in-memory cache: cold, then the same questions again.
  const memory = countingClient(config, new MemoryCache());
  runs.push({
    label: '1 cold, in-memory cache',
    ...(await measure(org.dir, config, memory, registry.tokenRequests)),
  });
  runs.push({
    label: '2 again, same client and cache',
    ...(await measure(org.dir, config, memory, registry.tokenRequests)),
  });

  // 3: Redis shared by two clients (two processes in practice): the first fills it, the second asks nothing.
  redis = await startRedis();
  for (const label of ['3a fresh client, empty Redis', '3b another fresh client, same Redis']) {
    const cache = createRedisCache(redis.url, {
      prefix: redis.prefix,
      onError: (error, operation) => warnings.push(`redis ${operation}: ${error.message}`),
    });
    try {
      runs.push({
        label,
        ...(await measure(org.dir, config, countingClient(config, cache), registry.tokenRequests)),
      });
    } finally {
      await cache.close();
    }
  }

  const [cold] = runs;
  const errors = cold.deps.filter((d) => d.lookupError).map((d) => `${d.depName}: ${d.lookupError}`);
  if (errors.length) throw new Error(`lookups failed:\n${errors.join('\n')}`);
  for (const run of runs.slice(1)) {
    if (outcome(run.deps) !== outcome(cold.deps)) throw new Error(`run "${run.label}" planned differently`);
  }
  if (warnings.length)
    throw new Error(`${warnings.length} client warnings:\n${warnings.slice(0, 5).join('\n')}`);

  const minimum = minimumFor(cold.deps, registry.host, fixture);
  const ours = cold.deps.filter((d) => d.registry === registry.host);
  const updates = {};
  for (const d of ours) for (const u of d.updates ?? []) updates[u.type] = (updates[u.type] ?? 0) + 1;
  const pinned = new Set(ours.map((d) => d.digest).filter(Boolean));

  const { dockerfiles, compose, kubernetes } = org.counts;
  console.log(
    `fixture: ${dockerfiles} directories (${dockerfiles} Dockerfiles, ${compose} compose files, ${kubernetes} Kubernetes manifests), ` +
      `${ours.length} image references (${org.distinctReferences} distinct, ${pinned.size} digest pins, all current) ` +
      `to ${REPOSITORIES.length} repositories on a token-auth docker-registry`,
  );
  console.log(
    `planned updates: ${Object.entries(updates)
      .map(([type, n]) => `${n} ${type}`)
      .join(', ')}; ` +
      `token server log, measured runs: ${runs.map((r) => r.scopes.length).join(' / ')} token requests ` +
      `(client counted ${runs.map((r) => r.counts.token).join(' / ')})`,
  );
  console.log(
    `minimum: ${minimum.counts.token} tokens (one per repository scope), ${minimum.counts.tags} tag lists ` +
      `(one per repository with a version tag), ${minimum.counts.head} HEADs (distinct repository:tag resolved: ` +
      `${minimum.current} current + ${minimum.onlyCandidates} candidate-only), ${minimum.counts['get-manifest']} ` +
      `manifest GETs (no platform pins), 0 blob GETs (no minimum release age)`,
  );
  console.log('');
  console.log(`${''.padEnd(34)} ${KINDS.map((k) => HEADINGS[k]).join('  ')}  total  vs minimum     wall`);
  console.log(row('minimum (cold)', minimum.counts, minimum.total));
  for (const run of runs) {
    const cold = run === runs[0] || run.label.startsWith('3a');
    const against = cold ? ratio(run.total, minimum.total) : 'minimum 0';
    console.log(
      row(run.label, run.counts, run.total, `${against.padEnd(11)} ${pad(run.ms.toFixed(0), 5)} ms`),
    );
  }
  console.log('');
  for (const run of [runs[0], runs[2]]) {
    const perKind = KINDS.map((k) => `${HEADINGS[k]} ${ratio(run.counts[k], minimum.counts[k])}`).join(', ');
    console.log(`${run.label}: ${perKind}`);
    for (const line of excess(run, minimum, pinned)) console.log(`  excess: ${line}`);
  }
  const worst = Math.max(runs[0].total, runs[2].total) / minimum.total;
  // A 401 challenge counts under the kind of the request it answered; it is not a manifest read.
  const manifestGets = (run) =>
    run.events.filter((e) => e.kind === 'get-manifest' && e.status !== 401).length;
  const coldGets = Math.max(manifestGets(runs[0]), manifestGets(runs[2]));
  const warmTotal = runs[1].total + runs[3].total;
  console.log('');
  console.log(
    `target ≤ ${TARGET_RATIO}× the minimum: ${worst <= TARGET_RATIO ? 'met' : 'MISSED'} (${worst.toFixed(3)}×); ` +
      `zero manifest GETs when nothing changed: ${coldGets === 0 ? 'met' : `MISSED (${coldGets} on a cold run, all pins current)`}; ` +
      `cached runs ask nothing: ${warmTotal === 0 ? 'met' : `MISSED (${warmTotal} requests)`}`,
  );
} finally {
  // Each step on its own: one failing must not leave the others behind.
  const stops = [redis?.stop(), registry?.stop(), org?.remove()];
  for (const result of await Promise.allSettled(stops)) {
    if (result.status === 'rejected') console.error(`bench/registry: cleanup: ${result.reason?.message}`);
  }
}
