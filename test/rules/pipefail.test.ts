import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['plain pipe', 'FROM debian:12\nRUN wget -qO- https://x/t.tgz | tar -xz\n', [2]],
  ['curl to bash', 'FROM debian:12\nRUN curl -fsSL https://x/install.sh | bash\n', [2]],
  [
    'pipefail set after the pipe',
    'FROM debian:12\nRUN curl -fsSL https://x | tar -x && set -o pipefail\n',
    [2],
  ],
  [
    'pipefail switched off',
    'FROM debian:12\nRUN set -o pipefail; set +o pipefail; curl https://x | tar -x\n',
    [2],
  ],
  [
    'alpine too (busybox ash supports pipefail)',
    'FROM alpine:3.20\nRUN wget -qO- https://x | tar -xz\n',
    [2],
  ],
  ['SHELL without pipefail', 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN curl https://x | tar -x\n', [3]],
  [
    'pipefail SHELL of another stage',
    'FROM debian:12 AS a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM debian:12\nRUN curl https://x | tar -x\n',
    [4],
  ],
  ['heredoc script', 'FROM debian:12\nRUN <<EOF\ncurl https://x | tar -x\nEOF\n', [2]],
  ['exec-form shell', 'FROM debian:12\nRUN ["/bin/sh", "-c", "curl https://x | tar -x"]\n', [2]],
  ['middle of a pipeline', 'FROM debian:12\nRUN echo x | tr a b | sha256sum\n', [2]],
];

const good: [string, string][] = [
  ['no pipe', 'FROM debian:12\nRUN make && make install\n'],
  ['|| is not a pipe', 'FROM debian:12\nRUN make || true\n'],
  ['set -o pipefail first', 'FROM debian:12\nRUN set -o pipefail && curl https://x | tar -x\n'],
  ['set -euxo pipefail', 'FROM debian:12\nRUN set -euxo pipefail; curl https://x | tar -x\n'],
  ['set -Eeuo pipefail', 'FROM debian:12\nRUN set -Eeuo pipefail; curl https://x | tar -x\n'],
  [
    'SHELL bash -o pipefail',
    'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl https://x | tar -x\n',
  ],
  [
    'SHELL ash -eo pipefail',
    'FROM alpine:3.20\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nRUN wget -qO- https://x | tar -x\n',
  ],
  [
    'SHELL inherited from the parent stage',
    'FROM debian:12 AS base\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM base\nRUN curl https://x | tar -x\n',
  ],
  [
    'exec form with pipefail',
    'FROM debian:12\nRUN ["/bin/bash", "-o", "pipefail", "-c", "curl https://x | tar -x"]\n',
  ],
  ['exec form of a non-shell program', 'FROM debian:12\nRUN ["grep", "-E", "a|b", "/etc/hosts"]\n'],
  [
    'pipe inside a command substitution',
    'FROM debian:12\nRUN arch="$(dpkg --print-architecture | cut -d- -f1)" && echo $arch\n',
  ],
  [
    'case pattern alternatives',
    'FROM debian:12\nRUN case "$(uname -m)" in x86_64|amd64) a=x ;; aarch64|arm64|armv8) a=y ;; esac\n',
  ],
  ['echo into a checksum', 'FROM debian:12\nRUN echo "$SHA  file.tgz" | sha256sum -c -\n'],
  ['yes into a prompt', 'FROM archlinux:base\nRUN yes | pacman -Scc\n'],
  ['quoted pipe', 'FROM debian:12\nRUN grep -E "a|b" /etc/hosts\n'],
  [
    'PowerShell',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Get-ChildItem | Select-Object Name\n',
  ],
  [
    'Windows escape file',
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir | findstr x\n',
  ],
  ['python heredoc', 'FROM python:3.12-slim\nRUN python3 <<EOF\nprint("a|b")\nEOF\n'],
];

describe('DH905 pipefail', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH905')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH905')).toEqual([]));
  it('names the pipe and both fixes', () => {
    const message = lint('FROM debian:12\nRUN curl -fsSL https://x | tar -x\n', 'DH905')[0]!.message;
    expect(message).toContain('`curl … | tar`');
    expect(message).toContain('SHELL ["/bin/bash", "-o", "pipefail", "-c"]');
    expect(message).toContain('set -o pipefail');
  });
});
