// Hand-checked image references of real-world Dockerfiles from the corpus (DOCKHAND_CORPUS, see
// test/support/corpus.ts; skipped without it): each row was verified against the file (FROM/COPY
// --from/--mount from=/ONBUILD/# syntax= lines and the ARGs feeding them). fixtures.test.ts covers the
// same behaviours with the project's own files. Row: [line, source, depName, tag, digest, skipReason?]
import { describe, expect, test } from 'vitest';
import { manager } from '../../../src/managers/dockerfile/index.js';
import { corpus, readCorpus } from '../../support/corpus.js';

const expected: Record<string, unknown[][]> = {
  'docker__buildx/Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1', null],
    [18, 'from', 'docker.io/tonistiigi/xx', '1.9.0', null],
    [19, 'from', 'docker.io/library/golang', '1.26-alpine3.23', null],
    [20, 'from', 'docker.io/moby/moby-bin', '29.6', null],
    [21, 'from', 'docker.io/dockereng/cli-bin', '29.6', null],
    [22, 'from', 'docker.io/moby/moby-bin', '28.5', null],
    [23, 'from', 'docker.io/moby/moby-bin', '27.5.1', null],
    [24, 'from', 'docker.io/dockereng/cli-bin', '28.5', null],
    [25, 'from', 'docker.io/dockereng/cli-bin', '27.5.1', null],
    [26, 'from', 'docker.io/library/registry', '3.0.0', null],
    [27, 'from', 'docker.io/moby/buildkit', 'v0.32.1', null],
    [28, 'from', 'docker.io/docker/compose-bin', 'v5.1.0', null],
    [29, 'from', 'docker.io/crazymax/undock', '0.9.0', null],
    [160, 'from', 'docker.io/library/alpine', '3.23', null],
    [174, 'from', 'docker.io/library/docker', '29.6', null],
    [175, 'from', 'docker.io/library/alpine', '3.23', null],
  ],
  'docker__buildx/hack/dockerfiles/docs.Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1', null],
    [8, 'from', 'docker.io/library/golang', '1.26-alpine3.23', null],
    [14, 'from', 'docker.io/library/alpine', '3.23', null],
  ],
  'moby__moby/Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1', null],
    [46, 'from', 'docker.io/tonistiigi/xx', '1.9.0', null],
    [50, 'from', 'docker.io/library/busybox', null, null],
    [56, 'from', 'docker.io/library/golang', '1.26.7-bookworm', null],
    [78, 'from', 'docker.io/distribution/distribution', '3.1.1', null],
    [84, 'from', 'docker.io/library/debian', 'bookworm', null],
    [415, 'from', 'docker.io/docker/buildx-bin', '0.36.1', null],
    [416, 'from', 'docker.io/docker/compose-bin', 'v5.5.0', null],
    [639, 'from', 'docker.io/library/docker', 'dind', null],
  ],
  'moby__moby/Dockerfile.simple': [[13, 'from', 'docker.io/library/golang', '1.26.7-bookworm', null]],
  'docker__compose/Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1', null],
    [28, 'from', 'docker.io/tonistiigi/xx', '1.9.0', null],
    [31, 'from', 'docker.io/crazymax/osxcross', '15.5-alpine', null],
    [33, 'from', 'docker.io/golangci/golangci-lint', 'v2.11.3-alpine', null],
    [34, 'from', 'ghcr.io/google/addlicense', 'v1.0.0', null],
    [36, 'from', 'docker.io/library/golang', '1.26.6-alpine3.23', null],
    [147, 'copy-from', 'docker.io/library/set', null, null],
    [162, 'from', 'docker.io/library/alpine', null, null],
    [204, 'from', 'docker.io/library/alpine', null, null],
    [219, 'from', 'docker.io/library/alpine', null, null],
  ],
  'PowerShell__PowerShell-Docker/release/7-5/windowsservercore2022/docker/Dockerfile': [
    [11, 'from', 'mcr.microsoft.com/windows/servercore', 'ltsc2022', null],
    [38, 'from', 'mcr.microsoft.com/windows/servercore', 'ltsc2022', null],
  ],
  'PowerShell__PowerShell-Docker/release/7-5/ubuntu24.04/docker/Dockerfile': [
    [6, 'from', 'psdockercache.azurecr.io/ubuntu', '24.04', null],
    [32, 'from', 'psdockercache.azurecr.io/ubuntu', '24.04', null],
  ],
  'Eliasj42__arc-windows-runner/Dockerfile': [
    [3, 'from', 'mcr.microsoft.com/windows/servercore', 'ltsc2022', null],
  ],
  'docker-library__golang/1.27/windows/nanoserver-ltsc2022/Dockerfile': [
    [7, 'from', 'mcr.microsoft.com/windows/nanoserver', 'ltsc2022', null],
    [27, 'copy-from', 'docker.io/library/golang', '1.27.0-windowsservercore-ltsc2022', null],
  ],
  'docker-library__mongo/8.0/windows/nanoserver-ltsc2022/Dockerfile': [
    [7, 'from', 'mcr.microsoft.com/windows/nanoserver', 'ltsc2022', null],
    [17, 'copy-from', 'docker.io/library/mongo', '8.0.26-windowsservercore-ltsc2022', null],
    [28, 'copy-from', 'docker.io/library/mongo', '8.0.26-windowsservercore-ltsc2022', null],
  ],
  'docker-library__python/3.14/windows/windowsservercore-ltsc2022/Dockerfile': [
    [7, 'from', 'mcr.microsoft.com/windows/servercore', 'ltsc2022', null],
  ],
  'gkwa__itsfergus/Dockerfile': [
    [
      1,
      'from',
      'public.ecr.aws/lambda/python',
      '3.15',
      'sha256:7260f131a3fcff81b6164b21f0e0db63fd2f245543c8a05fa3f5212c1ecf52b2',
    ],
  ],
  'goreleaser__goreleaser/Dockerfile': [
    [
      3,
      'from',
      'docker.io/anchore/syft',
      'v1.51.0',
      'sha256:678bfa565b60f747aac0f8e964fe5588a24445b8d0a480e91f6efd70020dfbb0',
    ],
    [
      4,
      'from',
      'gcr.io/projectsigstore/cosign',
      'v3.1.3',
      'sha256:9e5c2f2edc34351160407ca3416c61855bdf9403c3c5936e0f0be7fc261611b8',
    ],
    [
      5,
      'from',
      'docker.io/library/docker',
      '29.5.3-cli-alpine3.23',
      'sha256:873de13208aab9c1de73fe984fd45883e01464fcfcc85efa20aa56a9ccfe7aa6',
    ],
    [
      6,
      'from',
      'docker.io/docker/buildx-bin',
      '0.36.1',
      'sha256:1f2f6b2be4a2511ada67336e76892f1a588c89746009dd4b21069e4d867465be',
    ],
    [
      8,
      'from',
      'docker.io/library/golang',
      '1.27.0-alpine',
      'sha256:4c9fe60190a2a3350ddc51de80d0224b8a6698d12bdfc999fee45ea9d6c46dbc',
    ],
  ],
  'GoogleCloudPlatform__microservices-demo/src/frontend/Dockerfile': [
    [
      18,
      'from',
      'docker.io/library/golang',
      '1.26.5-alpine',
      'sha256:0178a641fbb4858c5f1b48e34bdaabe0350a330a1b1149aabd498d0699ff5fb2',
    ],
    [32, 'from', 'gcr.io/distroless/static', null, null],
  ],
  'chrisguest75__docker_examples/74_onbuild/gcc-onbuild/Dockerfile.gcc': [
    [1, 'from', 'docker.io/library/ubuntu', '22.04', null],
  ],
  'dataware-tools__api-template-nestjs/Dockerfile': [
    [1, 'from', 'docker.io/library/node', '16.10.0', null],
    [6, 'from', 'docker.io/library/node', '16.10.0', null],
  ],
  'home-assistant__docker-base/debian/Dockerfile': [
    [4, 'from', 'docker.io/library/debian', 'trixie-slim', null],
    [97, 'from', 'docker.io/library/debian', 'trixie-slim', null],
  ],
  'home-assistant__docker-base/alpine/Dockerfile': [
    [9, 'from', 'docker.io/library/alpine', '3.24', null],
    [38, 'from', 'docker.io/library/alpine', '3.24', null],
    [125, 'from', 'docker.io/library/alpine', '3.24', null],
  ],
  'dependabot__dependabot-core/python/Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1.20', null],
    [14, 'from', 'ghcr.io/dependabot/dependabot-updater-core', null, null],
    [46, 'from', 'docker.io/library/python', '3.10.20-bookworm', null],
    [64, 'from', 'docker.io/library/python', '3.11.15-bookworm', null],
    [82, 'from', 'docker.io/library/python', '3.12.13-bookworm', null],
    [100, 'from', 'docker.io/library/python', '3.13.13-bookworm', null],
    [117, 'from', 'docker.io/library/python', '3.14.5-bookworm', null],
    [180, 'copy-from', 'docker.io/library/rust', null, null],
    [181, 'copy-from', 'docker.io/library/rust', null, null],
  ],
  'saleor__saleor/Dockerfile': [
    [2, 'from', 'docker.io/library/python', '3.12', null],
    [
      12,
      'copy-from',
      'ghcr.io/astral-sh/uv',
      '0.12.1',
      'sha256:cf4eedcaa81655197f625739489effcbe71b61ceb1506f332c3facae5deceded',
    ],
    [21, 'from', 'docker.io/library/python', '3.12-slim', null],
  ],
  'docker__awesome-compose/fastapi/Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1.4', null],
    [3, 'from', 'docker.io/tiangolo/uvicorn-gunicorn-fastapi', 'python3.9-slim', null],
    [26, 'copy-from', 'docker.io/gloursdocker/docker', null, null],
  ],
  'renovatebot__renovate/lib/modules/manager/dockerfile/__fixtures__/4.Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1', null],
    [7, 'from', 'docker.io/library/alpine', '3.15.4', null],
    [16, 'from', '$nginx_version', null, null, 'unresolved-variable'],
    [18, 'from', 'docker.io/library/image5', null, null],
    [24, 'copy-from', 'docker.io/library/image12', null, null],
  ],
  'moby__buildkit/frontend/dockerfile/parser/testfiles/lk4d4-the-edge-case-generator/Dockerfile': [
    [1, 'from', 'docker.io/library/busybox', 'buildroot-2014.02', null],
  ],
  'containerd__containerd/.github/workflows/release/Dockerfile': [
    [19, 'from', 'docker.io/library/golang', '1.26.6', null],
    [
      20,
      'from',
      'docker.io/tonistiigi/xx',
      '1.6.1',
      'sha256:923441d7c25f1e2eb5789f82d987693c47b8ed987c4ab3b075d6ed2b5d6779a3',
    ],
    [22, 'from', 'docker.io/library/ubuntu', '22.04', null],
    [41, 'from', '${TARGETOS}', null, null, 'unresolved-variable'],
  ],
  'prometheus__prometheus/Dockerfile.distroless': [
    [4, 'from', 'gcr.io/distroless/static-debian13', 'nonroot-amd64', null],
  ],
};

describe.skipIf(!corpus)('corpus Dockerfiles: hand-checked deps', () => {
  test.each(Object.keys(expected))('%s', (path) => {
    const text = readCorpus(path);
    const rows = manager.extract(text, path).deps.map((d) => {
      const row: unknown[] = [d.line, d.source, d.depName, d.tag, d.digest];
      if (d.skipReason) row.push(d.skipReason);
      return row;
    });
    expect(rows).toEqual(expected[path]);
  });

  test('the set covers every BuildKit feature named in the corpus README', () => {
    const texts = Object.keys(expected).map(readCorpus);
    const features: Record<string, RegExp> = {
      syntax: /^# ?syntax ?=/m,
      heredoc: /<<-?["']?[A-Z]+/,
      cacheMount: /--mount=type=cache/,
      secretMount: /--mount=type=secret/,
      mountFrom: /--mount=[^\s]*from=/,
      copyLink: /COPY [^\n]*--link/,
      copyFromImage: /--from=[a-z0-9.-]+[/:]/,
      argBeforeFrom: /^ARG [^\n]*\n(?:[^\n]*\n)*?FROM/m,
      fromVariable: /FROM [^\n]*\$\{?[A-Za-z]/,
      escape: /^# ?escape ?= ?`/im,
      digest: /FROM [^\n]*@sha256:/,
      scratch: /FROM scratch/i,
      onbuild: /^ONBUILD /m,
    };
    for (const [feature, pattern] of Object.entries(features)) {
      expect(
        texts.some((t) => pattern.test(t)),
        feature,
      ).toBe(true);
    }
  });
});
