import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['npm ci after COPY . .', 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', [4]],
  ['npm install after COPY . /app', 'FROM node:22-slim\nCOPY . /app\nRUN cd /app && npm install\n', [3]],
  ['yarn install', 'FROM node:22-slim\nCOPY . .\nRUN yarn install --frozen-lockfile\n', [3]],
  ['pnpm install', 'FROM node:22-slim\nCOPY . .\nRUN pnpm install\n', [3]],
  [
    'pip install -r',
    'FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n',
    [3],
  ],
  [
    'python -m pip install -r',
    'FROM python:3.12-slim\nADD . /code\nRUN python -m pip install -r /code/requirements.txt\n',
    [3],
  ],
  ['poetry install', 'FROM python:3.12-slim\nCOPY . .\nRUN poetry install\n', [3]],
  ['go mod download', 'FROM golang:1.23\nCOPY . .\nRUN go mod download\n', [3]],
  ['bundle install', 'FROM ruby:3.3-slim\nCOPY . .\nRUN bundle install\n', [3]],
  ['composer install', 'FROM composer:2\nCOPY . .\nRUN composer install --no-dev\n', [3]],
  ['cargo fetch', 'FROM rust:1.80\nCOPY ./ ./\nRUN cargo fetch\n', [3]],
  [
    'manifest copied first but installed after the broad copy',
    'FROM node:22-slim\nCOPY package*.json ./\nCOPY . .\nRUN npm ci\n',
    [4],
  ],
];

const good: [string, string][] = [
  [
    'manifest first, install, then the source',
    'FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n',
  ],
  [
    'go mod download before the source',
    'FROM golang:1.23\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build ./...\n',
  ],
  [
    'poetry project install after a dependency install',
    'FROM python:3.12-slim\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\nRUN poetry install --only-root\n',
  ],
  [
    'pnpm fetch, then offline install',
    'FROM node:22-slim\nCOPY pnpm-lock.yaml ./\nRUN pnpm fetch\nCOPY . .\nRUN pnpm install --offline\n',
  ],
  ['installing the project itself', 'FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir .\n'],
  ['installing a named package', 'FROM node:22-slim\nCOPY . .\nRUN npm install -g serve\n'],
  [
    'COPY --from a stage',
    'FROM node:22-slim AS build\nFROM node:22-slim\nCOPY --from=build . .\nRUN npm ci\n',
  ],
  ['install in another stage', 'FROM node:22-slim AS a\nCOPY . .\nFROM node:22-slim\nRUN npm ci\n'],
  ['narrow COPY', 'FROM node:22-slim\nCOPY src ./src\nRUN npm ci\n'],
];

describe('DH606 cache-unfriendly-order', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH606')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH606')).toEqual([]));
  it('names the install, the copy and the manifests', () => {
    const message = lint('FROM node:22-slim\nCOPY . .\nRUN npm ci\n', 'DH606')[0]!.message;
    expect(message).toContain('`npm ci` runs after `COPY . .` (line 2)');
    expect(message).toContain('package.json and package-lock.json');
  });
});
