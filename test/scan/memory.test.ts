// A scan keeps each file's results, not its text or parse model: the real CLI scans 4,000 generated
// Dockerfiles (12 MB of text) inside a 64 MiB old generation. A scan that kept every text and model until
// linting ended needed more than 80 MiB for this tree and died of "JavaScript heap out of memory".
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { scanDirectory } from '../../src/scan/scan.js';

const BIN = fileURLToPath(new URL('../../bin/dockhand.js', import.meta.url));
const FILES = 4_000;
const HEAP_MIB = 64;
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** About 3 KB: a pinned base, 30 long ENV lines, a non-root user; few findings, and none that age. */
function dockerfile(i: number): string {
  const lines = [
    `FROM registry.example.com/platform/base:1.${i % 50}.0@${DIGEST}`,
    `WORKDIR /srv/service-${i}`,
  ];
  for (let step = 0; step < 30; step++)
    lines.push(`ENV STEP_${step}_OF_${i}=/opt/service-${i}/stage-${step}/with/a/rather/long/path/to/keep`);
  lines.push(
    `COPY --chown=10001:10001 bin/ /srv/service-${i}/bin/`,
    'USER 10001',
    `CMD ["/srv/service-${i}/bin/run"]`,
  );
  return `${lines.join('\n')}\n`;
}

function run(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

let root: string;
let tree: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dockhand-memory-'));
  tree = join(root, 'tree');
  for (let i = 0; i < FILES; i++) {
    const dir = join(tree, `team-${Math.floor(i / 100)}`, `service-${i}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'Dockerfile'), dockerfile(i));
  }
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('scan memory', () => {
  it(`scans ${FILES} Dockerfiles inside a ${HEAP_MIB} MiB heap, with every result`, async () => {
    // What one file yields, scanned alone in-process: the whole tree must yield it for every file.
    const one = join(root, 'one');
    await mkdir(one);
    await writeFile(join(one, 'Dockerfile'), dockerfile(7));
    const alone = await scanDirectory(one, (await loadConfig(one)).config);
    expect(alone.files[0]!.deps).toHaveLength(1);

    const output = join(root, 'report.json');
    const { code, stderr } = await run([
      `--max-old-space-size=${HEAP_MIB}`,
      BIN,
      'scan',
      tree,
      '--format',
      'json',
      '--output',
      output,
    ]);
    expect(stderr).not.toMatch(/heap out of memory/);
    expect([0, 1]).toContain(code);
    const report = JSON.parse(await readFile(output, 'utf8')) as {
      files: { path: string; deps: { value: string }[] }[];
      findings: { path: string; rule: string }[];
      skipped: unknown[];
    };
    expect(report.files).toHaveLength(FILES);
    expect(report.files.every((file) => file.deps.length === 1)).toBe(true);
    expect(report.files.find((f) => f.path === 'team-0/service-7/Dockerfile')?.deps[0]?.value).toBe(
      `registry.example.com/platform/base:1.7.0@${DIGEST}`,
    );
    expect(report.findings).toHaveLength(FILES * alone.findings.length);
    expect(
      report.findings.filter((f) => f.path === 'team-0/service-7/Dockerfile').map((f) => f.rule),
    ).toEqual(alone.findings.map((f) => f.rule));
    expect(report.skipped).toEqual([]);
  }, 180_000);
});
