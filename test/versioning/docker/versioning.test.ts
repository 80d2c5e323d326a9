import { describe, expect, it } from 'vitest';
import { docker } from '../../../src/versioning/docker/index.js';

describe('docker.compare', () => {
  it("sorts Renovate's example: prereleases first, a rolling tag above its patches, a bare tag above a suffixed one", () => {
    const sorted = [
      '3.7.0b1',
      '3.7.0b5',
      '3.7.0',
      '3.7-alpine',
      '3.8.0b1-alpine',
      '3.8.0-alpine',
      '3.8.0',
      '3.8.2',
    ];
    const shuffled = [
      '3.8.0',
      '3.7-alpine',
      '3.8.2',
      '3.7.0b5',
      '3.8.0-alpine',
      '3.7.0',
      '3.8.0b1-alpine',
      '3.7.0b1',
    ];
    expect([...shuffled].sort(docker.compare)).toEqual(sorted);
    for (let i = 1; i < sorted.length; i++) {
      expect(docker.compare(sorted[i - 1]!, sorted[i]!)).toBeLessThan(0);
      expect(docker.compare(sorted[i]!, sorted[i - 1]!)).toBeGreaterThan(0);
    }
  });

  // [lower, higher]
  it.each([
    ['18.1', '18.04'],
    ['18.04', '18.10'],
    ['17.04', '17.10'],
    ['1.9', '1.10'],
    ['1.18rc1', '1.18rc2'],
    ['1.18beta2', '1.18rc1'],
    ['3.13.0rc9', '3.13.0rc10'],
    ['1.0.0-alpha', '1.0.0-beta'],
    ['1.0.0-beta.2', '1.0.0-beta.11'],
    ['1.0.0-rc.1', '1.0.0'],
    ['1.0.0-dev.1', '1.0.0-alpha.1'],
    ['17.0.1_12', '17.0.2_8'],
    ['17.0.2_8', '17.0.2_9'],
    ['8u402-b06-jdk', '8u412-b08-jdk'],
    ['8.7', '8.7-1085'],
    ['20240315', '20240329'],
    ['latest', '1.0'],
  ])('%s < %s', (lower, higher) => {
    expect(docker.compare(lower, higher)).toBeLessThan(0);
    expect(docker.compare(higher, lower)).toBeGreaterThan(0);
  });

  it('compares release parts numerically: 18.04 equals 18.4', () => {
    expect(docker.compare('18.04', '18.4')).toBe(0);
    expect(docker.compare('alpine', 'alpine')).toBe(0);
  });
});

describe('docker.isVersion / isStable', () => {
  it.each([
    ['1.2.3', true, true],
    ['1.0.0-alpine', true, true], // dependabot-core#10678: a suffixed release is a release
    ['1.27.1-alpine-otel', true, true],
    ['2.4.0-slim', true, true],
    ['3.13-dev', true, true],
    ['3.7.0b1', true, false],
    ['1.18rc1', true, false],
    ['1.0.0-rc.0', true, false],
    ['9.0.100-preview.7-bookworm-slim', true, false],
    ['22-ea-jdk', true, false],
    ['latest', false, false],
    ['bookworm', false, false],
    ['a3c2b1d', false, false],
  ])('%s: version %s, stable %s', (tag, version, stable) => {
    expect(docker.isVersion(tag)).toBe(version);
    expect(docker.isStable(tag)).toBe(stable);
  });
});

describe('docker.isCompatible', () => {
  it.each([
    ['1.2.0-alpine', '1.2.1-alpine', true],
    ['1.2.0-alpine', '1.2.1', false],
    ['1.2.0-alpine', '1.2.1-stretch', false],
    ['1.1', '1.2', true],
    ['1.1', '1.2.0', false],
    ['3.7.0-alpine', '3.7-alpine', false],
    ['v1.5.0', 'v1.6.0', true],
    ['v1.5.0', '1.6.0', false],
    ['8.7', '8.7-1085', false],
    ['3', '20240315', false],
    ['artful-20170826', 'artful-20170916', true],
    ['artful-20170826', 'zesty-20170913', false],
    ['3.6.2-alpine3.6', '3.6.3-alpine3.7', false],
    ['17.0.1_12-jre-alpine', '17.0.2_8-jre-alpine', true],
    ['17.0.1_12-jre-alpine', '17.0.2-jre-alpine', false],
    ['3.7.0b1', '3.7.0', true],
    ['latest', 'latest', false],
  ])('%s → %s: %s', (current, candidate, compatible) => {
    expect(docker.isCompatible(current, candidate)).toBe(compatible);
  });
});

describe('docker.getUpdateType', () => {
  it.each([
    ['1.2.3', '2.0.0', 'major'],
    ['1.2.3', '1.3.0', 'minor'],
    ['1.2.3', '1.2.4', 'patch'],
    ['17.04', '17.10', 'minor'],
    ['2.0-sdk', '2.1-sdk', 'minor'],
    ['20', '22', 'major'],
    ['10.0.17763.5458', '10.0.17763.5576', 'patch'],
    ['17.0.2_8-jre', '17.0.2_9-jre', 'patch'],
    ['8.7-1085', '8.7-1090', 'patch'],
    ['8.7-1085', '8.9-1028', 'minor'],
    ['1.18rc1', '1.18', 'patch'],
    ['artful-20170826', 'artful-20170916', 'patch'],
    ['1.2.3', '1.2.3', null],
    ['1.2.4', '1.2.3', null],
    ['1.2.3', '1.2.4-alpine', null],
    ['latest', '1.0.0', null],
  ])('%s → %s: %s', (current, candidate, type) => {
    expect(docker.getUpdateType(current, candidate)).toBe(type);
  });
});

describe('docker.getMajor / getMinor / getPatch', () => {
  it('reads release parts, null where absent or not a version', () => {
    expect([docker.getMajor('v1.5.0'), docker.getMinor('v1.5.0'), docker.getPatch('v1.5.0')]).toEqual([
      1, 5, 0,
    ]);
    expect([docker.getMajor('18.04-x'), docker.getMinor('18.04-x'), docker.getPatch('18.04-x')]).toEqual([
      18,
      4,
      null,
    ]);
    expect(docker.getMajor('latest')).toBeNull();
  });
});
