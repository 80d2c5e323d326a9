import { describe, expect, it } from 'vitest';
import { parsePartial, parseRange, renderRange } from '../../../src/versioning/npm/range.js';

describe('npm range text', () => {
  it.each([
    '^1.2.0',
    ' ^1.2.0\t',
    '>= 1.0.0  < 2.0.0',
    '~> 1.2',
    '1.0.0   -   2.0.0',
    '^1.0.0||^2.0.0',
    '^1.0.0   ||  ~2.1.x',
    'v1.2.3',
    '= 1.2.3',
    '1.X.*',
    '*',
    '<2.0.0-0 >=1.2.3-beta.1+build.5',
  ])('%j renders back exactly as written', (value) => {
    const range = parseRange(value);
    expect(range).not.toBeNull();
    expect(renderRange(range!)).toBe(value);
  });

  it('keeps operators, spacing and the ends of a hyphen range', () => {
    expect(parseRange(' >= 1.2 <2 || 3.0.0 - 4 ')).toEqual({
      lead: ' ',
      tail: ' ',
      separators: [' || '],
      alternatives: [
        [
          {
            operator: '>=',
            gap: ' ',
            version: { v: '', numbers: [1, 2], wildcards: [], prerelease: '', build: '' },
          },
          ' ',
          {
            operator: '<',
            gap: '',
            version: { v: '', numbers: [2], wildcards: [], prerelease: '', build: '' },
          },
        ],
        [
          {
            operator: '',
            gap: '',
            hyphen: 'from',
            version: { v: '', numbers: [3, 0, 0], wildcards: [], prerelease: '', build: '' },
          },
          ' - ',
          {
            operator: '',
            gap: '',
            hyphen: 'to',
            version: { v: '', numbers: [4], wildcards: [], prerelease: '', build: '' },
          },
        ],
      ],
    });
  });

  it.each([
    ['v1.2.x-rc.1', { v: 'v', numbers: [1, 2], wildcards: ['x'], prerelease: 'rc.1', build: '' }],
    ['*', { v: '', numbers: [], wildcards: ['*'], prerelease: '', build: '' }],
    ['1.2.3+b.7', { v: '', numbers: [1, 2, 3], wildcards: [], prerelease: '', build: 'b.7' }],
    ['1.x.3', null],
    ['01.2.3', null],
    ['1.2.3.4', null],
  ])('partial version %j', (text, expected) => {
    expect(parsePartial(text)).toEqual(expected);
  });

  it.each(['', '  ', 'latest', '1.2.3foo', 'git+https://example.com/x.git', 'npm:left-pad@^1', '^1.0.0 ||'])(
    '%j is not a range this module rewrites',
    (value) => {
      expect(parseRange(value)).toBeNull();
    },
  );
});
