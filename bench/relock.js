// npm lockfile regeneration (issue 10's figures): a 1,000-package package-lock.json re-locked against a
// local registry, timed, with no package tarball downloaded.
// 1. A generated graph: 1,000 packages (one in ten scoped), each at 1.0.0 and 1.1.0; the project depends
//    directly on 100 of them with ^/~ ranges, each package on a few later ones (every package reachable),
//    served by bench/support/npm-registry.js (packuments, real .tgz files with their integrity).
// 2. The initial package-lock.json from the real npm (`npm install --package-lock-only --ignore-scripts`).
// 3. "Publishing": a patch release of 20 packages and a new major of one direct dependency, whose range
//    package.json bumps.
// 4. regenerateNpmLockfile (dist/lockfiles/npm.js) against the registry, BENCH_RUNS (default 5) times,
//    then the same with `fresh: true` (lock file maintenance): median, min and max, packument and tarball
//    requests per run, the lockfile's size and how many packages moved, and the peak RSS of this process
//    and of the npm it runs.
// Prints figures; fails if a lock is wrong (not 1,000 packages, the bump missing, a tarball fetched).
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { findNpmCli } from '../dist/lockfiles/npm-cli.js';
import { regenerateNpmLockfile } from '../dist/lockfiles/npm.js';
import { ownDir } from './support/cleanup.js';
import { startNpmRegistry } from './support/npm-registry.js';
import { memoryOf } from './support/process-memory.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const TOTAL = 1000;
const DIRECT = 100;
const PATCHED = 20;

// ---- 1. The graph ----
// A small seeded PRNG (mulberry32), so every run builds the same graph.
let seed = 0x5eed;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (lo, hi) => lo + Math.floor(random() * (hi - lo)); // [lo, hi)
const nameOf = (i) =>
  i % 10 === 5 ? `@bench/lib-${String(i).padStart(4, '0')}` : `pkg-${String(i).padStart(4, '0')}`;
const names = Array.from({ length: TOTAL }, (_, i) => nameOf(i));
// Packages only depend on later ones (no cycles); each of the 900 indirect ones gets one parent among
// those before it, and every package a few more edges forward.
const edges = names.map(() => new Set());
for (let j = DIRECT; j < TOTAL; j++) edges[pick(0, j)].add(j);
for (let i = 0; i < TOTAL - 1; i++) {
  const extra = pick(0, 3);
  for (let k = 0; k < extra; k++) edges[i].add(pick(i + 1, Math.min(TOTAL, i + 200)));
}
const rangeFor = () => (random() < 0.8 ? '^1.0.0' : '~1.1.0');
const depsOf = (i) =>
  Object.fromEntries([...edges[i]].sort((a, b) => a - b).map((j) => [names[j], rangeFor()]));
const packages = new Map();
for (let i = 0; i < TOTAL; i++) {
  const dependencies = depsOf(i);
  packages.set(
    names[i],
    new Map([
      ['1.0.0', { dependencies }],
      ['1.1.0', { dependencies }],
    ]),
  );
}
// Package 0 is direct and no package depends on it: its major bump moves only itself.
const bumped = names[0];
const manifest = (bumpedRange) =>
  `${JSON.stringify(
    {
      name: 'relock-bench',
      version: '1.0.0',
      private: true,
      dependencies: Object.fromEntries(
        names
          .slice(0, DIRECT)
          .map((name, i) => [name, i === 0 ? bumpedRange : i % 3 === 0 ? '~1.1.0' : '^1.0.0']),
      ),
    },
    null,
    2,
  )}\n`;

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (msValue) => `${(msValue / 1000).toFixed(2)} s`;
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
const lockedVersions = (text) =>
  new Map(
    Object.entries(JSON.parse(text).packages)
      .filter(([path]) => path !== '')
      .map(([path, entry]) => [path, entry.version]),
  );
const moved = (from, to) => {
  const a = lockedVersions(from);
  let n = 0;
  for (const [path, version] of lockedVersions(to)) if (a.get(path) !== version) n++;
  return n;
};

/** Peak RSS (VmHWM, MiB) of this process's descendants while `fn` runs, sampled every 20 ms. */
async function childPeak(fn) {
  let peak = 0;
  const descendants = () => {
    const out = [];
    const queue = [process.pid];
    while (queue.length) {
      const pid = queue.shift();
      let children = [];
      try {
        children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean);
      } catch {
        // no /proc, or the process is gone
      }
      for (const child of children) {
        out.push(child);
        queue.push(child);
      }
    }
    return out;
  };
  const sample = () => {
    for (const pid of descendants()) peak = Math.max(peak, memoryOf(pid)?.peak ?? 0);
  };
  const timer = setInterval(sample, 20);
  try {
    return { result: await fn(), peak: () => peak };
  } finally {
    clearInterval(timer);
  }
}

/** Runs the real npm (`node npm-cli.js …`) in `cwd`; resolves with its output, rejects on failure. */
function runNpm(npmCli, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [npmCli, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`npm exited with ${code}:\n${output.slice(-2000)}`)),
    );
  });
}

const npmCli = findNpmCli();
if (!npmCli) {
  console.error('bench/relock: no npm beside this Node or under /usr/lib, /usr/local/lib');
  process.exit(2);
}
const npmVersion = JSON.parse(readFileSync(join(npmCli, '../../package.json'), 'utf8')).version;
console.log(
  `node ${process.versions.node}, npm ${npmVersion} (${npmCli}), ${cpus().length} cores, load average ` +
    `${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} at start`,
);

const temp = mkdtempSync(join(tmpdir(), 'dockhand-bench-relock-'));
const removeTemp = ownDir(temp);
const registry = await startNpmRegistry(packages);
try {
  // ---- 2. The initial lock, from the real npm ----
  const project = join(temp, 'project');
  const before = manifest('^1.0.0');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), before);
  writeFileSync(join(temp, 'user-npmrc'), '');
  writeFileSync(join(temp, 'global-npmrc'), '');
  registry.reset();
  const t0 = performance.now();
  await runNpm(
    npmCli,
    [
      'install',
      '--package-lock-only',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--no-update-notifier',
      '--logs-max=0',
      `--registry=${registry.url}`,
      `--cache=${join(temp, 'cache')}`,
      `--userconfig=${join(temp, 'user-npmrc')}`,
      `--globalconfig=${join(temp, 'global-npmrc')}`,
    ],
    project,
  );
  const initialMs = performance.now() - t0;
  const initialCounts = registry.counts();
  const initialLock = readFileSync(join(project, 'package-lock.json'), 'utf8');
  const initialPackages = lockedVersions(initialLock);
  if (initialPackages.size !== TOTAL)
    throw new Error(`the initial lock holds ${initialPackages.size} packages, not ${TOTAL}`);
  console.log(
    `graph: ${TOTAL} packages (${names.filter((n) => n.startsWith('@')).length} scoped), ${DIRECT} direct, ` +
      `${edges.reduce((n, e) => n + e.size, 0)} dependency edges, versions 1.0.0 and 1.1.0; registry ${registry.url}`,
  );
  console.log(
    `initial lock by npm install --package-lock-only: ${s(initialMs)}, ${initialPackages.size} packages, ` +
      `${mib(Buffer.byteLength(initialLock))}, lockfileVersion ${JSON.parse(initialLock).lockfileVersion}; ` +
      `${initialCounts.packuments} packument requests, ${initialCounts.tarballs} tarball requests`,
  );
  // Nothing else is in the project dir: npm wrote no node_modules.
  if (readdirSync(project).some((f) => f === 'node_modules')) throw new Error('npm wrote node_modules');

  // ---- 3. Publish: a patch of 20 packages (direct and indirect), a major of the bumped one ----
  const patched = [];
  for (let k = 0; patched.length < PATCHED; k++) {
    const name = names[(k * 97 + 13) % TOTAL];
    if (name === bumped || patched.includes(name)) continue;
    const versions = packages.get(name);
    versions.set('1.1.1', { dependencies: versions.get('1.1.0').dependencies });
    patched.push(name);
  }
  packages.get(bumped).set('2.0.0', { dependencies: packages.get(bumped).get('1.1.0').dependencies });
  const after = manifest('^2.0.0');
  console.log(
    `published: 1.1.1 of ${PATCHED} packages (${patched.filter((n) => names.indexOf(n) < DIRECT).length} direct), ` +
      `2.0.0 of ${bumped}; package.json bumps ${bumped} ^1.0.0 → ^2.0.0`,
  );

  // ---- 4. regenerateNpmLockfile ----
  console.log('');
  console.log(
    `regenerateNpmLockfile against the local registry, ${runs} runs each (npm's cache new each run):`,
  );
  let maxChildPeak = 0;
  const results = {};
  for (const [label, fresh] of [
    ['bump (update-lockfile)', false],
    ['fresh (lock file maintenance)', true],
  ]) {
    const times = [];
    const perRun = [];
    let lockfile;
    for (let i = 0; i < runs; i++) {
      registry.reset();
      const t = performance.now();
      const { result, peak } = await childPeak(() =>
        regenerateNpmLockfile({
          manifest: after,
          lockfile: initialLock,
          lockName: 'package-lock.json',
          registry: registry.url,
          fresh,
          npmCli,
        }),
      );
      times.push(performance.now() - t);
      maxChildPeak = Math.max(maxChildPeak, peak());
      if (!result.ok) throw new Error(`${label}: ${result.reason}`);
      perRun.push(registry.counts());
      lockfile = result.lockfile;
    }
    const locked = lockedVersions(lockfile);
    if (locked.size !== TOTAL) throw new Error(`${label}: the lock holds ${locked.size} packages`);
    if (locked.get(`node_modules/${bumped}`) !== '2.0.0') throw new Error(`${label}: ${bumped} not at 2.0.0`);
    const patchesTaken = patched.filter((n) => locked.get(`node_modules/${n}`) === '1.1.1').length;
    const tarballs = perRun.reduce((n, c) => n + c.tarballs, 0);
    results[label] = { times, perRun, lockfile, tarballs };
    console.log(`  ${label}`);
    console.log(
      `    time: median ${s(median(times))}, min ${s(Math.min(...times))}, max ${s(Math.max(...times))}`,
    );
    console.log(
      `    packument requests per run: ${perRun.map((c) => c.packuments).join(', ')} ` +
        `(${plural(perRun[0].distinct, 'distinct package')}); other requests: ${perRun.reduce((n, c) => n + c.other, 0)}`,
    );
    console.log(
      `    TARBALL REQUESTS: ${tarballs} in ${runs} runs${tarballs === 0 ? ' (none downloaded)' : ''}`,
    );
    console.log(
      `    lockfile: ${locked.size} packages, ${mib(Buffer.byteLength(lockfile))}; ` +
        `${plural(moved(initialLock, lockfile), 'package')} moved from the initial lock ` +
        `(${patchesTaken}/${PATCHED} patches taken, ${bumped} → 2.0.0)`,
    );
  }
  const tarballs = Object.values(results).reduce((n, r) => n + r.tarballs, 0);
  console.log('');
  console.log(
    `target: no package tarballs downloaded: ${tarballs === 0 ? 'met' : `MISSED (${tarballs} tarball requests)`}`,
  );
  console.log(
    `peak RSS: this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; ` +
      `the npm it ran ${maxChildPeak ? `${maxChildPeak.toFixed(0)} MiB` : 'not measured (no /proc)'}`,
  );
} finally {
  await registry.stop();
  removeTemp();
}
