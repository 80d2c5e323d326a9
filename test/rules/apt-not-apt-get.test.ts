import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['apt install', 'FROM debian:12\nRUN apt install -y curl\n', [2]],
  ['apt update and install, once per RUN', 'FROM debian:12\nRUN apt update && apt install -y curl\n', [2]],
  ['behind sudo', 'FROM debian:12\nRUN sudo apt-get update && sudo apt install -y curl\n', [2]],
  ['behind an assignment', 'FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive apt install -y curl\n', [2]],
  ['full path', 'FROM debian:12\nRUN /usr/bin/apt upgrade -y\n', [2]],
  ['apt list', 'FROM debian:12\nRUN apt list --installed\n', [2]],
];

const good: [string, string][] = [
  ['apt-get', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n'],
  ['apt-cache', 'FROM debian:12\nRUN apt-cache policy curl\n'],
  ['apt-key and apt-mark', 'FROM debian:12\nRUN apt-mark hold curl && apt-key list\n'],
  ['apt as an argument', 'FROM debian:12\nRUN echo apt install && ls /etc/apt\n'],
  ['PowerShell', 'FROM debian:12\nSHELL ["pwsh", "-Command"]\nRUN apt install x\n'],
];

describe('DH906 apt-not-apt-get', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH906')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH906')).toEqual([]));
  it('names the replacement for each subcommand', () => {
    const message = lint('FROM debian:12\nRUN apt update && apt search curl\n', 'DH906')[0]!.message;
    expect(message).toContain('`apt-get update` for `apt update`');
    expect(message).toContain('`apt-cache search` for `apt search`');
  });
});
