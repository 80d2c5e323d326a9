// Scan + lint of one Dockerfile with many chained stages (issue 8 §4): stage i copies from stage i-1
// (`COPY --from`), or is built on it (`FROM`). Stage analysis should grow linearly with the stage count.
// Prints figures; asserts nothing. BENCH_RUNS (default 3) in-process runs per size, the median printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../dist/config/index.js';
import { scanDirectory } from '../dist/scan/scan.js';
import { ownDir } from './support/cleanup.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const sizes = [1_000, 5_000, 20_000];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const chains = {
  'COPY --from chain': (i) => [`FROM alpine:3.20 AS s${i}`, `COPY --from=s${i - 1} /a /a`],
  'FROM chain': (i) => [`FROM s${i - 1} AS s${i}`, `RUN echo ${i} >> /a`],
};

function dockerfile(stages, link) {
  const lines = ['FROM alpine:3.20 AS s0', 'RUN echo 0 > /a'];
  for (let i = 1; i < stages; i++) lines.push(...link(i));
  return lines.join('\n') + '\n';
}

const dir = mkdtempSync(join(tmpdir(), 'dockhand-bench-stages-'));
ownDir(dir);
const { config } = await loadConfig(dir);

for (const [shape, link] of Object.entries(chains)) {
  for (const stages of sizes) {
    writeFileSync(join(dir, 'Dockerfile'), dockerfile(stages, link));
    const times = [];
    let result;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      result = await scanDirectory(dir, config);
      times.push(performance.now() - t0);
    }
    console.log(
      `${shape}, ${String(stages).padStart(6)} stages: in-process scan+lint median ${(median(times) / 1000).toFixed(2)} s ` +
        `of ${runs} (${result.findings.length} findings)`,
    );
  }
}

// The whole command, as the issue measured it: `dockhand scan DIR` on the largest COPY --from chain.
const largest = sizes.at(-1);
writeFileSync(join(dir, 'Dockerfile'), dockerfile(largest, chains['COPY --from chain']));
const t0 = performance.now();
const child = spawnSync(process.execPath, [join(root, 'bin/dockhand.js'), 'scan', dir], {
  encoding: 'utf8',
  stdio: ['ignore', 'ignore', 'pipe'], // tens of thousands of findings: more than spawnSync's buffer
});
if (child.status !== 0 && child.status !== 1)
  throw new Error(`dockhand scan exited ${child.status ?? child.signal}: ${child.stderr}`);
console.log(
  `whole process (node ${process.versions.node}): dockhand scan, ${largest} stages, ${((performance.now() - t0) / 1000).toFixed(2)} s`,
);
