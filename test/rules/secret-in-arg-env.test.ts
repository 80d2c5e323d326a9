import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH101';

describe('DH101 secret-in-arg-env', () => {
  it.each([
    ['FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n', [2]],
    ['FROM node:22\nENV GITHUB_TOKEN=${GITHUB_TOKEN}\n', [2]],
    ['FROM alpine:3.20\nENV AWS_SECRET_ACCESS_KEY wJalrXUtnFEMI\n', [2]],
    ['FROM alpine:3.20\nARG DB_PASSWORD=changeme APP_NAME=shop\n', [2]],
    ['FROM alpine:3.20\nENV stripeApiKey=abc\n', [2]],
    ['FROM alpine:3.20\nENV SSH_PRIVATE_KEY="x"\n', [2]],
    ['FROM alpine:3.20\nENV OAUTH_CLIENT_SECRET=x JWT_SECRET=y\n', [2, 2]],
    ['FROM alpine:3.20\nONBUILD ARG REGISTRY_CREDENTIALS\n', [2]],
    // literal secret values anywhere
    ['FROM alpine:3.20\nRUN git clone https://ghp_' + 'a'.repeat(36) + '@github.com/o/r\n', [2]],
    ['FROM alpine:3.20\nRUN echo AKIA' + 'Q'.repeat(16) + ' > /k\n', [2]],
    ['FROM alpine:3.20\nRUN <<EOF\ncat > /k <<KEY\n-----BEGIN OPENSSH PRIVATE KEY-----\nKEY\nEOF\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM python:3.12\nENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D\n',
    'FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db\n',
    'FROM mysql:8\nENV MYSQL_ALLOW_EMPTY_PASSWORD=yes\n',
    'FROM python:3.12\nENV TOKENIZERS_PARALLELISM=false\n',
    'FROM alpine:3.20\nARG AUTH_MODULE_VERSION=1.2\nENV TOKEN_URL=https://x/token SECRET_DIR=/run/secrets\n',
    'FROM alpine:3.20\nENV PUBLIC_KEY=abc\n',
    'FROM node:22\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n',
    // AWS's documented example key
    'FROM alpine:3.20\nRUN echo AKIAIOSFODNN7EXAMPLE\n',
    // a token in a comment is not in the image
    'FROM alpine:3.20\n# ghp_' + 'a'.repeat(36) + '\nRUN true\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the variable and the fix', () => {
    expect(lint('FROM node:22\nARG NPM_TOKEN\n', ID)[0]!.message).toMatch(
      /ARG NPM_TOKEN.*--mount=type=secret/,
    );
  });

  it('honours inline ignores', () => {
    expect(lint('FROM node:22\n# dockhand ignore=DH101 -- not a secret\nARG NPM_TOKEN\n', ID)).toEqual([]);
    expect(lint('FROM node:22\n# hadolint ignore=DL3064\nARG NPM_TOKEN\n', ID)).toEqual([]);
  });
});
