import { describe, expect, it } from 'vitest';
import { ceiling, parseConstraint, toPep440 } from '../../../src/versioning/poetry/constraint.js';
import { poetry } from '../../../src/versioning/poetry/index.js';
import type { RangeStrategy } from '../../../src/versioning/types.js';

describe('poetry constraints', () => {
  it.each([
    ['^1.2.3', '>=1.2.3,<2'],
    ['^0.2.3', '>=0.2.3,<0.3'],
    ['^0.0.3', '>=0.0.3,<0.0.4'],
    ['^0.0', '>=0.0,<0.1'],
    ['^0', '>=0,<1'],
    ['~1.2.3', '>=1.2.3,<1.3'],
    ['~1', '>=1,<2'],
    ['1.2.3', '==1.2.3'],
    ['1.2.*', '==1.2.*'],
    ['*', '>=0.dev0'],
    ['>= 1.2, < 2.0', '>=1.2,<2.0'],
    ['>=1.2 <2.0', '>=1.2,<2.0'],
    ['~=1.2', '~=1.2'],
  ])('%j reads as %j', (value, expected) => {
    const alternatives = parseConstraint(value);
    expect(alternatives).toHaveLength(1);
    expect(toPep440(alternatives![0]!)).toBe(expected);
  });

  it('reads `||` alternatives and refuses what is not a constraint', () => {
    expect(parseConstraint('^1.0 || ^2.0')?.map(toPep440)).toEqual(['>=1.0,<2', '>=2.0,<3']);
    expect(parseConstraint('^junk')).toBeNull();
    expect(parseConstraint('')).toBeNull();
    expect(parseConstraint('>=')).toBeNull();
    expect(ceiling('tilde', '2')).toBe('3');
  });

  it.each([
    ['1.9.0', '^1.2', true],
    ['2.0.0', '^1.2', false],
    ['0.2.9', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['1.2.9', '~1.2', true],
    ['1.3.0', '~1.2', false],
    ['2.5.0', '^1.0 || ^2.0', true],
    ['1.2.3', '1.2.3', true],
    ['4.0', '*', true],
  ])('matches(%s, %j) is %s', (version, range, expected) => {
    expect(poetry.matches(version, range)).toBe(expected);
  });

  it('selects across alternatives and knows single versions', () => {
    expect(poetry.getSatisfyingVersion(['1.5.0', '2.1.0', '3.0.0', '2.2.0rc1'], '^1.0 || ^2.0')).toBe(
      '2.1.0',
    );
    expect(poetry.isSingleVersion('1.2.3')).toBe(true);
    expect(poetry.isSingleVersion('==1.2.3')).toBe(true);
    expect(poetry.isSingleVersion('^1.2.3')).toBe(false);
    expect(poetry.isValid('^1.2')).toBe(true);
  });

  type Row = [string, Exclude<RangeStrategy, 'auto'>, string, string | null];
  it.each<Row>([
    ['^1.2', 'pin', '1.5.0', '1.5.0'],
    ['^1.2', 'bump', '1.5.0', '^1.5'],
    ['^1.2.0', 'bump', '1.5.0', '^1.5.0'],
    ['^1.2', 'replace', '1.5.0', '^1.2'],
    ['^1.2', 'replace', '2.1.0', '^2.1'],
    ['~1.2', 'replace', '1.4.2', '~1.4'],
    ['^1.2', 'widen', '2.1.0', '^1.2 || ^2.1'],
    ['^1.2', 'update-lockfile', '1.9.0', '^1.2'],
    ['^1.2', 'in-range-only', '2.0.0', null],
    ['1.2.3', 'replace', '1.3.0', '1.3.0'],
    ['1.2.*', 'replace', '1.4.1', '1.4.*'],
    ['*', 'bump', '2.0.0', '*'],
    ['>=1.2,<2', 'replace', '2.1.0', '>=1.2,<3'],
    ['^1.2', 'bump', '2.0.0rc1', '^2.0.0rc1'],
    ['^1.0 || ^2.0', 'replace', '3.0.0', null],
  ])('%j with %s to %s → %j', (currentValue, rangeStrategy, newVersion, expected) => {
    expect(poetry.getNewValue({ currentValue, rangeStrategy, newVersion })).toBe(expected);
  });
});
