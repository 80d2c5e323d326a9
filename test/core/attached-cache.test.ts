import { describe, expect, it } from 'vitest';
import { AttachedCache } from '../../src/core/attached-cache.js';

describe('AttachedCache', () => {
  it('keeps a value per key object, invisible to JSON, keys, spreads and equality', () => {
    const cache = new AttachedCache<{ line: number }, string[]>();
    const other = new AttachedCache<{ line: number }, string>();
    const key = { line: 3 };
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, ['a']);
    other.set(key, 'b');
    expect(cache.get(key)).toEqual(['a']);
    expect(other.get(key)).toBe('b');
    expect(cache.get({ line: 3 })).toBeUndefined();
    expect(JSON.stringify(key)).toBe('{"line":3}');
    expect(Object.keys(key)).toEqual(['line']);
    expect({ ...key }).toEqual({ line: 3 });
    expect(key).toEqual({ line: 3 });
  });

  it('holds null as a value (computed: nothing)', () => {
    const cache = new AttachedCache<object, string | null>();
    const key = {};
    cache.set(key, null);
    expect(cache.get(key)).toBeNull();
  });
});
