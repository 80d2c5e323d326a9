import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { npm } from '../../../src/versioning/npm/index.js';
import type { RangeStrategy } from '../../../src/versioning/types.js';

type Strategy = Exclude<RangeStrategy, 'auto'>;
type Case = readonly [currentValue: string, newVersion: string, expected: string | null];

describe('versions', () => {
  it.each([
    ['1.2.3', true],
    ['v1.2.3', true],
    ['1.2.3-beta.1+build.5', true],
    ['1.2', false],
    ['^1.2.3', false],
    ['=1.2.3', false],
    ['17.04.0', false],
    ['1.2.3foo', false],
    ['latest', false],
    ['', false],
  ])('isVersion(%j) is %s', (value, expected) => {
    expect(npm.isVersion(value)).toBe(expected);
  });

  it.each([
    ['1.2.3', true],
    ['v1.2.3+build', true],
    ['1.2.3-0', false],
    ['2.0.0-rc.1', false],
    ['^1.2.3', false],
    ['nope', false],
  ])('isStable(%j) is %s', (value, expected) => {
    expect(npm.isStable(value)).toBe(expected);
  });

  it('orders versions as semver does, non-versions first', () => {
    const sorted = ['1.10.0', 'v1.2.0', '1.2.0-rc.1', '1.2.0-beta.2', 'junk', '0.9.9', '2.0.0'].sort(
      npm.compare,
    );
    expect(sorted).toEqual(['junk', '0.9.9', '1.2.0-beta.2', '1.2.0-rc.1', 'v1.2.0', '1.10.0', '2.0.0']);
    expect(npm.compare('1.0.0+a', '1.0.0+b')).toBe(0);
    expect(npm.compare('a', 'b')).toBeLessThan(0);
  });

  it('reads major, minor and patch of versions only', () => {
    expect([npm.getMajor('v4.18.2'), npm.getMinor('4.18.2'), npm.getPatch('4.18.2-rc.1')]).toEqual([
      4, 18, 2,
    ]);
    expect(npm.getMajor('^4.18.2')).toBeNull();
    expect(npm.getMinor('junk')).toBeNull();
    expect(npm.getPatch('4.18')).toBeNull();
  });
});

describe('ranges', () => {
  it.each([
    ['1.2.3', true, true],
    ['v1.2.3', true, true],
    ['=1.2.3', true, true],
    ['= 1.2.3', true, true],
    ['1.2.3-alpha.1', true, true],
    [' 1.2.3 ', true, true],
    ['*', true, false],
    ['x', true, false],
    ['X', true, false],
    ['1', true, false],
    ['1.2', true, false],
    ['1.x', true, false],
    ['1.2.*', true, false],
    ['^1.2.3', true, false],
    ['~1.2.3', true, false],
    ['~> 1.2', true, false],
    ['>1.2.3', true, false],
    ['>= 1.2.3', true, false],
    ['>=1 <2', true, false],
    ['1.0.0 - 2.0.0', true, false],
    ['^1.0.0 || ^2.0.0', true, false],
    ['^1.0.0||^2.0.0', true, false],
    ['1.2.3 || 1.2.4', true, false],
    ['', false, false],
    ['   ', false, false],
    ['17.04.0', false, false],
    ['1.2.3foo', false, false],
    ['latest', false, false],
    ['renovatebot/renovate#main', false, false],
    ['https://github.com/renovatebot/renovate.git', false, false],
    ['npm:lodash@^4', false, false],
    ['workspace:*', false, false],
  ])('%j: isValid %s, isSingleVersion %s', (value, valid, single) => {
    expect(npm.isValid(value)).toBe(valid);
    expect(npm.isSingleVersion(value)).toBe(single);
  });

  it.each([
    ['1.4.5', '^1.2.0', true],
    ['2.0.0', '^1.2.0', false],
    ['v1.4.5', '~1.4.0', true],
    ['1.5.0', '~1.4.0', false],
    ['1.9.9', '1.x', true],
    ['2.0.0', '1.0.0 - 2.0.0', true],
    ['2.0.1', '1.0.0 - 2.0.0', false],
    ['2.5.0', '^1.0.0 || ^2.0.0', true],
    ['1.5.0', '>=1 <2', true],
    ['5.0.0', '*', true],
    // semver's pre-release rule: only a range naming a pre-release of the same major.minor.patch admits one
    ['1.5.0-beta.1', '^1.0.0', false],
    ['1.5.0-beta.1', '*', false],
    ['1.0.0-beta.2', '^1.0.0-beta.1', true],
    ['1.0.1-beta.2', '^1.0.0-beta.1', false],
    ['latest', '*', false],
    ['1.2.3', 'latest', false],
    ['1.2.3', '', false],
  ])('matches(%j, %j) is %s', (version, range, expected) => {
    expect(npm.matches(version, range)).toBe(expected);
  });

  it.each([
    [['2.3.3.', '2.3.4', '2.4.5', '2.5.1', '3.0.0'], '*', '3.0.0'],
    [['2.3.3.', '2.3.4', '2.4.5', '2.5.1', '3.0.0'], 'x', '3.0.0'],
    [['2.3.3.', '2.3.4', '2.4.5', '2.5.1', '3.0.0'], '2', '2.5.1'],
    [['2.3.3.', '2.3.4', '2.4.5', '2.5.1', '3.0.0'], '2.*', '2.5.1'],
    [['2.3.3.', '2.3.4', '2.4.5', '2.5.1', '3.0.0'], '2.3', '2.3.4'],
    [['2.3.3.', '2.3.4', '2.4.5', '2.5.1', '3.0.0'], '~2.3.0 || ~2.4.0', '2.4.5'],
    [['2.3.4', '3.0.0-rc.1'], '^2.0.0', '2.3.4'],
    [['2.3.4', '3.0.0-rc.1'], '>=3.0.0-rc.0', '3.0.0-rc.1'],
    [['v2.3.4', 'latest'], '^2', 'v2.3.4'],
    [['1.0.0'], '^2', null],
    [['1.0.0'], 'latest', null],
  ])('getSatisfyingVersion(%j, %j) is %j', (versions, range, expected) => {
    expect(npm.getSatisfyingVersion(versions, range)).toBe(expected);
  });
});

// [currentValue, newVersion, expected]
const bump: Case[] = [
  ['^1.2.0', '1.4.5', '^1.4.5'],
  ['~1.2.0', '1.4.5', '~1.4.5'],
  ['^1.2', '1.4.5', '^1.4'],
  ['~1.2', '1.4.5', '~1.4'],
  ['^1', '1.4.5', '^1'],
  ['^1', '2.0.1', '^2'],
  ['~1', '1.4.5', '~1'],
  ['^0.2.0', '0.2.5', '^0.2.5'],
  ['^0.2', '0.3.1', '^0.3'],
  ['~1.2.0', '2.0.0', '~2.0.0'],
  ['^1.2.0', '2.1.0', '^2.1.0'],
  ['^1.2.0', '1.1.0', '^1.1.0'],
  ['>=1.0.0', '1.4.5', '>=1.4.5'],
  ['>= 1.0.0', '1.4.5', '>= 1.4.5'],
  ['>=1', '2.4.5', '>=2'],
  ['1.x', '1.4.5', '1.x'],
  ['1.x', '2.4.5', '2.x'],
  ['1.X', '2.4.5', '2.X'],
  ['1.2.x', '1.4.5', '1.4.x'],
  ['1.*', '3.0.0', '3.*'],
  ['1', '2.0.0', '2'],
  ['1.2', '1.4.5', '1.4'],
  ['*', '1.4.5', '*'],
  ['x', '1.4.5', 'x'],
  ['1.2.3', '1.4.5', '1.4.5'],
  ['=1.2.3', '1.4.5', '=1.4.5'],
  ['= 1.2.3', '1.4.5', '= 1.4.5'],
  ['v1.2.3', '1.4.5', 'v1.4.5'],
  ['^v1.2.0', '1.4.5', '^v1.4.5'],
  ['^1.2.0', 'v1.4.5', '^1.4.5'],
  ['^1.2.0', '1.4.5+build.7', '^1.4.5'],
  [' ^1.2.0 ', '1.4.5', ' ^1.2.0 '.replace('1.2.0', '1.4.5')],
  // a pre-release is admitted only when named, so the floor names it in full
  ['^1.2.0', '1.4.5-beta.1', '^1.4.5-beta.1'],
  ['^1', '1.0.7-pre.1', '^1.0.7-pre.1'],
  ['~1.0', '1.0.7-pre.1', '~1.0.7-pre.1'],
  ['^1.0.0-alpha.1', '1.0.0-beta.2', '^1.0.0-beta.2'],
  ['1.x', '1.5.0-rc.1', null],
  // ceilings move only when passed
  ['>= 0.1.21 < 0.2.0', '0.1.24', '>= 0.1.24 < 0.2.0'],
  ['>= 0.1.21 <= 0.2.0', '0.1.24', '>= 0.1.24 <= 0.2.0'],
  ['>= 0.0.1 < 0.1', '0.2.1', '>= 0.2.1 < 0.3'],
  ['>= 0.0.1 < 0.0.4', '0.0.5', '>= 0.0.5 < 0.0.6'],
  ['>= 0.0.1 < 1', '1.0.1', '>= 1.0.1 < 2'],
  ['>=1.0.0 <2.0.0-0', '2.3.0', '>=2.3.0 <3.0.0-0'],
  ['<2.0.0', '1.4.5', '<2.0.0'],
  ['<=2', '3.1.0', '<=3'],
  ['1.0.0 - 2.0.0', '1.5.0', '1.5.0 - 2.0.0'],
  ['1.0 - 2', '2.5.1', '2.5 - 2'],
  ['1 - 2', '3.4.5', '3 - 3'],
  // `||`: the alternative that admits the version rises; if none does, the last one alone
  ['^1.0.0 || ^2.0.0', '2.3.0', '^1.0.0 || ^2.3.0'],
  ['^1.0.0 || ^2.0.0', '1.5.0', '^1.5.0 || ^2.0.0'],
  ['^1.0.0 || ^2.0.0', '3.1.0', '^3.1.0'],
  ['^1.0.0||~2.1.0', '2.1.4', '^1.0.0||~2.1.4'],
  // shapes seen in real package.json files and engines
  ['^1.0.0-rc.12', '1.0.0', '^1.0.0'],
  ['>= 24', '25.1.0', '>= 25'],
  ['>=20.0.0 || >=22.0.0', '22.3.0', '>=20.0.0 || >=22.3.0'],
  ['^18.19.0 || >=20.6.0', '18.20.1', '^18.20.1 || >=20.6.0'],
  ['20.x', '22.1.0', '22.x'],
  ['19.1.0-rc.1', '19.1.0', '19.1.0'],
  // `>X` cannot be raised without becoming `>=`
  ['>1.0.0', '2.1.0', null],
  ['>1.0.0 <3', '2.1.0', null],
  // not npm ranges, or not versions
  ['latest', '1.4.5', null],
  ['github:owner/repo#v1.2.0', '1.4.5', null],
  ['', '1.4.5', null],
  ['^1.2.0', 'latest', null],
  ['^1.2.0', '1.4', null],
];

const replace: Case[] = [
  ['^1.2.0', '1.4.5', '^1.2.0'],
  ['^1.2.0', '2.1.0', '^2.1.0'],
  ['^1.2', '2.1.0', '^2.1'],
  ['^1', '2.1.0', '^2'],
  ['^1.0.0', '2.1.5', '^2.0.0'],
  ['^1.0.1', '2.0.2', '^2.0.2'],
  ['^1.2.3', '4.5.6', '^4.5.6'],
  ['^0.0.3', '0.0.6', '^0.0.6'],
  ['^0.2.3', '0.5.6', '^0.5.6'],
  ['^0.2.0', '0.5.6', '^0.5.0'],
  ['^1.2.3', '1.2.2', '^1.2.2'],
  ['~1.2.3', '1.2.9', '~1.2.3'],
  ['~1.2.3', '1.3.0', '~1.3.0'],
  ['~1.2.0', '1.3.5', '~1.3.0'],
  ['~1.0.0', '1.1.5', '~1.1.0'],
  ['~> 1.0.0', '1.1.7', '~> 1.1.0'],
  ['~1', '2.4.0', '~2'],
  ['1.x', '1.9.0', '1.x'],
  ['1.x', '2.1.0', '2.x'],
  ['1.x.x', '2.1.0', '2.x.x'],
  ['1.2.x', '1.3.0', '1.3.x'],
  ['1.0.*', '1.1.0', '1.1.*'],
  ['1.*', '2.1.0', '2.*'],
  ['1', '2.1.0', '2'],
  ['1.2', '1.3.4', '1.3'],
  ['<2.0.0', '2.1.0', '<3.0.0'],
  ['<2', '2.5.0', '<3'],
  ['<1.5', '1.7.2', '<1.8'],
  ['<1.5.2', '1.5.3', '<1.5.4'],
  ['<2.0.0-0', '2.1.0', '<3.0.0-0'],
  ['< 2.0.0', '2.1.0', '< 3.0.0'],
  ['<=1.0', '1.2.0', '<=1.2'],
  ['<= 1', '2.0.0', '<= 2'],
  ['<=1.2.3', '1.2.4', '<=1.2.4'],
  ['>=1.0.0 <2.0.0', '2.3.0', '>=1.0.0 <3.0.0'],
  ['>=1.0.0 <2.0.0', '0.9.0', '>=0.9.0 <2.0.0'],
  ['>=1 <2', '2.3.0', '>=1 <3'],
  ['>= 1.0.0  < 2.0.0', '2.3.0', '>= 1.0.0  < 3.0.0'],
  ['>=1.0.0', '0.9.3', '>=0.9.0'],
  ['^1.0.0', '0.9.3', '^0.9.0'],
  ['^0.2.0', '1.5.6', '^1.0.0'],
  ['1.2.x', '0.3.0', '0.3.x'],
  ['>=1.2.0', '1.1.5', '>=1.1.0'],
  ['1.0.0 - 2.0.0', '2.1.0', '1.0.0 - 2.1.0'],
  ['1 - 2', '3.4.0', '1 - 3'],
  ['1.0.0 - 2.0.0', '0.5.0', '0.5.0 - 2.0.0'],
  ['*', '2.0.0', '*'],
  ['x', '2.0.0', 'x'],
  ['1.2.3', '1.4.5', '1.4.5'],
  ['1.0.0', '1.4.5', '1.4.5'],
  ['=1.2.3', '1.4.5', '=1.4.5'],
  ['v1.2.3', '1.4.5', 'v1.4.5'],
  ['^v1.2.0', '2.1.0', '^v2.1.0'],
  ['^1.2.0', 'v2.1.0', '^2.1.0'],
  [' ^1.2.0\t', '2.1.0', ' ^2.1.0\t'],
  ['^1.0.0 || ^2.0.0', '2.5.0', '^1.0.0 || ^2.0.0'],
  ['^1.0.0 || ^2.0.0', '3.1.0', '^3.0.0'],
  ['^1.0.0 || >=2.0.0 <3.0.0', '3.1.0', '>=2.0.0 <4.0.0'],
  ['^1.0.0-rc.12', '1.0.0', '^1.0.0-rc.12'],
  ['^18 || ^19', '20.1.0', '^20'],
  ['20.x', '22.1.0', '22.x'],
  ['>=20 <22', '22.4.0', '>=20 <23'],
  ['>=18.0.0 <26.0.0', '26.1.0', '>=18.0.0 <27.0.0'],
  ['19.1.0-rc.1', '19.1.0', '19.1.0'],
  // pre-releases
  ['^1.0.0', '2.0.0-beta.1', '^2.0.0-beta.1'],
  ['^1.0.0-alpha', '1.0.0-beta', '^1.0.0-alpha'],
  ['~0.6.1', '0.7.0-rc.2', '~0.7.0-rc.2'],
  ['1.x', '2.0.0-beta.1', null],
  ['*', '2.0.0-beta.1', null],
  ['<2.0.0', '2.1.0-rc.1', null],
  // a `>X` floor cannot take a version below it
  ['>1.0.0', '2.0.0', '>1.0.0'],
  ['>1.0.0', '0.5.0', null],
  ['latest', '1.0.0', null],
  ['file:../lib', '1.0.0', null],
  ['^1.0.0', 'next', null],
];

const widen: Case[] = [
  ['^1.0.0', '1.5.0', '^1.0.0'],
  ['^1.0.0', '2.0.0', '^1.0.0 || ^2.0.0'],
  ['^1.0.0 || ^2.0.0', '3.1.0', '^1.0.0 || ^2.0.0 || ^3.0.0'],
  ['^1.0.0||^2.0.0', '3.0.0', '^1.0.0||^2.0.0||^3.0.0'],
  [' ^1.0.0 ', '2.0.0', ' ^1.0.0 || ^2.0.0 '],
  ['^1.2', '2.1.0', '^1.2 || ^2.1'],
  ['~1.2.0', '1.3.4', '~1.2.0 || ~1.3.0'],
  ['1.x', '2.1.0', '1.x || 2.x'],
  ['1.2.3', '2.0.0', '1.2.3 || 2.0.0'],
  ['=1.2.3', '2.0.0', '=1.2.3 || =2.0.0'],
  ['^1.0.0', '2.0.0-rc.1', '^1.0.0 || ^2.0.0-rc.1'],
  ['^18 || ^19', '20.1.0', '^18 || ^19 || ^20'],
  ['^16.8.0 || ^17.0.0', '18.2.0', '^16.8.0 || ^17.0.0 || ^18.0.0'],
  ['19.1.0-rc.1', '19.1.0', '19.1.0-rc.1 || 19.1.0'],
  ['20.x', '22.1.0', '20.x || 22.x'],
  // an upper bound moves, a floor-only range lowers its floor: both only widen
  ['<2.0.0', '2.0.1', '<3.0.0'],
  ['<=1.2.3', '1.2.3', '<=1.2.3'],
  ['<=1.2.3', '1.2.4', '<=1.2.4'],
  ['>=1.2.3', '1.2.3', '>=1.2.3'],
  ['>=1.2.3', '1.2.1', '>=1.2.1'],
  ['>=1.0.0', '1.4.5-beta.1', '>=1.0.0 || >=1.4.5-beta.1'],
  ['1.0.0 - 2.0.0', '2.1.0', '1.0.0 - 2.1.0'],
  ['>=1.0.0 <2.0.0', '2.3.0', '>=1.0.0 <3.0.0'],
  ['^1.0.0 || >=2.0.0 <3.0.0', '3.1.0', '^1.0.0 || >=2.0.0 <4.0.0'],
  ['*', '2.0.0', '*'],
  ['>1.0.0', '0.5.0', null],
  ['1.x', '2.0.0-beta.1', null],
  ['latest', '2.0.0', null],
];

const updateLockfile: Case[] = [
  ['^1.2.0', '1.4.5', '^1.2.0'],
  ['^1.2.0', '2.1.0', '^2.1.0'],
  ['1.x', '1.0.1', '1.x'],
  ['1.x', '2.0.1', '2.x'],
  ['*', '1.0.1', '*'],
  ['<2.0.0', '2.1.0', '<3.0.0'],
  ['~1.2.3', '1.3.0', '~1.3.0'],
  ['^1.0.0 || ^2.0.0', '2.9.0', '^1.0.0 || ^2.0.0'],
  ['^1.0.0 ||', '3.0.0', '^1.0.0 ||'],
  ['^1.0.0 ||', '3.0.0-rc.1', null],
  ['1.x', '2.0.0-beta.1', null],
  ['latest', '1.0.0', null],
];

const inRangeOnly: Case[] = [
  ['^1.2.0', '1.4.5', '^1.2.0'],
  ['^1.2.0', '2.0.0', null],
  ['1.x', '1.9.0', '1.x'],
  [' ~1.2.0 ', '1.2.9', ' ~1.2.0 '],
  ['^1.0.0', '1.5.0-beta.1', null],
  ['~1.2.0-beta.1', '1.2.0-beta.2', '~1.2.0-beta.1'],
  ['>1.0.0', '0.5.0', null],
  ['^1.0.0 ||', '3.0.0', '^1.0.0 ||'],
  ['latest', '1.0.0', null],
  ['^1.0.0', 'latest', null],
];

const pin: Case[] = [
  ['^1.2.0', '1.4.5', '1.4.5'],
  ['~1.2.0', 'v1.4.5', '1.4.5'],
  ['1.2.3', '1.4.5', '1.4.5'],
  ['=1.2.3', '1.4.5', '=1.4.5'],
  ['v1.2.3', '1.4.5', 'v1.4.5'],
  ['v1.0.0', 'v1.1.0', 'v1.1.0'],
  ['^v1.2.0', '1.4.5', '1.4.5'],
  ['*', '1.0.1', '1.0.1'],
  ['1.x', '1.4.5', '1.4.5'],
  ['>=1 <2', '1.4.5', '1.4.5'],
  ['^1.0.0 || ^2.0.0', '2.1.0', '2.1.0'],
  ['1.2.3', '2.0.0-beta.1', '2.0.0-beta.1'],
  ['^1.2.0', '1.4.5+build', '1.4.5'],
  ['= 1.2.3', '1.4.5', '= 1.4.5'],
  [' 1.2.3 ', '1.4.5', '1.4.5'],
  // semver reads an empty alternative as `*`; pin needs no rewriting
  ['^1.0.0 ||', '2.1.0', '2.1.0'],
  ['latest', '1.4.5', null],
  ['^1.2.0', 'latest', null],
];

const tables: Record<Strategy, Case[]> = {
  bump,
  replace,
  widen,
  'update-lockfile': updateLockfile,
  'in-range-only': inRangeOnly,
  pin,
};

describe.each(Object.entries(tables) as [Strategy, Case[]][])('getNewValue, %s', (rangeStrategy, cases) => {
  it.each(cases)('%j with %s → %j', (currentValue, newVersion, expected) => {
    expect(npm.getNewValue({ currentValue, rangeStrategy, newVersion })).toBe(expected);
  });
});

describe('values from the repository', () => {
  const spaced = (length: number): string => {
    const ends = '^1.0.0||^2.0.0';
    const gap = ' '.repeat((length - ends.length) / 2);
    return `^1.0.0${gap}||${gap}^2.0.0`;
  };

  it('reads a value up to 1,024 characters, whitespace kept', () => {
    const value = spaced(1024);
    expect(value).toHaveLength(1024);
    expect(npm.isValid(value)).toBe(true);
    expect(npm.getNewValue({ currentValue: value, rangeStrategy: 'widen', newVersion: '3.1.0' })).toBe(
      `${value}${value.slice(6, -6)}^3.0.0`,
    );
  });

  it('refuses a longer one, which semver would read', () => {
    const value = spaced(1026);
    expect(npm.matches('2.0.0', value.trim().replace(/ +/g, ' '))).toBe(true);
    expect(npm.isValid(value)).toBe(false);
    expect(npm.matches('2.0.0', value)).toBe(false);
    expect(npm.getSatisfyingVersion(['2.0.0'], value)).toBeNull();
    expect(npm.getNewValue({ currentValue: value, rangeStrategy: 'pin', newVersion: '2.0.0' })).toBeNull();
  });
});

describe('getNewValue, whatever the strategy', () => {
  const strategies = Object.keys(tables) as Strategy[];
  const ranges = [
    ...new Set(Object.values(tables).flatMap((cases) => cases.map(([currentValue]) => currentValue))),
  ];
  const versions = [
    ...new Set([
      ...Object.values(tables).flatMap((cases) => cases.map(([, newVersion]) => newVersion)),
      '0.0.1',
      '0.1.0',
      '1.0.0',
      '1.2.3',
      '1.99.0',
      '2.0.0',
      '10.0.0',
      '1.0.0-0',
      '3.0.0-rc.1',
    ]),
  ];

  /** Every (currentValue, newVersion, strategy) with its result. */
  const results = ranges.flatMap((currentValue) =>
    versions.flatMap((newVersion) =>
      strategies.map((rangeStrategy) => ({
        currentValue,
        newVersion,
        rangeStrategy,
        value: npm.getNewValue({ currentValue, rangeStrategy, newVersion }),
      })),
    ),
  );

  it('only ever proposes a value that admits the new version', () => {
    const proposed = results.filter((r) => r.value !== null);
    expect(proposed.filter((r) => !npm.matches(r.newVersion, r.value ?? ''))).toEqual([]);
    // the inputs are wide enough that most combinations get a value
    expect(proposed.length).toBeGreaterThan(results.length / 2);
  });

  it('keeps the current value exactly when it admits the new version (all but bump and pin)', () => {
    const admitted = results.filter(
      (r) => !['bump', 'pin'].includes(r.rangeStrategy) && npm.matches(r.newVersion, r.currentValue),
    );
    expect(admitted.filter((r) => r.value !== r.currentValue)).toEqual([]);
    expect(admitted.length).toBeGreaterThan(100);
  });

  it('in-range-only proposes nothing when the current value does not admit the new version', () => {
    const outside = results.filter(
      (r) => r.rangeStrategy === 'in-range-only' && !npm.matches(r.newVersion, r.currentValue),
    );
    expect(outside.filter((r) => r.value !== null)).toEqual([]);
    expect(outside.length).toBeGreaterThan(100);
  });

  it('widen keeps every version the current value admitted', () => {
    const admitted = new Map<string, string[]>();
    const admittedBy = (range: string): string[] => {
      let found = admitted.get(range);
      if (!found) admitted.set(range, (found = versions.filter((v) => npm.matches(v, range))));
      return found;
    };
    const widened = results.filter((r) => r.rangeStrategy === 'widen' && r.value !== null);
    const lost = widened.flatMap((r) => {
      // one compiled range per result: semver's own cache is too small for this many distinct values
      const now = new semver.Range(r.value ?? '');
      return admittedBy(r.currentValue)
        .filter((old) => !now.test(old))
        .map((old) => ({ ...r, old }));
    });
    expect(lost).toEqual([]);
    expect(widened.filter((r) => r.value !== r.currentValue).length).toBeGreaterThan(100);
  });

  it('pin always writes a single version', () => {
    const pinned = results.filter((r) => r.rangeStrategy === 'pin' && r.value !== null);
    expect(pinned.filter((r) => !npm.isSingleVersion(r.value ?? ''))).toEqual([]);
    expect(pinned.length).toBeGreaterThan(100);
  });
});
