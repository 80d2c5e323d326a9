// Memory of `dockhand scan` as the repository grows (issue 9 §6): the tree (`node bench/memory.js DIR`,
// BENCH_SCAN_DIR or DOCKHAND_CORPUS, else the project's fixture tree; see support/data-dir.js) copied 1×,
// 4× and 16× side by side into a temp dir, each scanned by the real `node bin/dockhand.js scan DIR
// --format json` in a child process: its peak RSS (VmHWM of /proc/<pid>/status, polled while it runs),
// and whether it completes under `--max-old-space-size=256`. Prints figures; asserts nothing.
//
// Env: BENCH_MEMORY_COPIES (1,4,16), BENCH_MEMORY_HEAP_MB (256), BENCH_DOCKHAND_ROOT (the checkout whose
// bin/dockhand.js runs: default this one; point it at another worktree to compare).
import { spawn } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { ownDir } from './support/cleanup.js';
import { benchDir } from './support/data-dir.js';
import { memoryOf } from './support/process-memory.js';

const root = resolve(process.env.BENCH_DOCKHAND_ROOT ?? fileURLToPath(new URL('..', import.meta.url)));
const { dir } = benchDir('memory', import.meta.url, 'BENCH_SCAN_DIR');
const COPIES = (process.env.BENCH_MEMORY_COPIES ?? '1,4,16').split(',').map(Number);
const HEAP_MB = Number(process.env.BENCH_MEMORY_HEAP_MB ?? 256);
const POLL_MS = 5;

/**
 * Runs `dockhand scan tree --format json` (to /dev/null) with extra node flags; resolves with its exit
 * code or signal, peak RSS in MiB (the last VmHWM read before it exited) and whether V8 ran out of heap.
 */
function scan(tree, nodeFlags) {
  const args = [
    ...nodeFlags,
    join(root, 'bin/dockhand.js'),
    'scan',
    tree,
    '--format',
    'json',
    '--output',
    '/dev/null',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let peak = 0;
  const sample = () => (peak = Math.max(peak, memoryOf(child.pid)?.peak ?? 0));
  const poller = setInterval(sample, POLL_MS);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      clearInterval(poller);
      done({
        code,
        signal,
        completed: code === 0 || code === 1,
        outOfMemory: /heap out of memory|Allocation failed/i.test(stderr),
        peakMiB: peak,
        stderr,
      });
    });
  });
}

const describe = (run) =>
  run.completed
    ? `completes (exit ${run.code})`
    : run.outOfMemory
      ? `OUT OF MEMORY (${run.signal ?? `exit ${run.code}`})`
      : `fails (${run.signal ?? `exit ${run.code}`}): ${run.stderr.trim().split('\n').at(-1)}`;

const pad = (value, width) => String(value).padStart(width);

console.log(`${root}: dockhand scan of ${dir} copied ${COPIES.join('×, ')}× (node ${process.versions.node})`);
console.log(`copies  peak RSS  exit  |  --max-old-space-size=${HEAP_MB}: peak RSS  result`);
const peaks = new Map();
for (const copies of COPIES) {
  const tree = await mkdtemp(join(tmpdir(), 'dockhand-bench-memory-'));
  const remove = ownDir(tree);
  try {
    for (let i = 0; i < copies; i++)
      await cp(dir, join(tree, `copy-${String(i).padStart(2, '0')}`), {
        recursive: true,
        verbatimSymlinks: true,
      });
    const free = await scan(tree, []);
    const limited = await scan(tree, [`--max-old-space-size=${HEAP_MB}`]);
    peaks.set(copies, free.peakMiB);
    console.log(
      `${pad(copies, 5)}×  ${pad(free.peakMiB.toFixed(0), 5)} MiB  ${pad(free.completed ? free.code : describe(free), 4)}  |  ` +
        `${pad(limited.peakMiB.toFixed(0), 24)} MiB  ${describe(limited)}`,
    );
  } finally {
    remove();
  }
}
const [first, last] = [COPIES[0], COPIES.at(-1)];
if (peaks.size > 1)
  console.log(
    `peak RSS ${last}× / ${first}×: ${(peaks.get(last) / peaks.get(first)).toFixed(2)} ` +
      `(target for the real-world corpus: 16× under 2× the 1× peak, and 16× completing within ${HEAP_MB} MiB of heap)`,
  );
