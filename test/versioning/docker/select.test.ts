import { describe, expect, it } from 'vitest';
import { docker } from '../../../src/versioning/docker/index.js';
import type { SelectOptions, UpdateCandidates } from '../../../src/versioning/types.js';
import {
  ALPINE_TAGS,
  DOTNET_TAGS,
  GOLANG_TAGS,
  NGINX_TAGS,
  NODE_TAGS,
  PHP_TAGS,
  PYTHON_TAGS,
  RUBY_TAGS,
  RUNNER_TAGS,
  TEMURIN_TAGS,
  UBI_TAGS,
  UBUNTU_TAGS,
  WINDOWS_SERVERCORE_TAGS,
} from './tags.js';

interface Case {
  name: string;
  current: string;
  tags: readonly string[];
  options?: SelectOptions;
  expected: UpdateCandidates;
}

const HUB = 'docker.io/library/';
const SERVERCORE = 'mcr.microsoft.com/windows/servercore';

function table(cases: Case[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(docker.selectUpdates(c.current, c.tags, c.options)).toEqual(c.expected);
  });
}

describe('selectUpdates: the rules peers have and users rely on', () => {
  table([
    {
      name: 'the suffix must match exactly: 1.2.0-alpine → 1.2.1-alpine, never 1.2.1 or 1.2.1-stretch',
      current: '1.2.0-alpine',
      tags: ['1.2.0-alpine', '1.2.1', '1.2.1-stretch', '1.2.1-alpine', '1.2.1-alpine3.20'],
      expected: { patch: '1.2.1-alpine' },
    },
    {
      name: 'precision is kept: 1.1 → 1.2, not 1.2.0',
      current: '1.1',
      tags: ['1.1', '1.1.5', '1.2.0', '1.2', '2', '2.0.0'],
      expected: { minor: '1.2' },
    },
    {
      name: '3.7-alpine is not an update for 3.7.0-alpine',
      current: '3.7.0-alpine',
      tags: ['3.7-alpine', '3.7.0-alpine', '3.8-alpine'],
      expected: {},
    },
    {
      name: 'numeric comparison per part: 18.1 → 18.04 (18.4), 18.10',
      current: '18.1',
      tags: ['18.04', '18.10', '18.2', '19.1'],
      expected: { major: '19.1', minor: '18.10' },
    },
    {
      name: 'commit-hash tags are ignored',
      current: 'v2.285.1-ubuntu-20.04',
      tags: RUNNER_TAGS,
      // dependabot-core#5708: the hash-suffixed builds and the 22.04 image are other suffixes
      expected: { minor: 'v2.296.1-ubuntu-20.04' },
    },
    {
      name: 'a non-numeric tag gets digest updates only (latest)',
      current: 'latest',
      tags: NODE_TAGS,
      expected: {},
    },
    {
      name: 'a non-numeric tag gets digest updates only (bookworm)',
      current: 'bookworm',
      tags: GOLANG_TAGS,
      expected: {},
    },
    {
      name: 'a commit-hash current tag gets nothing',
      current: 'a3c2b1d',
      tags: RUNNER_TAGS,
      expected: {},
    },
    {
      name: 'v prefix style is kept: v1.5.0 → v1.6.0, not 1.7.0',
      current: 'v1.5.0',
      tags: ['v1.5.0', 'v1.6.0', '1.7.0', 'v1.6.0-rc.1', 'v1.7.0-beta.2'],
      expected: { minor: 'v1.6.0' },
    },
  ]);
});

describe('selectUpdates: Dependabot cases users accepted', () => {
  table([
    {
      name: 'ubuntu 17.04 → 17.10',
      current: '17.04',
      tags: UBUNTU_TAGS,
      options: { depName: HUB + 'ubuntu' },
      expected: { major: '24.04', minor: '17.10' },
    },
    {
      name: 'ruby 2.4.0-slim → 2.4.2-slim',
      current: '2.4.0-slim',
      tags: RUBY_TAGS,
      expected: { minor: '2.5.0-slim', patch: '2.4.2-slim' },
    },
    {
      name: '3.6.2-alpine3.6 → 3.6.3-alpine3.6',
      current: '3.6.2-alpine3.6',
      tags: ['3.6.2-alpine3.6', '3.6.3-alpine3.6', '3.6.3-alpine3.7', '3.6.3', '3.6-alpine3.6'],
      expected: { patch: '3.6.3-alpine3.6' },
    },
    {
      name: 'artful-20170826 → artful-20171019 (same codename, newer date)',
      current: 'artful-20170826',
      tags: UBUNTU_TAGS,
      expected: { patch: 'artful-20171019' },
    },
    {
      name: 'golang 1.25 stays 1.25: no 1.25.x, no 1.26rc1',
      current: '1.25',
      tags: GOLANG_TAGS,
      options: { depName: HUB + 'golang' },
      expected: {},
    },
    {
      name: 'eclipse-temurin 17.0.1_12-jre-alpine → 17.0.10_7-jre-alpine',
      current: '17.0.1_12-jre-alpine',
      tags: TEMURIN_TAGS,
      options: { depName: HUB + 'eclipse-temurin' },
      expected: { major: '25.0.1_8-jre-alpine', patch: '17.0.10_7-jre-alpine' },
    },
    {
      name: 'dotnet 2.0-sdk → 2.1-sdk',
      current: '2.0-sdk',
      tags: DOTNET_TAGS,
      expected: { minor: '2.1-sdk' },
    },
    {
      name: 'php 7.4.0RC6-fpm-buster stays: no stable 7.4.0 with that suffix, no other release’s RC',
      current: '7.4.0RC6-fpm-buster',
      tags: PHP_TAGS,
      expected: {},
    },
    {
      name: 'php 7.4.0RC5-fpm-buster → 7.4.0RC6-fpm-buster (a later RC of the same release)',
      current: '7.4.0RC5-fpm-buster',
      tags: PHP_TAGS,
      expected: { patch: '7.4.0RC6-fpm-buster' },
    },
  ]);
});

describe('selectUpdates: release candidates never offered from a stable tag', () => {
  table([
    {
      name: 'golang 1.17.7 → 1.17.8, not 1.18rc1 (dependabot-core#4798)',
      current: '1.17.7',
      tags: GOLANG_TAGS,
      expected: { minor: '1.25.3', patch: '1.17.8' },
    },
    {
      name: 'golang 1.23.5-bullseye → 1.23.6-bullseye, not 1.24rc2-bullseye (#4798)',
      current: '1.23.5-bullseye',
      tags: GOLANG_TAGS,
      expected: { patch: '1.23.6-bullseye' },
    },
    {
      name: 'python 3.12.4-slim-bullseye → 3.12.7, not 3.13.0rc1 / 3.14.0a1 (#4798)',
      current: '3.12.4-slim-bullseye',
      tags: PYTHON_TAGS,
      expected: { minor: '3.13.1-slim-bullseye', patch: '3.12.7-slim-bullseye' },
    },
    {
      name: 'python 3.12 is not moved to the 3.13-rc rolling tag',
      current: '3.12',
      tags: PYTHON_TAGS,
      expected: {},
    },
    {
      name: 'php 8.0.7-apache → 8.0.8-apache, not 8.1.0alpha2-apache (dependabot-core#4020)',
      current: '8.0.7-apache',
      tags: PHP_TAGS,
      expected: { patch: '8.0.8-apache' },
    },
    {
      name: 'dotnet 8.0.4-bookworm-slim → 9.0.100-bookworm-slim, not a preview or rc (dependabot-core#4228)',
      current: '8.0.4-bookworm-slim',
      tags: [...DOTNET_TAGS, '8.0.5-rc.1-bookworm-slim', '8.0.6-preview.1-bookworm-slim'],
      expected: { major: '9.0.100-bookworm-slim' },
    },
    {
      name: 'alpine 3.20.0 → 3.20.3, not 3.21.0_alpha / 3.21.0_rc1',
      current: '3.20.0',
      tags: ALPINE_TAGS,
      expected: { patch: '3.20.3' },
    },
    {
      name: 'from a prerelease: later prereleases of the same release and newer stables',
      current: '3.13.0rc1',
      tags: PYTHON_TAGS,
      expected: { patch: '3.13.1' },
    },
    {
      name: 'from a prerelease with a suffix: the next rc, then the release',
      current: '3.13.0rc1-slim-bullseye',
      tags: PYTHON_TAGS.filter((t) => t !== '3.13.1-slim-bullseye'),
      expected: { patch: '3.13.0rc2-slim-bullseye' },
    },
    {
      name: 'from a prerelease: never another release’s prerelease (1.23rc1 → 1.23rc2 only)',
      current: '1.23rc1',
      tags: GOLANG_TAGS,
      expected: { minor: '1.25', patch: '1.23rc2' },
    },
  ]);
});

describe('selectUpdates: real releases are not hidden as prereleases', () => {
  table([
    {
      name: 'nginx 1.27.0-alpine → 1.27.1-alpine (dependabot-core#10678)',
      current: '1.27.0-alpine',
      tags: NGINX_TAGS,
      options: { depName: HUB + 'nginx' },
      expected: { patch: '1.27.1-alpine' },
    },
    {
      name: 'nginx 1.27.0-alpine-otel → 1.27.1-alpine-otel (dependabot-core#10452)',
      current: '1.27.0-alpine-otel',
      tags: NGINX_TAGS,
      expected: { patch: '1.27.1-alpine-otel' },
    },
    {
      name: 'a -dev variant is a release with suffix dev, never swapped for the plain image',
      current: '3.12-dev',
      tags: ['3.12-dev', '3.13', '3.13-dev', '3.14-rc-dev'],
      expected: { minor: '3.13-dev' },
    },
  ]);
});

describe('selectUpdates: Node images offer LTS (even) majors', () => {
  table([
    {
      name: 'node 20.11.1 → 24.11.1 major (23 and 25 are not LTS), 20.19.5 minor',
      current: '20.11.1',
      tags: NODE_TAGS,
      options: { depName: HUB + 'node' },
      expected: { major: '24.11.1', minor: '20.19.5' },
    },
    {
      name: 'node 20-alpine → 24-alpine',
      current: '20-alpine',
      tags: NODE_TAGS,
      options: { depName: HUB + 'node' },
      expected: { major: '24-alpine' },
    },
    {
      name: 'allowNonLts offers odd majors',
      current: '20-alpine',
      tags: NODE_TAGS,
      options: { depName: HUB + 'node', allowNonLts: true },
      expected: { major: '25-alpine' },
    },
    {
      name: 'an odd current major still gets its own minor/patch; majors only to LTS',
      current: '21.7.3-alpine3.19',
      tags: [...NODE_TAGS, '21.7.4-alpine3.19', '23.0.0-alpine3.19', '22.0.0-alpine3.19'],
      options: { depName: HUB + 'node' },
      expected: { major: '22.0.0-alpine3.19', patch: '21.7.4-alpine3.19' },
    },
    {
      name: 'official node through a mirror keeps the policy',
      current: '20',
      tags: NODE_TAGS,
      options: { depName: 'public.ecr.aws/docker/library/node' },
      expected: { major: '24' },
    },
    {
      name: 'any other image named node has no policy',
      current: '20',
      tags: NODE_TAGS,
      options: { depName: 'ghcr.io/someone/node' },
      expected: { major: '25' },
    },
    {
      name: 'no depName: no policy',
      current: '20',
      tags: NODE_TAGS,
      expected: { major: '25' },
    },
  ]);
});

describe('selectUpdates: Java images offer LTS majors (8, 11, 17, 21, 25)', () => {
  table([
    {
      name: 'temurin 11.0.22_7-jre-alpine → 25 (not 22/23)',
      current: '11-jre-alpine',
      tags: TEMURIN_TAGS,
      options: { depName: HUB + 'eclipse-temurin' },
      expected: { major: '25-jre-alpine' },
    },
    {
      name: 'temurin 17-jre-alpine with allowNonLts',
      current: '17-jre-alpine',
      tags: TEMURIN_TAGS.filter((t) => !t.startsWith('25')),
      options: { depName: HUB + 'eclipse-temurin', allowNonLts: true },
      expected: { major: '23-jre-alpine' },
    },
    {
      name: 'amazoncorretto 17 → 21 (not 22)',
      current: '17',
      tags: ['8', '11', '17', '21', '22', '23'],
      options: { depName: 'docker.io/amazoncorretto/amazoncorretto' },
      expected: { major: '21' },
    },
    {
      name: 'temurin Java 8: 8u402-b06-jdk → 8u412-b08-jdk',
      current: '8u402-b06-jdk',
      tags: TEMURIN_TAGS,
      options: { depName: HUB + 'eclipse-temurin' },
      expected: { patch: '8u412-b08-jdk' },
    },
    {
      name: 'openjdk 21 is not moved to an early-access build',
      current: '21-jdk',
      tags: ['21-jdk', '22-ea-jdk', '24-ea-5-jdk', '25-ea-jdk', '21-jdk-slim'],
      options: { depName: HUB + 'openjdk' },
      expected: {},
    },
  ]);
});

describe('selectUpdates: Windows tag families are never crossed', () => {
  table([
    {
      name: 'servercore 1809 stays 1809 (not 2004, 20H2, ltsc…, KB builds)',
      current: '1809',
      tags: WINDOWS_SERVERCORE_TAGS,
      options: { depName: SERVERCORE },
      expected: {},
    },
    {
      name: 'servercore 10.0.17763.5458 → 10.0.17763.5576 only (20348 is Server 2022)',
      current: '10.0.17763.5458',
      tags: WINDOWS_SERVERCORE_TAGS,
      options: { depName: SERVERCORE },
      expected: { patch: '10.0.17763.5576' },
    },
    {
      name: 'servercore 10.0.17763.5458-amd64 → 10.0.17763.5576-amd64',
      current: '10.0.17763.5458-amd64',
      tags: WINDOWS_SERVERCORE_TAGS,
      options: { depName: 'mcr.microsoft.com/windows/nanoserver' },
      expected: { patch: '10.0.17763.5576-amd64' },
    },
    {
      name: 'ltsc2022 and KB builds are not versions',
      current: 'ltsc2022',
      tags: WINDOWS_SERVERCORE_TAGS,
      options: { depName: SERVERCORE },
      expected: {},
    },
    {
      name: 'a KB build keeps its KB (1809-KB5034768 has suffix KB5034768)',
      current: '1809-KB5034768',
      tags: WINDOWS_SERVERCORE_TAGS,
      options: { depName: SERVERCORE, moveSuffix: true },
      expected: {},
    },
    {
      name: 'python …-windowsservercore-1809 stays on 1809',
      current: '3.12.4-windowsservercore-1809',
      tags: PYTHON_TAGS,
      options: { depName: HUB + 'python', moveSuffix: true },
      expected: { patch: '3.12.7-windowsservercore-1809' },
    },
    {
      name: 'dotnet 8.0-nanoserver-1809 → 9.0-nanoserver-1809, never ltsc2022',
      current: '8.0-nanoserver-1809',
      tags: DOTNET_TAGS,
      options: { moveSuffix: true },
      expected: { major: '9.0-nanoserver-1809' },
    },
    {
      name: 'dotnet 8.0-windowsservercore-ltsc2019 stays (no ltsc2022 move)',
      current: '8.0-windowsservercore-ltsc2019',
      tags: DOTNET_TAGS,
      options: { moveSuffix: true },
      expected: {},
    },
  ]);
});

describe('selectUpdates: dated and build tags', () => {
  table([
    {
      name: 'alpine 3 is not moved to date tags (edge snapshots)',
      current: '3',
      tags: ALPINE_TAGS,
      expected: {},
    },
    {
      name: 'alpine 3.19.1 → 3.20.3 minor, 3.19.4 patch',
      current: '3.19.1',
      tags: ALPINE_TAGS,
      expected: { minor: '3.20.3', patch: '3.19.4' },
    },
    {
      name: 'a date tag moves to a newer date only',
      current: '20240315',
      tags: ALPINE_TAGS,
      expected: { patch: '20250108' },
    },
    {
      name: 'rolling 8.7 → 8.8 rolling, never 8.7-1085 builds',
      current: '8.7',
      tags: UBI_TAGS,
      expected: { minor: '8.9' },
    },
    {
      name: 'build 8.7-1085 → 8.7-1090 patch, 8.9-1028 minor',
      current: '8.7-1085',
      tags: UBI_TAGS,
      expected: { minor: '8.9-1028', patch: '8.7-1090' },
    },
  ]);
});

describe('selectUpdates: version-bearing suffixes', () => {
  table([
    {
      name: 'kept by default: 20.11.1-alpine3.19 → 20.12.2-alpine3.19 (renovate#14611)',
      current: '20.11.1-alpine3.19',
      tags: NODE_TAGS,
      options: { depName: HUB + 'node' },
      expected: { minor: '20.12.2-alpine3.19' },
    },
    {
      name: 'moveSuffix: alpine3.19 → the newest alpine with the newest release',
      current: '20.11.1-alpine3.19',
      tags: NODE_TAGS,
      options: { depName: HUB + 'node', moveSuffix: true },
      expected: { major: '24.11.1-alpine3.22', minor: '20.19.5-alpine3.22' },
    },
    {
      name: 'moveSuffix: same release, newer alpine only (suffix)',
      current: '20.11.1-alpine3.18',
      tags: [
        '20.11.1-alpine3.18',
        '20.11.1-alpine3.19',
        '20.11.1-alpine3.17',
        '20.11.1-alpine3',
        '20.11.1-bookworm',
      ],
      options: { moveSuffix: true },
      expected: { suffix: '20.11.1-alpine3.19' },
    },
    {
      name: 'moveSuffix never moves back: alpine3.19 ↛ alpine3.18',
      current: '20.11.1-alpine3.19',
      tags: ['20.11.1-alpine3.18', '20.12.2-alpine3.18'],
      options: { moveSuffix: true },
      expected: {},
    },
    {
      name: 'moveSuffix: debian codenames in order (bookworm → trixie), slim kept',
      current: '20.11.1-bookworm-slim',
      tags: NODE_TAGS,
      options: { depName: HUB + 'node', moveSuffix: true },
      expected: { minor: '20.19.5-trixie-slim' },
    },
    {
      name: 'moveSuffix: never debian → ubuntu, never bookworm → bullseye',
      current: '8.0-bookworm-slim',
      tags: [...DOTNET_TAGS, '8.0-bullseye-slim', '8.0-noble-slim'],
      options: { moveSuffix: true },
      expected: {},
    },
    {
      name: 'moveSuffix: ubuntu LTS codenames (jammy → noble)',
      current: '17-jre-jammy',
      tags: TEMURIN_TAGS,
      options: { depName: HUB + 'eclipse-temurin', moveSuffix: true },
      expected: { major: '21-jre-jammy', suffix: '17-jre-noble' },
    },
    {
      name: 'without moveSuffix jammy stays jammy',
      current: '17-jre-jammy',
      tags: TEMURIN_TAGS,
      options: { depName: HUB + 'eclipse-temurin' },
      expected: { major: '21-jre-jammy' },
    },
    {
      name: 'moveSuffix: unknown words in the suffix must still match (ubuntu-20.04 ↛ ubuntu-22.04)',
      current: 'v2.296.1-ubuntu-20.04',
      tags: RUNNER_TAGS,
      options: { moveSuffix: true },
      expected: {},
    },
  ]);
});

describe('selectUpdates: scale', () => {
  it('picks the right candidates from a 10,000-tag list in any order', () => {
    const tags: string[] = [];
    for (let major = 1; major <= 10; major++) {
      for (let minor = 0; minor < 20; minor++) {
        for (let patch = 0; patch < 10; patch++) {
          const v = `${major}.${minor}.${patch}`;
          tags.push(v, `${v}-alpine`, `${v}rc1`, `${v}-alpine3.${minor}`, `v${v}`);
        }
      }
    }
    expect(tags).toHaveLength(10_000);
    tags.reverse();
    expect(docker.selectUpdates('3.4.5', tags)).toEqual({
      major: '10.19.9',
      minor: '3.19.9',
      patch: '3.4.9',
    });
    expect(docker.selectUpdates('3.4.5-alpine3.4', tags, { moveSuffix: true })).toEqual({
      major: '10.19.9-alpine3.19',
      minor: '3.19.9-alpine3.19',
      patch: '3.4.9-alpine3.4',
    });
  });
});
