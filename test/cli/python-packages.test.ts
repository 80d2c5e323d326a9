// `scan --resolve` and `fix` on a Python project against the tests' own package index (PEP 691/503,
// real wheels): the requirements file's own `--index-url` names the index, the Dockerfile beside it says
// which Python the code runs on, and the real pip installs what `fix` wrote.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { pipDownload, startPypiIndex, type PypiIndex } from '../support/pypi-index.js';

let index: PypiIndex;
let dir: string;
const dirs: string[] = [];

beforeAll(async () => {
  index = await startPypiIndex({
    projects: [
      {
        name: 'requests',
        releases: [
          { version: '2.28.0', requiresPython: '>=3.7' },
          { version: '2.31.0', requiresPython: '>=3.7' },
          { version: '2.33.0', requiresPython: '>=3.10' },
          { version: '3.0.0rc1', requiresPython: '>=3.7' },
        ],
      },
      {
        name: 'Flask',
        releases: [
          { version: '2.0.0' },
          { version: '2.3.3' },
          { version: '3.1.0', yanked: 'broken wheel' },
          { version: '3.0.3' },
        ],
      },
    ],
  });
});
afterAll(() => index?.stop());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockhand-python-'));
  dirs.push(dir);
  await writeFile(join(dir, 'Dockerfile'), 'FROM python:3.9-slim\nCOPY . .\nUSER 1000\n');
  await writeFile(
    join(dir, 'requirements.txt'),
    `--index-url ${index.simpleUrl}\nrequests==2.28.0  # pinned\nflask>=2.0,<3 ; python_version >= "3.8"\n-e ./vendored\n`,
  );
  // Image lookups are not what this test is about (and there is no Docker Hub here).
  await writeFile(
    join(dir, '.dockhand.yml'),
    'updates:\n  rules:\n    - matchManagers: [dockerfile]\n      enabled: false\n',
  );
});

const cli = (argv: string[]) => runCli(argv, { cwd: dir, env: { HOME: dir, NO_COLOR: '1' } });

describe('Python dependencies through the CLI', () => {
  it('scan --resolve proposes what the image’s Python can run, and says what it held back', async () => {
    const { code, stdout } = await cli(['scan', '.', '--resolve', '--format', 'json']);
    expect(code).toBe(0);
    const file = JSON.parse(stdout).files.find((f: { path: string }) => f.path === 'requirements.txt');
    const byName = Object.fromEntries(file.deps.map((d: { depName: string }) => [d.depName, d]));
    expect(byName.requests).toMatchObject({
      datasource: 'pypi',
      currentValue: '==2.28.0',
      updates: [{ type: 'minor', newValue: '==2.31.0', newVersion: '2.31.0' }],
      heldBack: {
        version: '2.33.0',
        reason: 'requires-python >=3.10 excludes Python 3.9 of python:3.9-slim',
      },
    });
    // 3.1.0 is yanked: 3.0.3 is the major on offer.
    expect(byName.flask.updates).toEqual([
      expect.objectContaining({
        type: 'major',
        newVersion: '3.0.3',
        newValue: expect.stringContaining('<4'),
      }),
    ]);
    expect(byName['./vendored']).toMatchObject({ skipReason: 'local' });
    // Asked once per project, at the index the file names.
    const asked = index.requests.filter((r) => r.served !== 'file').map((r) => r.url);
    expect(asked.sort()).toEqual(['/simple/flask/', '/simple/requests/']);
  });

  it('fix writes the new specifiers, keeping the rest of each line, and pip installs the result', async () => {
    const { code, stdout } = await cli(['fix', '.', '--type', 'minor,patch']);
    expect(code).toBe(0);
    expect(stdout).toContain('+requests==2.31.0  # pinned');
    const written = await readFile(join(dir, 'requirements.txt'), 'utf8');
    expect(written).toBe(
      `--index-url ${index.simpleUrl}\nrequests==2.31.0  # pinned\nflask>=2.0,<3 ; python_version >= "3.8"\n-e ./vendored\n`,
    );
    // The real pip resolves the pinned line from the same index.
    const { stdout: pip } = await pipDownload(index.simpleUrl, ['requests==2.31.0'], join(dir, 'wheels'));
    expect(pip).toMatch(/Saved .*requests-2\.31\.0-py3-none-any\.whl/);
  });

  it('a second fix changes nothing', async () => {
    await cli(['fix', '.', '--type', 'minor,patch']);
    const before = await readFile(join(dir, 'requirements.txt'), 'utf8');
    const again = await cli(['fix', '.', '--type', 'minor,patch']);
    expect(again.stdout).toBe('');
    expect(await readFile(join(dir, 'requirements.txt'), 'utf8')).toBe(before);
  });
});

afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
