import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  [
    'gcc via apt-get',
    'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev\n',
    [2],
  ],
  ['build-base via apk', 'FROM alpine:3.20\nRUN apk add --no-cache build-base\n', [2]],
  [
    'gcc-c++ and -devel via dnf',
    'FROM fedora:40\nRUN dnf install -y gcc-c++ openssl-devel && dnf clean all\n',
    [2],
  ],
  ['make via yum', 'FROM centos:7\nRUN yum install -y make && yum clean all\n', [2]],
  ['versioned package', 'FROM debian:12-slim\nRUN apt-get install -y cmake=3.25.1-1\n', [2]],
  [
    'in a stage the final stage is built on',
    'FROM debian:12-slim AS base\nRUN apt-get install -y build-essential\nFROM base\n',
    [2],
  ],
  ['virtual group not deleted', 'FROM alpine:3.20\nRUN apk add --virtual .build-deps gcc musl-dev\n', [2]],
  [
    'only some tools purged',
    'FROM debian:12-slim\nRUN apt-get install -y gcc make && apt-get purge -y gcc\n',
    [2],
  ],
];

const good: [string, string][] = [
  [
    'build stage only',
    'FROM golang:1.23 AS build\nRUN apt-get install -y gcc\nFROM gcr.io/distroless/static-debian12\n',
  ],
  [
    'runtime packages',
    'FROM debian:12-slim\nRUN apt-get install -y --no-install-recommends ca-certificates libpq5\n',
  ],
  [
    'apk virtual group deleted in the same RUN',
    'FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps\n',
  ],
  [
    'apt-get purge of the tools',
    'FROM debian:12-slim\nRUN apt-get install -y gcc && make && apt-get purge -y --auto-remove gcc\n',
  ],
  [
    "Debian's apt-mark idiom",
    'FROM debian:12-slim\nRUN savedAptMark="$(apt-mark showmanual)"; apt-get install -y gcc make; make; apt-mark auto \'.*\' > /dev/null; apt-mark manual $savedAptMark; apt-get purge -y --auto-remove\n',
  ],
  ['packages in a variable', 'FROM debian:12-slim\nRUN apt-get install -y $BUILD_DEPS\n'],
  ['a .deb file', 'FROM debian:12-slim\nRUN apt-get install -y ./gcc-custom.deb\n'],
  ['pip install is not an OS package', 'FROM python:3.12-slim\nRUN pip install --no-cache-dir make\n'],
  ['simulation only', 'FROM debian:12-slim\nRUN apt-get install -s gcc\n'],
];

describe('DH602 build-tools-in-final-stage', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH602')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH602')).toEqual([]));
  it('names the tools', () => {
    const text = 'FROM python:3.12-slim\nRUN apt-get install -y gcc libpq-dev curl\n';
    expect(lint(text, 'DH602')[0]!.message).toContain('(gcc, libpq-dev)');
  });
  it('skips development containers', () => {
    expect(
      linesOf('FROM debian:12\nRUN apt-get install -y gcc\n', 'DH602', { path: '.devcontainer/Dockerfile' }),
    ).toEqual([]);
  });
});
