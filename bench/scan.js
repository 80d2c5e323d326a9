// Scan + lint of a tree — `node bench/scan.js DIR`, BENCH_SCAN_DIR or DOCKHAND_CORPUS (the real-world
// corpus), else the project's fixture tree (see support/data-dir.js): in-process throughput, whole-process
// wall time and peak RSS of `dockhand scan`. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../dist/config/index.js';
import { scanDirectory } from '../dist/scan/scan.js';
import { benchDir } from './support/data-dir.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { dir } = benchDir('scan', import.meta.url, 'BENCH_SCAN_DIR');
const runs = Number(process.env.BENCH_RUNS ?? 10);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const { config } = await loadConfig(dir);

// In-process: what the worker pays per repository once the process is up.
let result = await scanDirectory(dir, config); // warm-up (JIT, file cache)
let bytes = 0;
for (const file of result.files) bytes += (await stat(join(dir, file.path))).size;
const times = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  result = await scanDirectory(dir, config);
  times.push(performance.now() - t0);
}
const ms = median(times);
const deps = result.files.reduce((n, f) => n + f.deps.length, 0);
console.log(
  `${dir}: ${result.files.length} files, ${(bytes / 1e6).toFixed(2)} MB, ${deps} image refs, ${result.findings.length} findings`,
);
console.log(
  `in-process scan+lint: median ${ms.toFixed(1)} ms of ${runs} runs (min ${Math.min(...times).toFixed(1)}) → ` +
    `${Math.round(result.files.length / (ms / 1000))} files/s, ${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`,
);

// Whole process: node start-up + module loading + scan + JSON rendering, as a CI job would run it.
const cli = [join(root, 'bin/dockhand.js'), 'scan', dir, '--format', 'json', '--output', '/dev/null'];
const walls = [];
for (let i = 0; i < Math.max(3, Math.floor(runs / 2)); i++) {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, cli, { encoding: 'utf8' });
  walls.push(performance.now() - t0);
  if (child.status !== 0 && child.status !== 1)
    throw new Error(`dockhand scan exited ${child.status}: ${child.stderr}`);
}
// Peak RSS of the same command, reported by the child itself at exit.
const probe = spawnSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `process.on('exit', () => process.stderr.write('maxrss=' + process.resourceUsage().maxRSS + '\\n'));` +
      `process.argv.splice(1, 0, 'dockhand'); const { main } = await import(${JSON.stringify(join(root, 'dist/cli.js'))});` +
      `process.exitCode = await main(${JSON.stringify(cli.slice(1))});`,
  ],
  { encoding: 'utf8' },
);
const rss = Number(/maxrss=(\d+)/.exec(probe.stderr)?.[1] ?? NaN) / 1024;
console.log(
  `whole process (node ${process.versions.node}): median wall ${median(walls).toFixed(0)} ms of ${walls.length}, peak RSS ${rss.toFixed(0)} MiB`,
);
console.log('targets for the real-world corpus: in-process < 250 ms, whole process < 1500 ms');
