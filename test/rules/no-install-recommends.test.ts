import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  [
    'apt-get install',
    'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    [2],
  ],
  ['apt install', 'FROM debian:12-slim\nRUN apt install -y curl\n', [2]],
  ['in a build stage too', 'FROM debian:12 AS build\nRUN apt-get install -y gcc\nFROM scratch\n', [2]],
  [
    'configuration written later',
    'FROM debian:12-slim\nRUN apt-get install -y curl\nRUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/99norecommends\n',
    [2],
  ],
];

const good: [string, string][] = [
  ['--no-install-recommends', 'FROM debian:12-slim\nRUN apt-get install -y --no-install-recommends curl\n'],
  ['option before the action', 'FROM debian:12-slim\nRUN apt-get --no-install-recommends install -y curl\n'],
  [
    '-o APT::Install-Recommends=false',
    'FROM debian:12-slim\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n',
  ],
  [
    'apt configuration written earlier',
    'FROM debian:12-slim\nRUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/99norecommends\nRUN apt-get install -y curl\n',
  ],
  [
    'configuration in the parent stage',
    'FROM debian:12-slim AS base\nRUN echo \'APT::Install-Recommends "false";\' > /etc/apt/apt.conf.d/99x\nFROM base\nRUN apt-get install -y curl\n',
  ],
  ['apt-get upgrade', 'FROM debian:12-slim\nRUN apt-get update && apt-get upgrade -y\n'],
  ['apk', 'FROM alpine:3.20\nRUN apk add --no-cache curl\n'],
];

describe('DH604 no-install-recommends', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH604')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH604')).toEqual([]));
  it('names the packages', () => {
    expect(lint('FROM debian:12-slim\nRUN apt-get install -y curl git\n', 'DH604')[0]!.message).toContain(
      'apt-get install curl git',
    );
  });
});
