import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH204';

describe('DH204 sudo', () => {
  it.each([
    ['FROM ubuntu:24.04\nRUN sudo apt-get update\n', [2]],
    ['FROM ubuntu:24.04\nRUN apt-get update && sudo -E apt-get install -y curl\n', [2]],
    ['FROM ubuntu:24.04\nRUN DEBIAN_FRONTEND=noninteractive sudo apt-get install -y x\n', [2]],
    ['FROM ubuntu:24.04\nRUN ["sudo", "make", "install"]\n', [2]],
    ['FROM ubuntu:24.04\nRUN <<EOF\nset -e\nsudo make install\nEOF\n', [2]],
    ['FROM ubuntu:24.04\nRUN if true; then sudo true; fi\n', [2]],
    ['FROM ubuntu:24.04\nRUN /usr/bin/sudo -u app whoami\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM ubuntu:24.04\nRUN apt-get install -y sudo\n',
    'FROM ubuntu:24.04\nRUN echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app\n',
    'FROM ubuntu:24.04\nRUN echo sudo\n',
    'FROM ubuntu:24.04\nRUN if command -v sudo >/dev/null; then echo has sudo; fi\n',
    'FROM ubuntu:24.04\nCMD sudo -u app server\n',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN sudo x\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the command', () => {
    expect(lint('FROM ubuntu:24.04\nRUN sudo -u app npm ci\n', ID)[0]!.message).toContain('`sudo npm`');
  });
});
