import { describe, expect, it } from 'vitest';
import { parseDockerTag } from '../../../src/versioning/docker/parse.js';

describe('parseDockerTag: versions', () => {
  // [tag, prefix, release, build, prerelease, suffix]
  const cases: [string, string, number[], number[], string, string][] = [
    ['1', '', [1], [], '', ''],
    ['1.2.3', '', [1, 2, 3], [], '', ''],
    ['v1.5.0', 'v', [1, 5, 0], [], '', ''],
    ['18.04', '', [18, 4], [], '', ''],
    ['10.0.17763.5458', '', [10, 0, 17763, 5458], [], '', ''],
    ['1.2.0-alpine', '', [1, 2, 0], [], '', 'alpine'],
    ['1.0.0-alpine', '', [1, 0, 0], [], '', 'alpine'],
    ['3.6.2-alpine3.6', '', [3, 6, 2], [], '', 'alpine3.6'],
    ['3.12.4-slim-bookworm', '', [3, 12, 4], [], '', 'slim-bookworm'],
    ['2.0-sdk', '', [2, 0], [], '', 'sdk'],
    // `\w*` right after the numbers is a prerelease
    ['3.7.0b1', '', [3, 7, 0], [], 'b1', ''],
    ['1.18rc1', '', [1, 18], [], 'rc1', ''],
    ['3.8.0b1-alpine', '', [3, 8, 0], [], 'b1', 'alpine'],
    ['7.4.0RC6-fpm-buster', '', [7, 4, 0], [], 'RC6', 'fpm-buster'],
    ['8.1.0alpha2-apache', '', [8, 1, 0], [], 'alpha2', 'apache'],
    ['3.21.0_alpha20240807', '', [3, 21, 0], [], '_alpha20240807', ''],
    ['20H2', '', [20], [], 'H2', ''],
    // prerelease markers as their own segment
    ['1.0.0-rc.0', '', [1, 0, 0], [], 'rc.0', ''],
    ['1.0.0-rc1-alpine', '', [1, 0, 0], [], 'rc1', 'alpine'],
    ['2.0.0-beta', '', [2, 0, 0], [], 'beta', ''],
    ['2.0.0-alpha.3-bookworm', '', [2, 0, 0], [], 'alpha.3', 'bookworm'],
    ['3.13-rc-alpine', '', [3, 13], [], 'rc', 'alpine'],
    ['9.0.100-preview.7-bookworm-slim', '', [9, 0, 100], [], 'preview.7', 'bookworm-slim'],
    ['22-ea-jdk', '', [22], [], 'ea', 'jdk'],
    ['24-ea-5-jdk-slim-bookworm', '', [24], [], 'ea-5', 'jdk-slim-bookworm'],
    ['6.0.0-M3', '', [6, 0, 0], [], 'M3', ''],
    ['1.2.3-dev.4', '', [1, 2, 3], [], 'dev.4', ''],
    // a bare `-dev` is a variant (hardened images' build variant), not a prerelease
    ['3.13-dev', '', [3, 13], [], '', 'dev'],
    ['24-alpine3.22-dev', '', [24], [], '', 'alpine3.22-dev'],
    // builds
    ['17.0.1_12-jre-alpine', '', [17, 0, 1], [12], '', 'jre-alpine'],
    ['8u402-b06-jdk', '', [8], [402, 6], '', 'jdk'],
    ['8.7-1085', '', [8, 7], [1085], '', ''],
    ['4.8-20240312-windowsservercore-ltsc2022', '', [4, 8], [20240312], '', 'windowsservercore-ltsc2022'],
    // a number after the build is a suffix, not a prerelease (`b06` only counts after `u`)
    ['1809-KB5034768', '', [1809], [], '', 'KB5034768'],
    ['v2.286.0-ubuntu-20.04-8a7720d', 'v', [2, 286, 0], [], '', 'ubuntu-20.04-8a7720d'],
    // 7+ digits without hex letters are numbers
    ['1234567', '', [1234567], [], '', ''],
  ];
  it.each(cases)('%s', (tag, prefix, release, build, prerelease, suffix) => {
    const v = parseDockerTag(tag);
    expect(v).not.toBeNull();
    expect({
      prefix: v!.prefix,
      release: v!.release,
      build: v!.build,
      prerelease: v!.prerelease,
      suffix: v!.suffix,
    }).toEqual({ prefix, release, build, prerelease, suffix });
    expect(v!.date).toBe(false);
  });
});

describe('parseDockerTag: dated tags', () => {
  // [tag, prefix, date, suffix]
  const cases: [string, string, number, string][] = [
    ['20240315', '', 20240315, ''],
    ['artful-20170826', 'artful-', 20170826, ''],
    ['jammy-20240227', 'jammy-', 20240227, ''],
    ['bookworm-20240311-slim', 'bookworm-', 20240311, 'slim'],
    ['nanoserver-ltsc2022-20240312', 'nanoserver-ltsc2022-', 20240312, ''],
    ['20240312-windowsservercore-ltsc2022', '', 20240312, 'windowsservercore-ltsc2022'],
  ];
  it.each(cases)('%s', (tag, prefix, date, suffix) => {
    const v = parseDockerTag(tag);
    expect(v).toMatchObject({ prefix, release: [date], suffix, date: true, prerelease: '' });
  });

  it('an 8-digit number that is no calendar date is an ordinary number', () => {
    expect(parseDockerTag('20241399')?.date).toBe(false);
    expect(parseDockerTag('10000000')?.date).toBe(false);
  });
});

describe('parseDockerTag: not versions (digest updates only)', () => {
  it.each([
    'latest',
    'alpine',
    'bookworm',
    'slim',
    'edge',
    'lts',
    'ltsc2022',
    'ltsc2022-amd64',
    'windowsservercore-ltsc2022',
    'nanoserver-1809',
    'mainline-alpine3.20',
    'artful',
    // commit hashes: 7–40 hex characters with at least one letter
    'a3c2b1d',
    '5e86881f0c',
    'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
    'sha256-4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945.sig',
    // numbers too long to be release parts
    '1234567890123456',
    '3.7.0b1.post1',
    '',
  ])('%j', (tag) => {
    expect(parseDockerTag(tag)).toBeNull();
  });
});
