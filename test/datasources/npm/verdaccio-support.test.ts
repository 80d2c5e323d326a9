// The test registry helper itself: a start that does not come up in time fails with a clear message
// and leaves nothing behind, and stop() removes the registry's files.
import { access } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startVerdaccio } from '../../support/verdaccio.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('test npm registry', () => {
  it('fails with a clear message when verdaccio does not answer in time', async () => {
    await expect(startVerdaccio({ startTimeoutMs: 1 })).rejects.toThrow(
      /^verdaccio did not answer on http:\/\/127\.0\.0\.1:\d+\/-\/ping within 1 ms/,
    );
  });

  it('answers the npm client, and stop() removes its storage', async () => {
    const registry = await startVerdaccio();
    try {
      await registry.publish({ name: 'probe', version: '0.0.1', tag: 'beta' });
      await registry.distTag('probe', '0.0.1', 'stable');
      const res = await fetch(`${registry.url}probe`);
      const doc = (await res.json()) as { 'dist-tags': Record<string, string> };
      expect(doc['dist-tags']).toEqual({ latest: '0.0.1', beta: '0.0.1', stable: '0.0.1' });
    } finally {
      await registry.stop();
    }
    expect(await exists(registry.dir)).toBe(false);
  });
});
