import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['exposes a port', 'FROM nginx:1.27-alpine\nEXPOSE 80\n', [1]],
  ['runs a server', 'FROM node:22-slim\nCMD ["node", "server.js"]\n', [1]],
  [
    'entrypoint wrapper then a server',
    'FROM alpine:3.20\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["app", "serve"]\n',
    [1],
  ],
  [
    'reported on the final FROM',
    'FROM golang:1.23 AS build\nRUN go build\nFROM alpine:3.20\nEXPOSE 8080\n',
    [3],
  ],
  ['EXPOSE inherited from a parent stage', 'FROM alpine:3.20 AS base\nEXPOSE 80\nFROM base\n', [3]],
];

const good: [string, string][] = [
  [
    'HEALTHCHECK',
    'FROM nginx:1.27-alpine\nEXPOSE 80\nHEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1\n',
  ],
  ['HEALTHCHECK NONE is a decision', 'FROM nginx:1.27-alpine\nEXPOSE 80\nHEALTHCHECK NONE\n'],
  ['inherited from a parent stage', 'FROM alpine:3.20 AS base\nHEALTHCHECK CMD true\nFROM base\nEXPOSE 80\n'],
  ['no command, no port (base image)', 'FROM debian:12-slim\nRUN apt-get update\n'],
  ['interactive shell', 'FROM debian:12-slim\nCMD ["bash"]\n'],
  ['interpreter prompt', 'FROM python:3.12-slim\nCMD ["python3"]\n'],
  ['only a build stage exposes', 'FROM alpine:3.20 AS dev\nEXPOSE 80\nFROM scratch\nCOPY --from=dev /x /x\n'],
];

describe('DH802 healthcheck', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH802')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH802')).toEqual([]));
  it('is off by default', () => {
    expect(lint('FROM nginx:1.27-alpine\nEXPOSE 80\n').filter((f) => f.rule === 'DH802')).toEqual([]);
  });
});
