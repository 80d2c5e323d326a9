// Lints every Dockerfile of the project's fixture tree and of the real-world corpus (DOCKHAND_CORPUS,
// skipped without it) with the security group's rules: no rule may crash, and a few files give exactly the
// findings checked by hand — in the fixture tree, files written for the project with the same patterns as
// the corpus files checked below them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { extractFromDockerfile, manager } from '../../src/managers/dockerfile/index.js';
import { lintDockerfile, type LintOptions } from '../../src/rules/engine.js';
import { rules } from '../../src/rules/index.js';
import { corpus, FIXTURES, listFiles } from '../support/corpus.js';

const SECURITY = [
  'DH101',
  'DH102',
  'DH201',
  'DH202',
  'DH203',
  'DH204',
  'DH303',
  'DH304',
  'DH501',
  'DH502',
  'DH503',
  'DH504',
  'DH505',
  'DH701',
  'DH702',
  'DH703',
  'DH704',
  'DH801',
];

/** The Dockerfiles under `root`, as sorted paths relative to it. */
const dockerfilesUnder = (root: string): string[] =>
  listFiles(root).filter((path) => manager.filePatterns.some((pattern) => pattern.test(path)));

function lintSecurity(root: string, path: string, options: Partial<LintOptions> = {}): Finding[] {
  const dockerfile = parseDockerfile(readFileSync(join(root, path), 'utf8'));
  return lintDockerfile(dockerfile, {
    path,
    deps: extractFromDockerfile(dockerfile),
    trustedRegistries: [],
    ignore: rules.map((r) => r.id).filter((id) => !SECURITY.includes(id)),
    // DH703 is off by default: switch it on here.
    severity: { DH703: 'info' },
    allowInlineIgnores: true,
    ...options,
  });
}

/** Lints every file with every context variant; the internal errors found. */
function crashes(root: string, files: string[]): string[] {
  const found: string[] = [];
  for (const path of files) {
    for (const options of [
      {},
      { dockerignore: null, trustedRegistries: ['ghcr.io', 'docker.io/library/*'] },
      { dockerignore: 'node_modules\n' },
    ]) {
      for (const f of lintSecurity(root, path, options)) {
        if (f.message.startsWith('internal error')) found.push(`${path}:${f.line} ${f.rule} ${f.message}`);
      }
    }
  }
  return found;
}

const brief = (findings: Finding[]): string[] => findings.map((f) => `${f.line} ${f.rule}`);

describe('security rules on odd input', () => {
  it.each([
    '',
    'FROM',
    'RUN',
    'FROM alpine:3.20\nRUN\nUSER\nEXPOSE\nLABEL\nENV\nARG\nADD\nCOPY\n',
    'FROM alpine:3.20\nRUN []\nRUN ["sh", "-c"]\nRUN ["/bin/sh", "-c", "sudo x | sh"]\n',
    'FROM alpine:3.20\nRUN <<EOF\nEOF\nRUN <<EOF\napt-get update\n',
    'FROM alpine:3.20\nONBUILD\nONBUILD RUN\nONBUILD ADD\nONBUILD ENV\n',
    'FROM alpine:3.20\nRUN echo "unterminated\nRUN curl $(\nRUN sudo\nRUN pip install -r\n',
    'FROM alpine:3.20\nUSER "\nEXPOSE 99999999999999999999 /tcp -\nLABEL =\nENV =x\n',
    'FROM a AS a\nFROM a AS b\nFROM b\n',
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n  iwr x\nUSER ContainerAdministrator\n',
    '\uFEFF# syntax=\nFROM $X\nCOPY --from=$Y . .\nRUN --mount=from= true\n',
  ])('never crashes on odd input %j', (text) => {
    const dockerfile = parseDockerfile(text);
    const findings = lintDockerfile(dockerfile, {
      path: 'Dockerfile',
      deps: extractFromDockerfile(dockerfile),
      trustedRegistries: ['ghcr.io'],
      dockerignore: '',
      ignore: rules.map((r) => r.id).filter((id) => !SECURITY.includes(id)),
      severity: { DH703: 'info' },
      allowInlineIgnores: true,
    });
    expect(findings.filter((f) => f.message.startsWith('internal error'))).toEqual([]);
  });
});

describe('security rules over the fixture tree', () => {
  const files = dockerfilesUnder(FIXTURES);

  it('finds the fixture Dockerfiles', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('never crashes, with every context variant', () => {
    expect(crashes(FIXTURES, files)).toEqual([]);
  });

  it('test-cluster: TLS off three ways, a curl | bash and a stale update', () => {
    expect(brief(lintSecurity(FIXTURES, 'rules/test-cluster/Dockerfile'))).toEqual([
      '1 DH201', // no USER, and nothing says the base image runs as non-root
      '1 DH701', // untagged base
      '1 DH801',
      '3 DH303', // apt-get --allow-releaseinfo-change update on its own
      '5 DH703', // apt-get install keyvalue-tools
      '5 DH703', // apt-get install wget
      '6 DH501', // Verify-Peer false written to apt.conf.d (RUN on lines 6–7)
      '8 DH501', // insecure written to ~/.curlrc
      '10 DH501', // curl -k
      '10 DH503', // … | bash -
      '11 DH703', // nodejs
    ]);
  });

  it('git-forge: SSH port, root final stage, broad COPY without .dockerignore', () => {
    const findings = lintSecurity(FIXTURES, 'rules/git-forge/Dockerfile', { dockerignore: null });
    expect(brief(findings)).toEqual([
      '2 DH702',
      '8 DH703', // build-base, git, nodejs, npm
      '15 DH102', // COPY . ${GOPATH}/src/…
      '19 DH201', // alpine final stage, no USER
      '19 DH702',
      '19 DH801', // only a maintainer label
      '22 DH203', // EXPOSE 22 (3000 is fine)
      '24 DH703',
    ]);
    expect(findings.find((f) => f.rule === 'DH203')!.message).toContain('EXPOSE 22');
  });

  it('python-uv multistage: named non-root user, untrusted Docker Hub base', () => {
    const findings = lintSecurity(FIXTURES, 'rules/python-uv/multistage.Dockerfile', {
      dockerignore: '.venv\n',
      trustedRegistries: ['ghcr.io/astral-sh'],
    });
    expect(brief(findings)).toEqual([
      '2 DH702',
      '10 DH102', // .dockerignore does not exclude .git and .env*
      '14 DH502', // python:3.13-slim-bookworm from Docker Hub
      '14 DH702',
      '14 DH801',
      '21 DH202', // USER app (uid 999 by name)
    ]);
    expect(findings.find((f) => f.rule === 'DH102')!.message).toContain('.git and .env*');
  });

  it('distroless via an ARG default: latest tag resolved through the ARG, USER in the final stage', () => {
    expect(brief(lintSecurity(FIXTURES, 'rules/distroless-arg/nonroot.Dockerfile'))).toEqual([
      '2 DH702', // node:20.19.1
      '8 DH701', // $RUNTIME_IMAGE = gcr.io/distroless/nodejs20-debian12:latest
      '8 DH801',
      '12 DH202', // USER nonroot
    ]);
  });
});

describe.skipIf(!corpus)('security rules over the corpus', () => {
  const root = corpus ?? '';
  const files = corpus ? dockerfilesUnder(corpus) : [];

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(400);
  });

  it('never crashes, with every context variant', () => {
    expect(crashes(root, files)).toEqual([]);
  });

  it('redis__ioredis cluster image: TLS off three ways, a curl | bash and a stale update', () => {
    expect(brief(lintSecurity(root, 'redis__ioredis/test/cluster/docker/Dockerfile'))).toEqual([
      '1 DH201', // no USER, grokzen/redis-cluster is a root image
      '1 DH701', // untagged base
      '1 DH801',
      '3 DH303', // apt-get --allow-releaseinfo-change update on its own
      '5 DH703', // apt-get install redis-server
      '5 DH703', // apt-get install curl
      '6 DH501', // Verify-Peer false written to apt.conf.d (RUN on lines 6–7)
      '8 DH501', // insecure written to ~/.curlrc
      '10 DH501', // curl --insecure
      '10 DH503', // … | bash -
      '11 DH703', // nodejs
    ]);
  });

  it('go-gitea: SSH port, root final stage, broad COPY without .dockerignore', () => {
    const findings = lintSecurity(root, 'go-gitea__gitea/Dockerfile', { dockerignore: null });
    expect(brief(findings)).toEqual([
      '2 DH702',
      '13 DH703', // build-base, git, nodejs, npm
      '21 DH102', // COPY . ${GOPATH}/src/…
      '44 DH201', // alpine final stage, no USER (s6 drops privileges at runtime)
      '44 DH702',
      '44 DH801', // only a maintainer label
      '47 DH203', // EXPOSE 22 (3000 is fine)
      '49 DH703',
    ]);
    expect(findings.find((f) => f.rule === 'DH203')!.message).toContain('EXPOSE 22');
  });

  it('astral-sh uv multistage: named non-root user, untrusted Docker Hub base', () => {
    const findings = lintSecurity(root, 'astral-sh__uv-docker-example/multistage.Dockerfile', {
      dockerignore: '.venv\n',
      trustedRegistries: ['ghcr.io/astral-sh'],
    });
    expect(brief(findings)).toEqual([
      '5 DH702',
      '22 DH102', // .dockerignore does not exclude .git and .env*
      '28 DH502', // python:3.12-slim-bookworm from Docker Hub
      '28 DH702',
      '28 DH801',
      '44 DH202', // USER nonroot (uid 999 by name)
    ]);
    expect(findings.find((f) => f.rule === 'DH102')!.message).toContain('.git and .env*');
  });

  it('distroless via an ARG default: latest tag resolved through the ARG, USER in the final stage', () => {
    expect(
      brief(lintSecurity(root, 'chrisguest75__docker_examples/28_distroless/v16_nonroot.Dockerfile')),
    ).toEqual([
      '2 DH702', // node:16.14.2
      '8 DH701', // $DISTROLESS_BASEIMAGE = gcr.io/distroless/nodejs16-debian11:latest
      '8 DH801',
      '12 DH202', // USER nonroot
    ]);
  });
});
