import { describe, expect, it } from 'vitest';
import { eachLimited } from '../../src/core/each-limited.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('eachLimited', () => {
  it('runs every item, in order of start, never more than the limit at once', async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await eachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      most = Math.max(most, ++running);
      await tick();
      running--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('starts nothing after a failure and throws the first error once running tasks settle', async () => {
    const finished: number[] = [];
    const run = eachLimited([1, 2, 3, 4, 5], 2, async (n) => {
      await tick();
      if (n === 2) throw new Error('two');
      if (n === 3) throw new Error('three');
      await tick();
      finished.push(n);
    });
    await expect(run).rejects.toThrow('two');
    // 1 was running when 2 failed and finished; 3 started before the failure was seen, 4 and 5 never.
    expect(finished).toEqual([1]);
  });

  it('does nothing for no items', async () => {
    await eachLimited([], 4, () => {
      throw new Error('not called');
    });
  });
});
