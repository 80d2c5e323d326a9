import { describe, expect, it } from 'vitest';
import { DEFAULT_TTLS, ttlPolicy } from '../../src/cache/ttl.js';

describe('ttlPolicy', () => {
  it('keeps moving data an hour and content-addressed data for ever', () => {
    expect(DEFAULT_TTLS).toEqual({
      tags: 3600,
      tagDigest: 3600,
      manifest: undefined,
      config: undefined,
      created: undefined,
    });
    expect(ttlPolicy()).toEqual(DEFAULT_TTLS);
  });

  it('applies overrides: seconds, 0 to not cache, null for ever', () => {
    expect(ttlPolicy({ tags: 600, tagDigest: 0, created: 86400, manifest: null })).toEqual({
      tags: 600,
      tagDigest: 0,
      manifest: undefined,
      config: undefined,
      created: 86400,
    });
  });

  it('names the kind when an override is not a usable number', () => {
    expect(() => ttlPolicy({ tags: -1 })).toThrow(/tags/);
    expect(() => ttlPolicy({ config: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => ttlPolicy({ tagDigest: Number.NaN })).toThrow(RangeError);
  });
});
