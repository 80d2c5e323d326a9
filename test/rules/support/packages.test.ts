import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { posixRunCommands, shellCommands } from '../../../src/dockerfile/shell.js';
import {
  hasOption,
  hasShellVariable,
  isFileOrUrl,
  isIndexUpdate,
  isInstall,
  optionValue,
  packageCommands,
  parsePackageCommand,
  programIndex,
  programOf,
} from '../../../src/rules/support/packages.js';

function parse(script: string) {
  return shellCommands(script)
    .map(parsePackageCommand)
    .filter((pc) => pc !== null);
}

function first(script: string) {
  const [pc] = parse(script);
  if (!pc) throw new Error(`no package command in ${script}`);
  return pc;
}

describe('parsePackageCommand', () => {
  it.each([
    ['apt-get install -y curl git', 'apt-get', 'install', ['curl', 'git']],
    ['apt-get -y --no-install-recommends install curl=7.88.1-10', 'apt-get', 'install', ['curl=7.88.1-10']],
    ['apt-get -o Dpkg::Options::=--force-confold install -y vim', 'apt-get', 'install', ['vim']],
    ['apt-get -o Acquire::Retries=3 install vim', 'apt-get', 'install', ['vim']],
    ['DEBIAN_FRONTEND=noninteractive apt-get install -qy tzdata', 'apt-get', 'install', ['tzdata']],
    ['sudo -E apt install nano', 'apt', 'install', ['nano']],
    ['/usr/bin/apt-get update', 'apt-get', 'update', []],
    ['apk add --no-cache --virtual .build-deps gcc musl-dev', 'apk', 'add', ['gcc', 'musl-dev']],
    ['apk add -t .deps -X http://mirror/edge/testing foo', 'apk', 'add', ['foo']],
    ['yum -y install httpd-2.4.6', 'yum', 'install', ['httpd-2.4.6']],
    ['dnf --enablerepo crb install -y gcc', 'dnf', 'install', ['gcc']],
    ['microdnf install -y shadow-utils', 'microdnf', 'install', ['shadow-utils']],
    ['zypper --non-interactive in -r oss curl', 'zypper', 'in', ['curl']],
    ['pip install -r requirements.txt flask', 'pip', 'install', ['flask']],
    [
      'pip3.11 install --no-cache-dir -i https://pypi.org/simple requests==2.31.0',
      'pip',
      'install',
      ['requests==2.31.0'],
    ],
    ['python3 -m pip install --upgrade pip', 'pip', 'install', ['pip']],
    ['python -I -m pip install -e .', 'pip', 'install', []],
    ['npm install -g --prefix /opt/npm typescript@5.4.0', 'npm', 'install', ['typescript@5.4.0']],
    ['npm ci --omit dev', 'npm', 'ci', []],
    ['gem install bundler -v 2.5.0 --no-document', 'gem', 'install', ['bundler']],
    [
      'go install -ldflags "-s -w" golang.org/x/tools/gopls@latest',
      'go',
      'install',
      ['golang.org/x/tools/gopls@latest'],
    ],
    ['env -u HOME npm i -g yarn', 'npm', 'i', ['yarn']],
    ['apt-get install -y -- -weird', 'apt-get', 'install', ['-weird']],
  ])('%s', (script, manager, action, args) => {
    const pc = first(script);
    expect(pc.manager).toBe(manager);
    expect(pc.action).toBe(action);
    expect(pc.args).toEqual(args);
  });

  it('finds commands after shell keywords and operators', () => {
    const found = parse(
      'set -e; if [ -f /etc/debian_version ]; then apt-get update && apt-get install -y curl; fi | tee x',
    );
    expect(found.map((pc) => `${pc.manager} ${pc.action}`)).toEqual(['apt-get update', 'apt-get install']);
  });

  it('ignores other programs and python without -m pip', () => {
    expect(
      parse('echo apt-get install x; python3 setup.py install; pipx install black; make install'),
    ).toEqual([]);
  });

  it('keeps option values', () => {
    const pc = first('pip install --index-url=https://x/simple --trusted-host x -U pkg');
    expect(optionValue(pc, '--index-url', '-i')).toBe('https://x/simple');
    expect(optionValue(pc, '--trusted-host')).toBe('x');
    expect(optionValue(pc, '-U')).toBeNull();
    expect(optionValue(pc, '--user')).toBeUndefined();
  });
});

describe('hasOption', () => {
  it('matches exact names and short flags inside clusters', () => {
    expect(hasOption(first('apt-get install -qy x'), '-y')).toBe(true);
    expect(hasOption(first('apt-get install --yes x'), '-y', '--yes')).toBe(true);
    expect(hasOption(first('apt-get install -q x'), '-y')).toBe(false);
    expect(hasOption(first('apk add --no-cache x'), '--no-cache')).toBe(true);
    expect(hasOption(first('apk add --no-cache x'), '-n')).toBe(false);
  });
  it('does not read go single-dash long options as clusters', () => {
    expect(hasOption(first('go install -ldflags x y@v1'), '-d')).toBe(false);
  });
});

describe('action helpers', () => {
  it.each([
    ['apt-get install x', true, false],
    ['apt update', false, true],
    ['apk add x', true, false],
    ['apk update', false, true],
    ['zypper ref', false, true],
    ['dnf groupinstall x', true, false],
    ['npm isntall x', true, false],
    ['npm run build', false, false],
    ['go get x', true, false],
    ['apt-get upgrade', false, false],
  ])('%s', (script, install, update) => {
    const pc = first(script);
    expect(isInstall(pc)).toBe(install);
    expect(isIndexUpdate(pc)).toBe(update);
  });
});

describe('word helpers', () => {
  it.each([
    ['./pkg.deb', true],
    ['/tmp/x.rpm', true],
    ['foo.whl', true],
    ['https://example.com/x.tar.gz', true],
    ['git+https://github.com/a/b', true],
    ['.', true],
    ['curl', false],
    ['pkg/bookworm-backports', false],
    ['@scope/name', false],
    ['github.com/a/b@v1', false],
  ])('isFileOrUrl(%s) = %s', (word, expected) => {
    expect(isFileOrUrl(word)).toBe(expected);
  });
  it('recognises shell variables', () => {
    expect(hasShellVariable('$PKGS')).toBe(true);
    expect(hasShellVariable('curl=${CURL_VERSION}')).toBe(true);
    expect(hasShellVariable('curl')).toBe(false);
  });
});

describe('packageCommands', () => {
  it('reads RUN shell form, exec form, heredocs and ONBUILD RUN', () => {
    const df = parseDockerfile(
      [
        'FROM debian',
        'RUN apt-get update && apt-get install -y curl',
        'RUN ["apt-get", "install", "-y", "git"]',
        'RUN <<EOF',
        'apk add jq',
        'EOF',
        'ONBUILD RUN pip install flask',
        'COPY . /app',
        '',
      ].join('\n'),
    );
    const found = df.instructions.flatMap((i) => packageCommands(df, i)).map((pc) => pc.args.join(' '));
    expect(found).toEqual(['', 'curl', 'git', 'jq', 'flask']);
  });
  it('ignores RUNs under a PowerShell SHELL', () => {
    const df = parseDockerfile(
      'FROM mcr.microsoft.com/windows/servercore\nSHELL ["powershell", "-Command"]\nRUN pip install flask\n',
    );
    expect(df.instructions.flatMap((i) => packageCommands(df, i))).toEqual([]);
  });
});

describe('programs', () => {
  it.each([
    ['sudo -u app npm ci', 'npm'],
    ['DEBIAN_FRONTEND=noninteractive apt-get install x', 'apt-get'],
    ['env -i PATH=/bin /usr/bin/make', 'make'],
    ['xargs -n 1 -I {} apt-get install {}', 'apt-get'],
    ['! grep -q x file', 'grep'],
    ['command -v sudo', 'command'],
    ['command apt-get update', 'apt-get'],
    ['FOO=1', undefined],
  ])('programOf(%s) = %s', (script, program) => {
    expect(programOf(shellCommands(script)[0]!)?.program).toBe(program);
  });

  it('can stop at sudo', () => {
    const words = ['X=1', 'sudo', '-E', 'apt-get'];
    expect(programIndex(words, false)).toBe(1);
    expect(programIndex(words)).toBe(3);
  });
});

describe('posixRunCommands', () => {
  it('follows the SHELL of each stage and caches per file', () => {
    const df = parseDockerfile(
      [
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win',
        'SHELL ["powershell", "-Command"]',
        'RUN Invoke-WebRequest x',
        'SHELL ["cmd", "/S", "/C"]',
        'RUN dir',
        'FROM alpine:3.20',
        'RUN apk add curl',
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        'RUN curl x | sh',
        '',
      ].join('\n'),
    );
    const counts = df.instructions.map((i) => posixRunCommands(df, i).length);
    expect(counts).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 2]);
    expect(posixRunCommands(df, df.instructions[6]!)).toBe(posixRunCommands(df, df.instructions[6]!));
  });

  it('treats Windows (escape=`) files without a POSIX SHELL as not shell', () => {
    const df = parseDockerfile(
      '# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN pip install flask\n',
    );
    expect(posixRunCommands(df, df.instructions[1]!)).toEqual([]);
  });

  it('treats stages on Windows base images as not shell unless a POSIX SHELL is set', () => {
    const df = parseDockerfile(
      [
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base',
        'RUN pip install flask',
        'FROM base',
        'RUN pip install flask',
        'FROM eclipse-temurin:21-jre-nanoserver',
        'SHELL ["C:/msys64/usr/bin/bash.exe", "-c"]',
        'RUN pip install flask',
        '',
      ].join('\n'),
    );
    expect(df.instructions.map((i) => posixRunCommands(df, i).length)).toEqual([0, 0, 0, 0, 0, 0, 1]);
  });
});
