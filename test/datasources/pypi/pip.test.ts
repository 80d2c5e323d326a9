// The local index and its wheels are real: the real pip resolves and downloads from them, honouring
// yanked files, requires-python and the sha256 hashes in the pages.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { PypiDatasource } from '../../../src/datasources/pypi/index.js';
import { NetworkPolicy } from '../../../src/http/network-policy.js';
import { memoryCache } from '../docker/fake-registry.js';
import { pipDownload, startPypiIndex, type PypiIndex } from '../../support/pypi-index.js';

const run = promisify(execFile);

async function pipVersion(): Promise<string | null> {
  try {
    return (await run('python3', ['-m', 'pip', '--version'], { timeout: 30_000 })).stdout.trim();
  } catch {
    return null;
  }
}

const pip = await pipVersion();
if (!pip)
  console.log('pip tests skipped: `python3 -m pip` is not available (apt-get install -y python3-pip)');

describe.skipIf(!pip).each(['negotiate', 'html'] as const)('pip against the local index (%s)', (serve) => {
  let index: PypiIndex;
  let dir: string;
  beforeAll(async () => {
    index = await startPypiIndex({
      serve,
      projects: [
        {
          name: 'Dock.Hand_probe',
          releases: [
            { version: '1.0.0', requiresPython: '>=3.7' },
            { version: '1.1.0', yanked: 'broken' },
            { version: '2.0.0', requiresPython: '>=3.99' },
          ],
        },
      ],
    });
    dir = await mkdtemp(join(tmpdir(), 'dockhand-pip-'));
  });
  afterAll(async () => {
    await index.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // Async on purpose: the index answers from this process's event loop.
  const download = (spec: string, to: string) => pipDownload(index.simpleUrl, [spec], to);

  it('downloads the newest installable wheel, skipping the yanked and the too-new-Python release', async () => {
    const to = join(dir, 'latest');
    await download('dock-hand-probe', to);
    const [wheel] = await readdir(to);
    expect(wheel).toBe('dock_hand_probe-1.0.0-py3-none-any.whl');
    const served = index.files.find((f) => f.filename === wheel)!;
    expect(
      createHash('sha256')
        .update(await readFile(join(to, wheel!)))
        .digest('hex'),
    ).toBe(served.sha256);
    const pages = index.requests.filter((r) => r.url.startsWith('/simple/'));
    expect(pages.at(-1)?.served).toBe(serve === 'html' ? 'html' : 'json');
  }, 150_000);

  it('still takes a yanked release pinned exactly (PEP 592), from its verified wheel', async () => {
    const to = join(dir, 'pinned');
    const { stderr, stdout } = await download('dock-hand-probe==1.1.0', to);
    expect(await readdir(to)).toEqual(['dock_hand_probe-1.1.0-py3-none-any.whl']);
    expect(`${stdout}${stderr}`).toMatch(/yanked/i);
  }, 150_000);

  it('downloads with --require-hashes from the hashes the datasource reads, and fails on a wrong one', async () => {
    const pypi = new PypiDatasource({
      cache: memoryCache(),
      network: NetworkPolicy.publicOnly([index.host]),
    });
    const files = await pypi.getFiles({
      packageName: 'Dock.Hand_probe',
      registryUrl: index.simpleUrl,
      version: '1.0.0',
    });
    await pypi.close();
    expect(files).toHaveLength(2);
    const hashes = files.map((f) => ` --hash=sha256:${f.hashes.sha256}`).join('');
    const requirements = join(dir, 'requirements.txt');
    await writeFile(requirements, `dock-hand-probe==1.0.0${hashes}\n`);
    const hashedDownload = (to: string) =>
      pipDownload(index.simpleUrl, ['--require-hashes', '-r', requirements], to);
    const to = join(dir, 'hashed');
    await hashedDownload(to);
    // The check is real: a wrong hash fails.
    await writeFile(requirements, `dock-hand-probe==1.0.0 --hash=sha256:${'0'.repeat(64)}\n`);
    await expect(hashedDownload(join(dir, 'wrong'))).rejects.toMatchObject({
      stderr: expect.stringMatching(/DO NOT MATCH THE HASHES/),
    });
    expect(await readdir(to)).toEqual(['dock_hand_probe-1.0.0-py3-none-any.whl']);
  }, 150_000);
});
