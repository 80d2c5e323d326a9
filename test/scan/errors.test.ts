// A throw inside a manager or the lint engine is recorded on that file; the scan goes on.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type * as ComposeModule from '../../src/managers/compose/index.js';
import { scanDirectory } from '../../src/scan/scan.js';

vi.mock('../../src/rules/engine.js', () => ({
  lintDockerfile: () => {
    throw new Error('rule exploded');
  },
}));
vi.mock('../../src/managers/compose/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof ComposeModule>();
  const { manager } = original;
  return {
    ...original,
    manager: {
      ...manager,
      extract: () => {
        throw new Error('manager exploded');
      },
    },
  };
});

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dockhand-errors-'));
  await writeFile(join(root, 'Dockerfile'), 'FROM alpine:3.20\n');
  await writeFile(join(root, 'compose.yaml'), 'services:\n  a:\n    image: redis:7\n');
});
afterAll(() => rm(root, { recursive: true, force: true }));

it('turns throws into file errors and keeps what was extracted', async () => {
  const { config } = await loadConfig(root);
  const result = await scanDirectory(root, config);
  expect(result.findings).toEqual([]);
  expect(result.files).toEqual([
    {
      path: 'Dockerfile',
      manager: 'dockerfile',
      deps: [expect.objectContaining({ depName: 'docker.io/library/alpine', tag: '3.20' })],
      errors: [{ message: 'linting failed: rule exploded' }],
    },
    {
      path: 'compose.yaml',
      manager: 'compose',
      deps: [],
      errors: [{ message: 'compose manager failed: manager exploded' }],
    },
  ]);
});
