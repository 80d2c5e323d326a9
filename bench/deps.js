// npm and Python dependencies (issue 10's figures) — `node bench/deps.js DIR`, BENCH_DEPS_DIR or
// DOCKHAND_CORPUS_DEPS, else ../shared/corpus-deps beside the repository when it is there, else the
// project's fixture tree test/fixtures/packages:
// 1. extraction of every npm/Python manifest and lockfile in-process, through the scan and per file
//    through each manager (median of BENCH_RUNS, default 5, after a warm-up), the largest lockfile's parse
//    time, and the parse time of generated ~3 MB lockfiles (package-lock v3, yarn.lock v1);
// 2. lookups of every npm and PyPI dependency against local stand-ins for the registries (the deps'
//    registryUrls are overwritten after the scan), cold, warm, and through Redis from fresh lookups,
//    counted against the minimum (one request per distinct package looked up);
// 3. the process's peak RSS.
// Prints figures; asserts only that every resolve run gives the same, error-free results.
import { Buffer } from 'node:buffer';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MemoryCache } from '../dist/cache/memory.js';
import { createRedisCache } from '../dist/cache/redis.js';
import { loadConfig } from '../dist/config/index.js';
import { createPackageLookups } from '../dist/datasources/packages.js';
import { isValidPackageName } from '../dist/datasources/npm/index.js';
import { isProjectName, normaliseName } from '../dist/datasources/pypi/index.js';
import { NetworkPolicy } from '../dist/http/network-policy.js';
import { isCompanionFile, isLockfile, managerFor } from '../dist/managers/index.js';
import { needsReleases } from '../dist/plan/packages.js';
import { policyFor } from '../dist/plan/policy.js';
import { resolveFiles } from '../dist/plan/resolve.js';
import { pathMatcher } from '../dist/scan/glob.js';
import { maxBytesFor, scanDirectory, scanSource } from '../dist/scan/scan.js';
import { isSkipped, readCandidate, walk } from '../dist/scan/walk.js';
import { rangeVersioning } from '../dist/versioning/ranges.js';
import { ownDir } from './support/cleanup.js';
import { benchDir } from './support/data-dir.js';
import { packageLockV3, yarnLockV1 } from './support/deps-lockfiles.js';
import { startPackageRegistries } from './support/deps-registry.js';
import { startRedis } from './support/redis.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const PACKAGE_DATASOURCES = new Set(['npm', 'pypi']);

/** The tree: argument (when run on its own), BENCH_DEPS_DIR, DOCKHAND_CORPUS_DEPS, ../shared/corpus-deps, fixtures. */
function dataDir() {
  return benchDir('deps', import.meta.url, 'BENCH_DEPS_DIR', {
    corpus: 'DOCKHAND_CORPUS_DEPS',
    beside: '../shared/corpus-deps',
    fixtures: 'test/fixtures/packages',
  }).dir;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
const ms = (x) => `${x.toFixed(1)} ms`;
/** npm and Python manifests (the managers with a runtime), and the lockfiles and settings they read. */
const isPackageManifest = (path) => managerFor(path)?.runtime !== undefined;
const isPackagePath = (path) => isPackageManifest(path) || isCompanionFile(path);
const packageDeps = (files) =>
  files.flatMap((f) => f.deps.filter((d) => PACKAGE_DATASOURCES.has(d.datasource)));

/** Median (and min) of `runs` timed calls after one warm-up; `before` runs untimed before each. */
function timed(fn, before = () => {}) {
  before();
  let result = fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    before();
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  return { result, median: median(times), min: Math.min(...times) };
}
async function timedAsync(fn) {
  let result = await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    times.push(performance.now() - t0);
  }
  return { result, median: median(times), min: Math.min(...times) };
}

// npm's lockfile support keeps its last parse (keyed by path and text): parse another before each timed run.
const npm = managerFor('package.json');
const evictLastParse = () =>
  npm.lockfiles.apply(
    [],
    'evict/package.json',
    'evict/package-lock.json',
    '{"lockfileVersion":3,"packages":{}}',
  );

const dir = dataDir();
const { config } = await loadConfig(dir);
const ignored = pathMatcher(config.ignorePaths);
console.log(
  `tree: ${dir}; node ${process.versions.node}, ${cpus().length} cores, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} at start (timings are contended when it exceeds the cores)`,
);

// ---- 1. Extraction ----
// The files: what the scan walks, restricted to npm/Python manifests, lockfiles and settings.
const entries = walk(dir, { claims: isPackagePath, ignored, maxBytes: maxBytesFor });
const tooLarge = entries.filter(isSkipped);
const texts = new Map();
let bytes = 0;
for (const entry of entries.filter((e) => !isSkipped(e))) {
  const read = readCandidate(dir, entry);
  if (isSkipped(read)) continue;
  texts.set(entry.path, read.bytes.toString('utf8'));
  bytes += read.bytes.length;
}
const manifests = [...texts.keys()].filter(isPackageManifest);
const lockfiles = [...texts.keys()].filter(isLockfile);
console.log(
  `npm/Python files: ${manifests.length} manifests, ${lockfiles.length} lockfiles, ` +
    `${texts.size - manifests.length - lockfiles.length} settings; ${mb(bytes)}` +
    (tooLarge.length ? `; not read: ${tooLarge.map((s) => `${s.path} (${s.reason})`).join(', ')}` : ''),
);

// (a) through the scan, only those files (a FileSource over the same walk).
const packageSource = {
  list: () => walk(dir, { claims: isPackagePath, ignored, maxBytes: maxBytesFor }),
  read: (file) => readCandidate(dir, file),
};
evictLastParse();
const scanned = await timedAsync(async () => {
  evictLastParse();
  return scanSource(packageSource, config);
});
const scanDeps = packageDeps(scanned.result.files);
// What the scan reads: a lockfile is read (and decoded) again for each workspace member that uses it.
const scanReads = { count: 0, bytes: 0, repeated: new Map() };
evictLastParse();
await scanSource(packageSource, config, {
  onRead: (path, read) => {
    scanReads.count++;
    scanReads.bytes += read.length;
    scanReads.repeated.set(path, (scanReads.repeated.get(path) ?? 0) + 1);
  },
});
const scanErrors = scanned.result.files.reduce((n, f) => n + (f.errors?.length ?? 0), 0);
// (b) the whole tree as `dockhand scan` reads it (Dockerfiles, compose files and lint too).
const whole = await timedAsync(async () => {
  evictLastParse();
  return scanDirectory(dir, config);
});

// (c) per file through each manager: extract, then the first lockfile candidate present applied (texts in memory).
const perFile = timed(() => {
  let files = 0;
  let deps = 0;
  let locked = 0;
  let errors = 0;
  let lockApplied = 0;
  for (const path of manifests) {
    const manager = managerFor(path);
    const extracted = manager.extract(texts.get(path), path);
    let out = extracted.deps;
    errors += extracted.errors?.length ?? 0;
    const lockPath = manager.lockfiles?.candidates(path).find((p) => texts.has(p));
    if (lockPath !== undefined) {
      const applied = manager.lockfiles.apply(out, path, lockPath, texts.get(lockPath), (p) => texts.get(p));
      out = applied.deps;
      errors += applied.errors.length;
      lockApplied++;
    }
    const ours = out.filter((d) => PACKAGE_DATASOURCES.has(d.datasource));
    if (ours.length || extracted.errors?.length) files++;
    deps += ours.length;
    locked += ours.filter((d) => d.lockedVersion !== undefined).length;
  }
  return { files, deps, locked, errors, lockApplied };
}, evictLastParse);

const locked = (deps) => deps.filter((d) => d.lockedVersion !== undefined).length;
console.log('');
console.log(`extraction, median of ${runs} after a warm-up (min in brackets):`);
console.log(
  `  scan of the npm/Python files     ${ms(scanned.median).padStart(9)} (${ms(scanned.min)})  ` +
    `${scanned.result.files.length} files, ${scanDeps.length} deps, ${locked(scanDeps)} locked, ${scanErrors} file errors`,
);
const rereads = [...scanReads.repeated].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]);
console.log(
  `    the scan read ${mb(scanReads.bytes)} in ${scanReads.count} reads of ${texts.size} files (${mb(bytes)}); ` +
    `${rereads.length} files read more than once` +
    (rereads.length
      ? `, most: ${rereads
          .slice(0, 3)
          .map(([p, n]) => `${p} ×${n}`)
          .join(', ')}`
      : ''),
);
console.log(
  `  per file through each manager    ${ms(perFile.median).padStart(9)} (${ms(perFile.min)})  ` +
    `${perFile.result.files} files, ${perFile.result.deps} deps, ${perFile.result.locked} locked, ` +
    `${perFile.result.errors} file errors, ${perFile.result.lockApplied} lockfile applications (texts in memory)`,
);
console.log(
  `  whole-tree scanDirectory (+lint) ${ms(whole.median).padStart(9)} (${ms(whole.min)})  ` +
    `${whole.result.files.length} files (Dockerfiles, compose… too), ${packageDeps(whole.result.files).length} package deps`,
);

/** Parse time of one lockfile through its manifest's manager (median, evicting the kept parse). */
function lockParse(manifestPath, manifestText, lockPath, lockText, readFile) {
  const manager = managerFor(manifestPath);
  const deps = manager.extract(manifestText, manifestPath).deps;
  return timed(
    () => manager.lockfiles.apply(deps, manifestPath, lockPath, lockText, readFile),
    evictLastParse,
  );
}

// The largest lockfile of the tree, through a manifest that reads it.
const largest = lockfiles
  .map((p) => ({ path: p, size: Buffer.byteLength(texts.get(p)) }))
  .sort((a, b) => b.size - a.size)[0];
let largestLine = 'largest lockfile: none in the tree';
if (largest) {
  // The manifest beside it if it reads it, else a workspace member that does.
  const readers = manifests.filter(
    (m) =>
      managerFor(m)
        .lockfiles?.candidates(m)
        .find((p) => texts.has(p)) === largest.path,
  );
  const owner = readers.find((m) => dirname(m) === dirname(largest.path)) ?? readers[0];
  if (owner) {
    const t = lockParse(owner, texts.get(owner), largest.path, texts.get(largest.path), (p) => texts.get(p));
    const out = t.result.deps;
    largestLine =
      `largest lockfile: ${largest.path}, ${mb(largest.size)}: parsed and applied in ${ms(t.median)} ` +
      `(min ${ms(t.min)}) for ${owner} (${locked(out)}/${out.length} deps locked)`;
  } else largestLine = `largest lockfile: ${largest.path}, ${mb(largest.size)}: no manifest reads it`;
}
console.log(`  ${largestLine}`);

// Generated lockfiles of ~3 MB (the corpus has none that large), written to a temp dir and read back.
const temp = mkdtempSync(join(tmpdir(), 'dockhand-bench-deps-'));
const removeTemp = ownDir(temp);
const synthetic = [];
for (const [label, make, lockName] of [
  ['package-lock.json v3', packageLockV3, 'package-lock.json'],
  ['yarn.lock v1', yarnLockV1, 'yarn.lock'],
]) {
  const { manifest, lock } = make(10_000, 1_000);
  const sub = join(temp, lockName.replace('.', '-'));
  mkdirSync(sub);
  writeFileSync(join(sub, 'package.json'), manifest);
  writeFileSync(join(sub, lockName), lock);
  const lockText = readFileSync(join(sub, lockName), 'utf8');
  const t = lockParse('package.json', readFileSync(join(sub, 'package.json'), 'utf8'), lockName, lockText);
  const out = t.result.deps;
  // A yardstick for the machine's speed at the moment (timings vary with load): plain JSON.parse of the text.
  const yardstick = lockName.endsWith('.json') ? timed(() => JSON.parse(lockText)) : undefined;
  synthetic.push({
    jsonParse: yardstick?.median,
    label,
    size: Buffer.byteLength(lockText),
    ...t,
    locked: locked(out),
    deps: out.length,
    errors: t.result.errors.length,
  });
}
removeTemp();
for (const s of synthetic) {
  console.log(
    `  generated ${s.label.padEnd(20)} ${mb(s.size)}, 10,000 packages: parsed and applied in ${ms(s.median)} ` +
      `(min ${ms(s.min)}), ${s.locked}/${s.deps} direct deps locked${s.errors ? `, ${s.errors} errors` : ''}` +
      (s.jsonParse !== undefined ? `; JSON.parse alone ${ms(s.jsonParse)}` : ''),
  );
}
const worstLock = Math.max(...synthetic.map((s) => s.median));
const verdict = (x, limit) => `${x < limit ? 'met' : 'MISSED'} (${ms(x)})`;
console.log(
  `  targets: all manifests and lockfiles < 1 s: through the scan ${verdict(scanned.median, 1000)}, ` +
    `per file ${verdict(perFile.median, 1000)}; a 3 MB lockfile < 200 ms: ` +
    `${verdict(worstLock, 200)} (the slower generated one)`,
);

// ---- 2. Lookups ----
console.log('');
const registries = await startPackageRegistries();
let redis;
try {
  // The whole scan's package files (with the runtimes of the images built beside them), package deps only,
  // each pointed at the local stand-ins.
  const base = whole.result.files
    .map((f) => ({ ...f, deps: f.deps.filter((d) => PACKAGE_DATASOURCES.has(d.datasource)) }))
    .filter((f) => f.deps.length);
  for (const file of base)
    for (const dep of file.deps)
      dep.registryUrls = [dep.datasource === 'npm' ? registries.npmUrl : registries.pypiUrl];
  const fresh = () => JSON.parse(JSON.stringify(base));

  // The minimum: one request per distinct package the planner looks up (valid name, value to plan).
  const distinct = { npm: new Set(), pypi: new Set() };
  const needed = { npm: new Set(), pypi: new Set() };
  for (const file of base) {
    for (const dep of file.deps) {
      const name = dep.packageName ?? dep.depName;
      const key = dep.datasource === 'pypi' ? normaliseName(name) : name;
      distinct[dep.datasource].add(key);
      const versioning = rangeVersioning(dep.versioning);
      const valid = dep.datasource === 'npm' ? isValidPackageName(name) : isProjectName(name);
      if (
        valid &&
        versioning &&
        needsReleases(dep, versioning, policyFor(config.updates, dep, file.path, file.manager))
      )
        needed[dep.datasource].add(key);
    }
  }
  const minimum = needed.npm.size + needed.pypi.size;
  const warnings = [];
  const noImages = {
    // Only package deps are resolved: nothing reaches the image lookups.
    getTags: () => Promise.reject(new Error('no image lookups in this bench')),
  };

  const lookupsOn = (cache) => {
    let clientRequests = 0;
    const packages = createPackageLookups({
      cache,
      network: NetworkPolicy.local(),
      ttlSeconds: config.cacheTtlSeconds,
      onRequest: () => clientRequests++,
      warn: (message) => warnings.push(message),
    });
    return { packages, requests: () => clientRequests };
  };
  const results = [];
  const measure = async (label, lookups) => {
    registries.reset();
    const files = fresh();
    const before = lookups.requests();
    const t0 = performance.now();
    await resolveFiles(files, config.updates, noImages, { packages: lookups.packages });
    const wall = performance.now() - t0;
    const deps = files.flatMap((f) => f.deps);
    results.push({ label, wall, server: registries.byKind(), client: lookups.requests() - before, deps });
  };

  const memory = lookupsOn(new MemoryCache());
  await measure('1 cold, fresh MemoryCache', memory);
  await measure('2 warm, same lookups and cache', memory);
  await memory.packages.close();

  redis = await startRedis();
  for (const label of ['3a new lookups, empty Redis', '3b new lookups, same Redis']) {
    const cache = createRedisCache(redis.url, {
      prefix: redis.prefix,
      onError: (error, operation) => warnings.push(`redis ${operation}: ${error.message}`),
    });
    const lookups = lookupsOn(cache);
    try {
      await measure(label, lookups);
    } finally {
      await lookups.packages.close();
      await cache.close();
    }
  }

  // Sanity: no lookup errors, every run plans the same.
  const outcome = (deps) => JSON.stringify(deps.map((d) => [d.depName, d.updates ?? [], d.heldBack ?? null]));
  const errors = results[0].deps.filter((d) => d.lookupError).map((d) => `${d.depName}: ${d.lookupError}`);
  if (errors.length) throw new Error(`${errors.length} lookups failed:\n${errors.slice(0, 10).join('\n')}`);
  for (const r of results.slice(1))
    if (outcome(r.deps) !== outcome(results[0].deps)) throw new Error(`run "${r.label}" planned differently`);
  if (warnings.length) throw new Error(`${warnings.length} warnings:\n${warnings.slice(0, 5).join('\n')}`);

  const allDeps = results[0].deps;
  const updates = allDeps.reduce((n, d) => n + (d.updates?.length ?? 0), 0);
  console.log(
    `lookups: ${allDeps.length} package deps in ${base.length} files, registryUrls overwritten after the scan to ` +
      `local stand-ins (npm ${registries.npmUrl}, PyPI ${registries.pypiUrl}); NetworkPolicy.local(); ` +
      `${updates} updates planned`,
  );
  console.log(
    `distinct packages: npm ${distinct.npm.size}, pypi ${distinct.pypi.size}; looked up (valid name, a value ` +
      `to plan): npm ${needed.npm.size}, pypi ${needed.pypi.size} → minimum ${minimum} requests cold, 0 warm`,
  );
  console.log('');
  console.log(`${''.padEnd(34)}   npm   pypi  total  minimum  max/path  client     wall`);
  for (const r of results) {
    const cold = r.label.startsWith('1') || r.label.startsWith('3a');
    const total = r.server.npm + r.server.pypi;
    console.log(
      `${r.label.padEnd(34)} ${String(r.server.npm).padStart(5)}  ${String(r.server.pypi).padStart(5)}  ` +
        `${String(total).padStart(5)}  ${String(cold ? minimum : 0).padStart(7)}  ${String(r.server.maxPerPath).padStart(8)}  ` +
        `${String(r.client).padStart(6)}  ${ms(r.wall).padStart(9)}`,
    );
  }
  const total = (r) => r.server.npm + r.server.pypi;
  const coldOk = total(results[0]) <= minimum && total(results[2]) <= minimum;
  const warmOk = total(results[1]) === 0 && total(results[3]) === 0;
  console.log(
    `targets: at most one request per distinct package: ${coldOk ? 'met' : 'MISSED'} ` +
      `(${total(results[0])} and ${total(results[2])} vs ${minimum}); zero on a warm cache / warm Redis: ` +
      `${warmOk ? 'met' : 'MISSED'} (${total(results[1])} / ${total(results[3])})`,
  );
} finally {
  const stops = [redis?.stop(), registries.stop()];
  for (const result of await Promise.allSettled(stops))
    if (result.status === 'rejected') console.error(`bench/deps: cleanup: ${result.reason?.message}`);
}

// ---- 3. Memory ----
console.log('');
console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
