import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  [
    'apt-get without removing the lists',
    'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\n',
    [2],
  ],
  [
    'lists removed in a later RUN',
    'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n',
    [2],
  ],
  ['apk add without --no-cache', 'FROM alpine:3.20\nRUN apk add curl\n', [2]],
  ['yum without clean', 'FROM centos:7\nRUN yum install -y curl\n', [2]],
  ['dnf without clean', 'FROM fedora:40\nRUN dnf install -y curl\n', [2]],
  ['zypper without clean', 'FROM opensuse/leap:15\nRUN zypper -n install curl\n', [2]],
  ['pip without --no-cache-dir', 'FROM python:3.12-slim\nRUN pip install -r requirements.txt\n', [2]],
  ['python -m pip', 'FROM python:3.12-slim\nRUN python3 -m pip install flask\n', [2]],
  ['yarn install without cache clean', 'FROM node:22-slim\nRUN yarn install --frozen-lockfile\n', [2]],
  [
    'a bind mount is not a cache',
    'FROM debian:12-slim\nRUN --mount=type=bind,target=/var/lib/apt/lists apt-get install -y curl\n',
    [2],
  ],
  ['one finding per manager', 'FROM python:3.12-slim\nRUN apt-get install -y gcc && pip install x\n', [2, 2]],
  [
    'in a stage the final stage is built on',
    'FROM debian:12-slim AS base\nRUN apt-get install -y curl\nFROM base\n',
    [2],
  ],
];

const good: [string, string][] = [
  [
    'apt-get with rm -rf /var/lib/apt/lists/*',
    'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
  ],
  [
    'rm of the lists directory',
    'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl; rm -rf /var/lib/apt/lists\n',
  ],
  [
    'apt cache mount',
    'FROM debian:12-slim\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\n',
  ],
  [
    'apt lists tmpfs',
    'FROM debian:12-slim\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n',
  ],
  ['apk --no-cache', 'FROM alpine:3.20\nRUN apk add --no-cache curl\n'],
  ['apk --no-cache before the action', 'FROM alpine:3.20\nRUN apk --no-cache add curl\n'],
  ['apk cache mount', 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n'],
  ['yum clean all', 'FROM centos:7\nRUN yum install -y curl && yum clean all\n'],
  ['dnf clean all', 'FROM fedora:40\nRUN dnf install -y curl && dnf clean all\n'],
  [
    'microdnf clean all',
    'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y curl && microdnf clean all\n',
  ],
  ['zypper clean', 'FROM opensuse/leap:15\nRUN zypper -n install curl && zypper clean --all\n'],
  ['pip --no-cache-dir', 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n'],
  ['PIP_NO_CACHE_DIR in ENV', 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n'],
  [
    'PIP_NO_CACHE_DIR in a parent stage',
    'FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install flask\n',
  ],
  ['PIP_NO_CACHE_DIR inline', 'FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n'],
  [
    'pip cache mount',
    'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n',
  ],
  ['pip cache purge', 'FROM python:3.12-slim\nRUN pip install flask && pip cache purge\n'],
  ['yarn cache clean', 'FROM node:22-slim\nRUN yarn install --frozen-lockfile && yarn cache clean\n'],
  ['npm is not judged', 'FROM node:22-slim\nRUN npm ci\n'],
  [
    'a build stage only',
    'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM gcr.io/distroless/cc-debian12\n',
  ],
  [
    'apt-get upgrade alone',
    'FROM debian:12-slim\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\n',
  ],
];

describe('DH603 package-cache-left', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH603')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH603')).toEqual([]));
  it('says what to add', () => {
    expect(lint('FROM debian:12-slim\nRUN apt-get install -y curl\n', 'DH603')[0]!.message).toContain(
      'rm -rf /var/lib/apt/lists/*',
    );
    expect(lint('FROM alpine:3.20\nRUN apk add curl\n', 'DH603')[0]!.message).toContain('apk add --no-cache');
  });
  it('honours hadolint ignores for DL3009', () => {
    expect(
      linesOf('FROM debian:12-slim\n# hadolint ignore=DL3009\nRUN apt-get install -y curl\n', 'DH603'),
    ).toEqual([]);
  });
});
