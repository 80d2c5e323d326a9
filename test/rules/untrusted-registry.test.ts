import { describe, expect, it } from 'vitest';
import { patternRegex } from '../../src/rules/untrusted-registry.js';
import { lint, linesOf } from './lint.js';

const ID = 'DH502';
const TRUSTED = { trustedRegistries: ['registry.example.com', 'ghcr.io/acme', 'docker.io/library/*'] };

describe('DH502 untrusted-registry', () => {
  it.each([
    ['FROM bitnami/redis:7\n', [1]],
    ['FROM quay.io/prometheus/node-exporter:v1.8.0\n', [1]],
    ['FROM ghcr.io/other/app:1\n', [1]],
    ['FROM ghcr.io/acmecorp/app:1\n', [1]],
    ['FROM node:22\nCOPY --from=quay.io/x/y:1 /a /a\n', [2]],
    ['FROM node:22\nRUN --mount=type=bind,from=gcr.io/x/y:1,target=/x true\n', [2]],
    ['ARG REG=quay.io\nFROM ${REG}/x/y:1\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID, TRUSTED)).toEqual(lines);
  });

  it.each([
    'FROM node:22\n',
    'FROM docker.io/library/node:22\n',
    'FROM registry.example.com/mirror/node:22\n',
    'FROM REGISTRY.EXAMPLE.COM/mirror/node:22\n'.toLowerCase(),
    'FROM ghcr.io/acme/app:1\nFROM ghcr.io/acme/tools/cli:2\n',
    'FROM scratch\n',
    'FROM node:22 AS build\nFROM build\nCOPY --from=build /a /a\n',
    'ARG BASE\nFROM $BASE\n',
    '# syntax=docker/dockerfile:1\nFROM node:22\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID, TRUSTED)).toEqual([]);
  });

  it('does nothing without configured registries', () => {
    expect(lint('FROM quay.io/x/y:1\n', ID)).toEqual([]);
  });

  it.each([
    ['docker.io', 'docker.io/bitnami/redis', true],
    ['index.docker.io', 'docker.io/library/node', true],
    ['bitnami/*', 'docker.io/bitnami/redis', true],
    ['bitnami', 'docker.io/bitnamilabs/redis', false],
    ['*.dkr.ecr.*.amazonaws.com', '123.dkr.ecr.eu-west-1.amazonaws.com/app', true],
    ['*.dkr.ecr.*.amazonaws.com', 'evil.com/123.dkr.ecr.eu-west-1.amazonaws.com', false],
    ['ghcr.io/acme/', 'ghcr.io/acme/app', true],
    ['docker.io/library/*', 'docker.io/bitnami/redis', false],
    ['localhost:5000', 'localhost:5000/app', true],
    ['*', 'quay.io/x/y', true],
  ])('pattern %s vs %s → %s', (pattern, name, expected) => {
    expect(patternRegex(pattern).test(name)).toBe(expected);
  });

  it('names the registry and the trusted list', () => {
    expect(lint('FROM bitnami/redis:7\n', ID, TRUSTED)[0]!.message).toMatch(
      /Docker Hub.*registry\.example\.com/,
    );
  });
});
