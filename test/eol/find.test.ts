import { describe, expect, it } from 'vitest';
import { eolData, eolFindings, successor } from '../../src/eol/index.js';

const NOW = new Date('2026-11-22T12:00:00Z');

/** `image:tag` as the dockerfile manager normalises it (official images under docker.io/library). */
function dep(reference: string): { depName: string; tag: string | null } {
  const colon = reference.lastIndexOf(':');
  const name = colon > reference.lastIndexOf('/') ? reference.slice(0, colon) : reference;
  const tag = colon > reference.lastIndexOf('/') ? reference.slice(colon + 1) : null;
  return { depName: name.includes('/') ? name : `docker.io/library/${name}`, tag };
}

/** `product release → eol → successor` for each finding. */
function summary(reference: string, now = NOW): string[] {
  return eolFindings(dep(reference), now).map(
    (f) => `${f.product.name} ${f.release.release} → ${f.release.eol} → ${f.successor?.release ?? 'none'}`,
  );
}

describe('eolFindings at 2026-11-22', () => {
  it.each([
    ['node:16', ['node 16 → 2023-09-11 → 26']],
    ['node:16.20.2-bookworm-slim', ['node 16 → 2023-09-11 → 26']],
    ['node:22', []],
    // Node's LTS codename tags.
    ['node:gallium', ['node 16 → 2023-09-11 → 26']],
    ['node:iron-alpine3.18', ['node 20 → 2026-04-30 → 26', 'alpine 3.18 → 2025-05-09 → 3.24']],
    ['node:jod-bookworm-slim', []],
    ['node:24-alpine3.22', []],
    ['python:3.8', ['python 3.8 → 2024-10-07 → 3.15']],
    ['python:3.8.18-slim', ['python 3.8 → 2024-10-07 → 3.15']],
    ['python:3.12-buster', ['debian 10 → 2024-06-30 → 13']],
    ['python:3.12-slim-bullseye', ['debian 11 → 2026-08-31 → 13']],
    ['python:3.13-slim-bookworm', []],
    ['node:20-alpine3.16', ['node 20 → 2026-04-30 → 26', 'alpine 3.16 → 2024-05-23 → 3.24']],
    ['node:22-alpine3.16', ['alpine 3.16 → 2024-05-23 → 3.24']],
    ['ubuntu:18.04', ['ubuntu 18.04 → 2023-05-31 → 26.04']],
    ['ubuntu:bionic', ['ubuntu 18.04 → 2023-05-31 → 26.04']],
    ['ubuntu:bionic-20230530', ['ubuntu 18.04 → 2023-05-31 → 26.04']],
    ['ubuntu:jammy-20240227', []],
    ['ubuntu:24.04', []],
    ['debian:buster-slim', ['debian 10 → 2024-06-30 → 13']],
    ['debian:10.13', ['debian 10 → 2024-06-30 → 13']],
    ['debian:bookworm-20240311-slim', []],
    ['alpine:3.16.9', ['alpine 3.16 → 2024-05-23 → 3.24']],
    ['golang:1.21', ['go 1.21 → 2024-08-13 → 1.27']],
    ['golang:1.21.13-alpine3.20', ['go 1.21 → 2024-08-13 → 1.27', 'alpine 3.20 → 2026-04-01 → 3.24']],
    ['golang:1.27', []],
    ['ruby:2.7-slim-buster', ['ruby 2.7 → 2023-03-31 → 4.0', 'debian 10 → 2024-06-30 → 13']],
    ['php:7.4-fpm', ['php 7.4 → 2022-11-28 → 8.5']],
    ['postgres:9.6.24-alpine', ['postgres 9.6 → 2021-11-11 → 18']],
    ['postgres:14', ['postgres 14 → 2026-11-12 → 18']],
    ['mysql:5.7', ['mysql 5.7 → 2023-10-31 → 8.4']],
    ['mariadb:10.11', []],
    ['redis:6.2-alpine', []],
    // An official image Dockhand has no product for still names its OS.
    ['eclipse-temurin:17-jre-focal', ['ubuntu 20.04 → 2025-05-31 → 26.04']],
    ['mirror.gcr.io/library/node:16', ['node 16 → 2023-09-11 → 26']],
    ['public.ecr.aws/docker/library/python:3.8', ['python 3.8 → 2024-10-07 → 3.15']],
  ])('%s', (reference, expected) => {
    expect(summary(reference)).toEqual(expected);
  });

  it.each([
    // No version: nothing to judge.
    'node:latest',
    'node:lts',
    'node:alpine',
    'node',
    'python:3',
    'postgres:9',
    'debian:stable-slim',
    'alpine:edge',
    // A node codename names nothing on another image.
    'python:iron',
    // Not an official image: its tags follow no known convention.
    'ghcr.io/acme/node:16',
    'acme/python:3.8-buster',
    'registry.example.com/team/app:1.0',
  ])('%s has no finding', (reference) => {
    expect(summary(reference)).toEqual([]);
  });

  it('judges the OS a versionless tag names (node:lts-buster)', () => {
    expect(summary('node:lts-buster')).toEqual(['debian 10 → 2024-06-30 → 13']);
  });

  it('carries the end date and whether it is approximate', () => {
    const [finding] = eolFindings(dep('redis:7.0'), NOW);
    expect(finding?.release).toMatchObject({ release: '7.0', eol: '2024-07-29', approximate: true });
    expect(eolFindings(dep('node:16'), NOW)[0]?.release.approximate).toBe(false);
  });
});

describe('eolFindings over time', () => {
  it('ends a line from the first moment (UTC) of its eol day', () => {
    expect(summary('node:16', new Date('2023-09-10T23:59:59.999Z'))).toEqual([]);
    // Node 20 was out but not yet LTS (from 2023-10-24): 18 is the LTS line supported longest.
    expect(summary('node:16', new Date('2023-09-11T00:00:00Z'))).toEqual(['node 16 → 2023-09-11 → 18']);
  });

  it('never proposes a line that was not yet released', () => {
    expect(summary('node:16', new Date('2024-06-01T00:00:00Z'))).toEqual(['node 16 → 2023-09-11 → 20']);
    expect(summary('python:3.7', new Date('2024-06-01T00:00:00Z'))).toEqual([
      'python 3.7 → 2023-06-27 → 3.12',
    ]);
  });

  it('proposes a Node line once it is LTS, not while it is Current', () => {
    // Node 24 came out 2025-05-06 and became LTS on 2025-10-28.
    expect(summary('node:18', new Date('2025-07-01T00:00:00Z'))).toEqual(['node 18 → 2025-04-30 → 22']);
    expect(summary('node:18', new Date('2025-11-01T00:00:00Z'))).toEqual(['node 18 → 2025-04-30 → 24']);
  });

  it('proposes an Ubuntu LTS, never an interim release', () => {
    expect(summary('ubuntu:focal', new Date('2025-12-01T00:00:00Z'))).toEqual([
      'ubuntu 20.04 → 2025-05-31 → 24.04',
    ]);
    expect(summary('ubuntu:23.10', new Date('2025-12-01T00:00:00Z'))).toEqual([
      'ubuntu 23.10 → 2024-07-11 → 24.04',
    ]);
  });

  it('finds no successor when every known line has ended', () => {
    expect(successor(eolData().products.get('node')!, new Date('2040-01-01T00:00:00Z'))).toBeNull();
  });
});
