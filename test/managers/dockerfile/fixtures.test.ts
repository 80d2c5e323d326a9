// Hand-checked image references of the project's own Dockerfiles in test/fixtures/dockerfile: the same
// behaviours the real-world corpus pins (corpus.test.ts), in files written for the project, so a clone
// without the corpus tests them too. Row: [line, source, depName, tag, digest, skipReason?]
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { manager } from '../../../src/managers/dockerfile/index.js';
import { FIXTURES } from '../../support/corpus.js';

const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');
const U = 'unresolved-variable';

const expected: Record<string, unknown[][]> = {
  // Global ARGs feeding tags (`${V}`, `$V`, an ARG defaulting to another ARG, a quoted ARG holding a
  // whole reference), --platform, an untagged image, stage references (also `binaries-${TARGETOS}`),
  // COPY --from / --mount from= of stages (no dependency) and of a name that is no stage (an image),
  // a heredoc, scratch, `FROM ${TARGETOS}` left open, lowercase `as`.
  'dockerfile/cross-build/Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1', null],
    [13, 'from', 'docker.io/tonistiigi/xx', '1.6.1', null],
    [14, 'from', 'docker.io/library/golang', '1.24-alpine3.21', null],
    [15, 'from', 'docker.io/moby/moby-bin', '28.1', null],
    [16, 'from', 'docker.io/moby/moby-bin', '27.4.0', null],
    [17, 'from', 'docker.io/dockereng/cli-bin', '28.1', null],
    [18, 'from', 'docker.io/golangci/golangci-lint', 'v1.64.8-alpine', null],
    [19, 'from', 'ghcr.io/acme/license-tool', 'v0.3.0', null],
    [20, 'from', 'docker.io/library/busybox', null, null],
    [21, 'from', 'docker.io/library/golang', '1.24-bookworm', null],
    [37, 'copy-from', 'docker.io/library/licenses', null, null],
    [45, 'from', 'docker.io/library/alpine', '3.21', null],
    [57, 'from', '${TARGETOS}', null, null, U],
    [59, 'from', 'docker.io/library/docker', 'dind', null],
    [63, 'from', 'docker.io/library/alpine', '3.21', null],
  ],
  // A `*.Dockerfile` name; whole references from ARGs written `$VAR` (one with a digest); a quoted ARG in a
  // tag; ARGs rewritten with `${V#pattern}`, `${V:+x}` and `${V:-x}` choosing a stage by name, which is a
  // stage reference, not an image.
  'dockerfile/stage-switch/build.Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1', null],
    [
      12,
      'from',
      'docker.io/tonistiigi/xx',
      '1.6.1',
      'sha256:1612eb0e527b3ce517ab1d791489c03f0eb44edfc213b73a558add2d5a763bf9',
    ],
    [13, 'from', 'docker.io/library/alpine', '3.22', null],
    [14, 'from', 'docker.io/library/debian', 'bookworm', null],
  ],
  // `# escape=` with a backtick: registry, repository and tag from ARGs; a FROM continued over two lines
  // (reported on the FROM line); COPY --from=<image> in JSON form with Windows paths.
  'dockerfile/windows/servercore/Dockerfile': [
    [8, 'from', 'mcr.microsoft.com/windows/servercore', 'ltsc2022', null],
    [15, 'from', 'mcr.microsoft.com/windows/servercore', 'ltsc2022', null],
    [17, 'copy-from', 'docker.io/library/golang', '1.24.2-windowsservercore-ltsc2022', null],
    [20, 'from', 'mcr.microsoft.com/windows/nanoserver', 'ltsc2022', null],
  ],
  // Without the directive `\` escapes: a COPY --from whose last path ends in `\` swallows the next
  // instruction (as Docker reads it); the COPY after that is found again.
  'dockerfile/windows/nanoserver/Dockerfile': [
    [1, 'from', 'mcr.microsoft.com/windows/nanoserver', 'ltsc2022', null],
    [10, 'copy-from', 'docker.io/library/eclipse-temurin', '21.0.7_6-jdk-windowsservercore-ltsc2022', null],
    [18, 'copy-from', 'docker.io/library/eclipse-temurin', '21.0.7_6-jdk-windowsservercore-ltsc2022', null],
  ],
  // A registry with a port from a global ARG; the ARG declared again inside the first stage changes
  // nothing for the second FROM.
  'dockerfile/mirror/Dockerfile': [
    [3, 'from', 'mirror.example.com:5000/ubuntu', '24.04', null],
    [16, 'from', 'mirror.example.com:5000/ubuntu', '24.04', null],
  ],
  // Digest pins on several registries (ECR public, Docker Hub, gcr, quay), a pinned COPY --from continued
  // on the next line, an untagged distroless base, a tag suffix from a quoted ARG.
  'dockerfile/pinned/Dockerfile': [
    [
      4,
      'from',
      'public.ecr.aws/docker/library/python',
      '3.13-slim',
      'sha256:d58bc24055db227b23d8e15d514ce3e29440e5a6379e457e2400815382bd452a',
    ],
    [
      5,
      'from',
      'docker.io/aquasec/trivy',
      '0.62.1',
      'sha256:84a4d3b5b128ffbea0ab4946f600e7bfcb5385ade2ab66f8609a4dd2c32be358',
    ],
    [
      6,
      'from',
      'gcr.io/projectsigstore/cosign',
      'v2.5.0',
      'sha256:ed278ce6d9e1f2543261eb051649efec20163ff982c1f80c9d3d1ecfbda82a8c',
    ],
    [
      7,
      'from',
      'quay.io/skopeo/stable',
      'v1.18.0',
      'sha256:8bccfbb3c782f0b3bede34a0c5fcbec0b402f8c852dfee583e275e94ae182ec1',
    ],
    [
      9,
      'from',
      'docker.io/library/golang',
      '1.24.3-alpine',
      'sha256:b1fd42f592e59f220721527d8d07a4b0e2a50856f5d709c64866864014b162dc',
    ],
    [
      10,
      'copy-from',
      'ghcr.io/astral-sh/uv',
      '0.7.2',
      'sha256:5d24bc02e393b9aa8839aad0c4e4c9104969eeefcf98b19d6b97d757ae024ce2',
    ],
    [18, 'from', 'gcr.io/distroless/static', null, null],
    [21, 'from', 'gcr.io/distroless/static-debian12', 'nonroot-amd64', null],
  ],
  // Odd formatting: directives with extra spaces and in another case, indented and tab-separated
  // instructions continued over lines holding only the escape or comments. The ARG after the first
  // FROM belongs to that stage, so the next FROM's variable stays open.
  'dockerfile/edge-cases/Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1.7', null],
    [7, 'from', 'docker.io/library/debian', '12.10', null],
    [16, 'from', '$proxy_image', null, null, U],
    [18, 'from', 'docker.io/library/haproxy', null, null],
    [24, 'copy-from', 'docker.io/library/certs-image', null, null],
  ],
  // ONBUILD triggers and an upper-case stage name are no dependencies; odd but valid instructions.
  'dockerfile/onbuild/Dockerfile.base': [[1, 'from', 'docker.io/library/ubuntu', '24.04', null]],
  // `# syntax=` with an explicit registry; global ARGs re-imported in a stage; per-version stages as
  // aliases for COPY --from; an untagged image used twice by COPY --from.
  'dockerfile/python-matrix/Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1.15', null],
    [6, 'from', 'ghcr.io/acme/updater-base', null, null],
    [11, 'from', 'docker.io/library/python', '3.13.3-bookworm', null],
    [15, 'from', 'docker.io/library/python', '3.12.10-bookworm', null],
    [22, 'copy-from', 'docker.io/library/rust', null, null],
    [23, 'copy-from', 'docker.io/library/rust', null, null],
  ],
  // The whole base from an ARG built of ARGs, used by three FROMs.
  'dockerfile/base-args/Dockerfile': [
    [5, 'from', 'docker.io/library/debian', 'bookworm-slim', null],
    [13, 'from', 'docker.io/library/debian', 'bookworm-slim', null],
    [16, 'from', 'docker.io/library/debian', 'bookworm-slim', null],
  ],
  // `# syntax = …` with spaces, a secret mount, heredocs (`<<EOF`, `<<-SETUP`), COPY --from=<user/image>.
  'dockerfile/node-app/Dockerfile': [
    [1, 'syntax', 'docker.io/docker/dockerfile', '1.6', null],
    [3, 'from', 'docker.io/library/node', '22.15.0-bookworm', null],
    [17, 'copy-from', 'docker.io/gloursdocker/docker', null, null],
    [19, 'from', 'docker.io/library/node', '22.15.0-bookworm-slim', null],
  ],
};

describe('fixture Dockerfiles: hand-checked deps', () => {
  test.each(Object.keys(expected))('%s', (path) => {
    expect(manager.filePatterns.some((p) => p.test(path))).toBe(true);
    const rows = manager.extract(read(path), path).deps.map((d) => {
      const row: unknown[] = [d.line, d.source, d.depName, d.tag, d.digest];
      if (d.skipReason) row.push(d.skipReason);
      return row;
    });
    expect(rows).toEqual(expected[path]);
  });

  test('the set covers every BuildKit feature the corpus test checks for', () => {
    const texts = Object.keys(expected).map(read);
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
