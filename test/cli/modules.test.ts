// What a plain `dockhand scan` loads: no Redis client (ioredis, BullMQ), no GitHub App (probot) and no
// HTTP client (undici) — they belong to `--resolve`, `--redis`, `serve` and `worker`, and cost start-up
// time. A module hook in the real process lists every package it resolves.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/corpus.js';

const BIN = fileURLToPath(new URL('../../bin/dockhand.js', import.meta.url));

/** Records the package of every module resolved (import or require) and writes them out at exit. */
const HOOK = `
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const packages = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    const name = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url)?.[1];
    if (name) packages.add(name);
    return resolved;
  },
});
process.on('exit', () => writeFileSync(process.env.LOADED_PACKAGES, [...packages].sort().join('\\n')));
`;

let dir: string;
let hook: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockhand-modules-'));
  hook = join(dir, 'hook.mjs');
  await writeFile(hook, HOOK);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

async function packagesLoadedBy(args: string[]): Promise<string[]> {
  const list = join(dir, `loaded-${args.join('-').replace(/\W+/g, '_')}.txt`);
  const code = await new Promise<number>((resolve) =>
    execFile(
      process.execPath,
      ['--import', pathToFileURL(hook).href, BIN, ...args],
      { env: { ...process.env, LOADED_PACKAGES: list }, maxBuffer: 64 * 1024 * 1024 },
      (error) => resolve(error ? Number(error.code) : 0),
    ),
  );
  expect([0, 1]).toContain(code);
  return (await readFile(list, 'utf8')).split('\n');
}

describe('a plain scan', () => {
  it('loads no Redis, queue, GitHub App or HTTP client', async () => {
    for (const format of ['text', 'json', 'sarif']) {
      const loaded = await packagesLoadedBy(['scan', FIXTURES, '--format', format]);
      // The hook sees what the scan does need: the YAML reader and the config schema.
      expect(loaded).toEqual(expect.arrayContaining(['yaml', 'zod']));
      for (const name of ['ioredis', 'bullmq', 'probot', '@octokit/core', 'undici'])
        expect(loaded, `${format}: ${name}`).not.toContain(name);
    }
  });
});
