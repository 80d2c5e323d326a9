import { describe, expect, it } from 'vitest';
import { jsonChunks, lazyList } from '../../src/output/json-chunks.js';

const whole = (value: unknown) => [...jsonChunks(value)].join('');
const expected = (value: unknown) => JSON.stringify(value, null, 2);

describe('jsonChunks', () => {
  it('writes exactly what JSON.stringify(value, null, 2) writes', () => {
    const values = [
      null,
      0,
      'text with "quotes", a\nline break and ünïcödé 🐳',
      [],
      {},
      [1, 'two', null, [], {}, [[]]],
      { a: 1, b: undefined, c: () => 1, d: [undefined, () => 1], e: { f: [{ g: 'h' }] } },
      { date: new Date(0), nested: { empty: [], deep: [[{ x: [1, 2] }]] } },
    ];
    for (const value of values) expect(whole(value)).toBe(expected(value));
  });

  it('maps lazy lists as it writes them, at any depth, with the same text as mapped arrays', () => {
    const items = [{ n: 1 }, { n: 2 }, { n: 3 }];
    const mapped: number[] = [];
    const map = (item: { n: number }) => {
      mapped.push(item.n);
      return { n: item.n, twice: [item.n, item.n], none: undefined };
    };
    const lazy = { version: 1, runs: [{ results: lazyList(items, map), empty: lazyList([], map) }] };
    const eager = { version: 1, runs: [{ results: items.map(map), empty: [] }] };
    mapped.length = 0;

    const chunks = jsonChunks(lazy);
    expect(mapped).toEqual([]);
    const text = [...chunks].join('');
    expect(mapped).toEqual([1, 2, 3]);
    expect(text).toBe(expected(eager));
  });

  it('writes an element that has no JSON form as null, as JSON.stringify does in arrays', () => {
    const lazy = lazyList([1, 2], (n) => (n === 1 ? undefined : n));
    expect(whole({ list: lazy })).toBe(expected({ list: [undefined, 2] }));
  });
});
