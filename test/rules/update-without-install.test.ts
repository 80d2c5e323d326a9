import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH303';

describe('DH303 update-without-install', () => {
  it.each([
    ['FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n', [2]],
    ['FROM debian:12\nRUN apt update\n', [2]],
    ['FROM alpine:3.20\nRUN apk update\nRUN apk add curl\n', [2]],
    ['FROM opensuse/leap:15.6\nRUN zypper refresh\n', [2]],
    ['FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n', [2]],
    ['FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\n', [2]],
    ['FROM debian:12\nRUN apt-get -o Acquire::Retries=3 update -q\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    'FROM debian:12\nRUN apt-get update \\\n  # refresh first\n  && apt-get install -y curl\n',
    'FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n',
    'FROM alpine:3.20\nRUN apk update && apk add --no-cache curl\n',
    'FROM debian:12\nRUN apt-get update && xx-apt-get install -y gcc\n',
    'FROM bitnami/minideb:bookworm\nRUN apt-get update && install_packages curl\n',
    'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n',
    'FROM alpine:3.20\nRUN apk add --update curl\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the command', () => {
    expect(lint('FROM debian:12\nRUN apt-get update\n', ID)[0]!.message).toContain('`apt-get update`');
  });
});
