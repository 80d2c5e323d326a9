import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  [
    'apt-get install without -y',
    'FROM debian:12-slim\nRUN apt-get update && apt-get install --no-install-recommends curl\n',
    [2],
  ],
  [
    'DEBIAN_FRONTEND is not enough',
    'FROM debian:12-slim\nRUN DEBIAN_FRONTEND=noninteractive apt-get install curl\n',
    [2],
  ],
  ['single -q is not enough', 'FROM debian:12-slim\nRUN apt-get -q install curl\n', [2]],
  ['apt-get dist-upgrade', 'FROM debian:12-slim\nRUN apt-get dist-upgrade\n', [2]],
  ['yum', 'FROM centos:7\nRUN yum install curl\n', [2]],
  ['dnf', 'FROM fedora:40\nRUN dnf install curl\n', [2]],
  ['zypper', 'FROM opensuse/leap:15\nRUN zypper install curl\n', [2]],
  ['apt install', 'FROM debian:12-slim\nRUN apt install curl\n', [2]],
];

const good: [string, string][] = [
  ['-y', 'FROM debian:12-slim\nRUN apt-get install -y curl\n'],
  ['--yes', 'FROM debian:12-slim\nRUN apt-get install --yes curl\n'],
  ['--assume-yes', 'FROM debian:12-slim\nRUN apt-get install --assume-yes curl\n'],
  ['-qy cluster', 'FROM debian:12-slim\nRUN apt-get install -qy curl\n'],
  ['-qq implies -y', 'FROM debian:12-slim\nRUN apt-get -qq install curl\n'],
  [
    '-o APT::Get::Assume-Yes=true',
    'FROM debian:12-slim\nRUN apt-get -o APT::Get::Assume-Yes=true install curl\n',
  ],
  ['yes |', 'FROM debian:12-slim\nRUN yes | apt-get install curl\n'],
  ['apt-get update needs no -y', 'FROM debian:12-slim\nRUN apt-get update\n'],
  ['yum -y', 'FROM centos:7\nRUN yum -y install curl\n'],
  ['dnf --assumeyes', 'FROM fedora:40\nRUN dnf --assumeyes install curl\n'],
  ['zypper -n', 'FROM opensuse/leap:15\nRUN zypper -n install curl\n'],
  ['zypper --non-interactive', 'FROM opensuse/leap:15\nRUN zypper --non-interactive in curl\n'],
  ['apk never asks', 'FROM alpine:3.20\nRUN apk add curl\n'],
  ['simulation', 'FROM debian:12-slim\nRUN apt-get install -s curl\n'],
  ['PowerShell', 'FROM debian:12-slim\nSHELL ["pwsh", "-Command"]\nRUN apt-get install curl\n'],
];

describe('DH605 non-interactive-install', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH605')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH605')).toEqual([]));
  it('suggests the flag', () => {
    expect(lint('FROM debian:12-slim\nRUN apt-get install curl\n', 'DH605')[0]!.message).toContain(
      '`apt-get install -y`',
    );
    expect(lint('FROM opensuse/leap:15\nRUN zypper in curl\n', 'DH605')[0]!.message).toContain(
      'zypper --non-interactive',
    );
  });
});
