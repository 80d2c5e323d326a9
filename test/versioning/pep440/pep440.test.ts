import { describe, expect, it } from 'vitest';
import { pep440 } from '../../../src/versioning/pep440/index.js';
import type { RangeStrategy } from '../../../src/versioning/types.js';

describe('versions', () => {
  it.each([
    ['2.31.0', true],
    ['1.0.0RC1', true],
    ['1!2.0.post1.dev3+local.1', true],
    ['v1.0', true],
    ['latest', false],
    ['', false],
    ['1.0-foo-bar', false],
    ['1'.repeat(300), false],
  ])('isVersion(%s) is %s', (value, expected) => {
    expect(pep440.isVersion(value)).toBe(expected);
  });

  it.each([
    ['2.31.0', true],
    ['2.31.0.post1', true],
    ['2.31.0+local', true],
    ['1.0.0RC1', false],
    ['2.0a1', false],
    ['2.0.dev3', false],
    ['2.0.post1.dev1', false],
    ['nope', false],
  ])('isStable(%s) is %s', (value, expected) => {
    expect(pep440.isStable(value)).toBe(expected);
  });

  it('orders versions as PEP 440 does, whatever the spelling', () => {
    const sorted = ['1.0.post1', '1.0', '1.0.0RC1', '1.0rc2', '1.0.dev1', '1.0a1', '1!0.1', '0.9'].sort(
      pep440.compare,
    );
    expect(sorted).toEqual(['0.9', '1.0.dev1', '1.0a1', '1.0.0RC1', '1.0rc2', '1.0', '1.0.post1', '1!0.1']);
    expect(pep440.compare('1.0', '1.0.0')).toBe(0);
    expect(pep440.compare('junk', '1.0')).toBeLessThan(0);
  });

  it('reads release segments, padding missing ones with 0', () => {
    expect([pep440.getMajor('2.31.4'), pep440.getMinor('2.31.4'), pep440.getPatch('2.31.4')]).toEqual([
      2, 31, 4,
    ]);
    expect([pep440.getMajor('3'), pep440.getMinor('3'), pep440.getPatch('3rc1')]).toEqual([3, 0, 0]);
    expect(pep440.getMajor('junk')).toBeNull();
  });
});

describe('specifiers', () => {
  it.each([
    ['==2.31.0', true, true],
    ['===2.31.0', true, true],
    ['===foobar', true, true],
    ['==2.*', true, false],
    ['~=2.31', true, false],
    ['>=2.31,<3', true, false],
    ['>=2.31, <3', true, false],
    [' >= 2.31 , != 2.32.* , < 3 ', true, false],
    ['!=2.0', true, false],
    ['2.31.0', false, false], // a bare version is Poetry's, not PEP 440
    ['^1.2', false, false],
    ['~1.2', false, false],
    ['~=2', false, false], // compatible release needs two segments
    ['>=2.*', false, false], // wildcards only with == and !=
    ['===2.*', false, false],
    ['>=2.31,', false, false],
    ['', false, false],
    ['>=junk', false, false],
  ])('%j: valid %s, single version %s', (value, valid, single) => {
    expect(pep440.isValid(value)).toBe(valid);
    expect(pep440.isSingleVersion(value)).toBe(single);
  });

  it.each([
    ['2.31.0', '==2.31.0', true],
    ['2.31', '==2.31.0', true],
    ['2.31.1', '==2.31.0', false],
    ['2.5.1', '==2.*', true],
    ['3.0', '==2.*', false],
    ['2.99', '~=2.31', true],
    ['3.0', '~=2.31', false],
    ['2.31.9', '~=2.31.0', true],
    ['2.32.0', '~=2.31.0', false],
    ['2.40', '>=2.31, <3', true],
    ['3.0', '>=2.31,<3', false],
    ['2.32.1', '>=2.31,!=2.32.*', false],
    ['1.0.0RC1', '>=1.0.0rc1,<2', true],
    ['3.0rc1', '>=2.0', true], // the range holds it; whether to take a pre-release is the caller's choice
    ['junk', '>=1', false],
    ['1.0', '1.0', false],
  ])('matches(%s, %j) is %s', (version, range, expected) => {
    expect(pep440.matches(version, range)).toBe(expected);
  });

  it('selects the highest satisfying version, pre-releases only when the specifier names one', () => {
    const versions = ['2.30.0', '2.31.0', '2.32.0rc1', '3.0.0', 'junk'];
    expect(pep440.getSatisfyingVersion(versions, '>=2.30,<3')).toBe('2.31.0');
    expect(pep440.getSatisfyingVersion(versions, '>=2.32.0rc1,<3')).toBe('2.32.0rc1');
    expect(pep440.getSatisfyingVersion(versions, '>=4')).toBeNull();
    expect(pep440.getSatisfyingVersion(versions, '2.31.0')).toBeNull();
  });
});

type Row = [
  currentValue: string,
  strategy: Exclude<RangeStrategy, 'auto'>,
  newVersion: string,
  expected: string | null,
];

describe('getNewValue', () => {
  const rows: Row[] = [
    // pin
    ['>=2.28,<3', 'pin', '2.31.0', '==2.31.0'],
    ['~=2.28', 'pin', '2.31.0', '==2.31.0'],
    // bump: floors rise, keeping operator and precision
    ['>=2.28', 'bump', '2.31.0', '>=2.31'],
    ['>=2.28.0', 'bump', '2.31', '>=2.31.0'],
    ['~=2.28.0', 'bump', '2.31.0', '~=2.31.0'],
    ['~=2.28', 'bump', '2.31.4', '~=2.31'],
    ['==2.28.*', 'bump', '2.31.0', '==2.31.*'],
    ['==2.28.0', 'bump', '2.31.0', '==2.31.0'],
    ['===2.28.0', 'bump', '2.31.0', '===2.31.0'],
    ['>=2.28, <3', 'bump', '2.31.0', '>=2.31, <3'],
    ['>= 2.28 , < 3', 'bump', '3.1.0', '>= 3.1 , < 4'],
    ['>=2.28,!=2.31.0', 'bump', '2.31.0', '>=2.31'],
    ['>=2.28', 'bump', '2.31.0rc1', '>=2.31.0rc1'], // `>=2.31` would exclude the pre-release
    ['>2.28', 'bump', '2.31.0', '>2.28'],
    // replace: only when out of range, keeping precision
    ['>=2.0,<3', 'replace', '2.5.0', '>=2.0,<3'],
    ['>=2.0,<3', 'replace', '3.1.0', '>=2.0,<4'],
    ['>=2.0,<3.0', 'replace', '3.1.0', '>=2.0,<4.0'],
    ['>=2.0,<2.5', 'replace', '2.7.1', '>=2.0,<2.8'],
    ['>=2.0,<=2.5', 'replace', '2.7.1', '>=2.0,<=2.7.1'],
    ['>=2.0,<=2.5', 'replace', '2.7', '>=2.0,<=2.7'],
    ['~=2.28.0', 'replace', '3.1.0', '~=3.1.0'],
    ['==2.*', 'replace', '3.1.0', '==3.*'],
    ['==2.28.0', 'replace', '2.31.0', '==2.31.0'],
    ['==2.28.0', 'replace', '2.28', '==2.28.0'],
    ['>2.0,<3', 'replace', '1.0', null], // a strict floor cannot take a downgrade
    // widen: extends the ceiling, keeps what was in
    ['>=2.0,<3', 'widen', '3.1.0', '>=2.0,<4'],
    ['>=2.0,<3', 'widen', '2.9', '>=2.0,<3'],
    ['~=2.28.0', 'widen', '3.1.0', '>=2.28.0,<3.2'],
    ['~=2.28', 'widen', '3.1.0', '>=2.28,<4'],
    ['==2.*', 'widen', '3.1.0', '>=2,<4'],
    ['==2.28.0', 'widen', '2.31.0', '==2.31.0'],
    // update-lockfile: keeps what admits the version, else replace
    ['>=2.0,<3', 'update-lockfile', '2.31.0', '>=2.0,<3'],
    ['>=2.0,<3', 'update-lockfile', '3.1.0', '>=2.0,<4'],
    ['~=2.28', 'update-lockfile', '2.31.0', '~=2.28'],
    // in-range-only: keeps or gives up
    ['>=2.0,<3', 'in-range-only', '2.31.0', '>=2.0,<3'],
    ['>=2.0,<3', 'in-range-only', '3.1.0', null],
    // not PEP 440
    ['2.28.0', 'bump', '2.31.0', null],
    ['^2.28', 'replace', '3.0.0', null],
    ['>=2.0', 'bump', 'junk', null],
  ];

  it.each(rows)('%j with %s to %s → %j', (currentValue, rangeStrategy, newVersion, expected) => {
    expect(pep440.getNewValue({ currentValue, rangeStrategy, newVersion })).toBe(expected);
  });

  it('always returns a value that admits the new version', () => {
    for (const [currentValue, rangeStrategy, newVersion, expected] of rows) {
      if (expected === null || rangeStrategy === 'in-range-only') continue;
      expect(pep440.matches(newVersion, expected), `${currentValue} ${rangeStrategy} ${newVersion}`).toBe(
        true,
      );
    }
  });
});
