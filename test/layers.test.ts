// Imports point down: the processes (the webhook app, the worker, the CLI) sit on the repository job,
// which sits on the queue, platform and core modules; nothing below imports a process above it.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
/** Top-level entries that are processes (or start them). */
const PROCESSES = ['app', 'worker', 'cli.ts'];

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : [join(dir, entry.name)])),
  );
  return nested.flat().filter((path) => path.endsWith('.ts'));
}

/** The src-relative modules a file imports (static and dynamic), e.g. `app/commands.js`. */
function importsOf(path: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((spec) => relative(SRC, join(path, '..', spec)));
}

describe('layers', () => {
  it('no module below the processes imports the webhook app, the worker or the CLI', async () => {
    const upward: string[] = [];
    for (const path of await sources(SRC)) {
      const own = relative(SRC, path);
      if (PROCESSES.some((top) => own === top || own.startsWith(`${top}/`))) continue;
      for (const target of importsOf(path, await readFile(path, 'utf8'))) {
        if (PROCESSES.some((top) => target.replace(/\.js$/, '.ts') === top || target.startsWith(`${top}/`)))
          upward.push(`${own} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
