import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['node:20', 'FROM node:20\nCMD ["node", "server.js"]\n', [1]],
  ['python:3.12', 'FROM python:3.12\n', [1]],
  ['python:3.12-bookworm', 'FROM python:3.12-bookworm\n', [1]],
  ['golang:1.22', 'FROM golang:1.22\n', [1]],
  ['ruby without tag', 'FROM ruby\n', [1]],
  ['openjdk', 'FROM openjdk:21\n', [1]],
  ['debian:bookworm', 'FROM debian:bookworm\n', [1]],
  ['ubuntu', 'FROM ubuntu:24.04\n', [1]],
  ['docker.io spelled out', 'FROM docker.io/library/node:22\n', [1]],
  [
    'through a stage chain, at the FROM naming the image',
    'FROM node:22 AS base\nWORKDIR /app\nFROM base\nCMD ["node", "x.js"]\n',
    [1],
  ],
  ['tag from an ARG default', 'ARG NODE=22\nFROM node:${NODE}\n', [2]],
];

const good: [string, string][] = [
  ['slim', 'FROM node:22-slim\n'],
  ['bookworm-slim', 'FROM debian:bookworm-slim\n'],
  ['python slim-bookworm', 'FROM python:3.12-slim-bookworm\n'],
  ['alpine variant', 'FROM golang:1.23-alpine\n'],
  ['alpine', 'FROM alpine:3.20\n'],
  ['busybox', 'FROM busybox:1.36\n'],
  ['distroless', 'FROM gcr.io/distroless/static-debian12\n'],
  ['chainguard', 'FROM cgr.dev/chainguard/node:latest\n'],
  ['scratch', 'FROM scratch\n'],
  ['unknown image', 'FROM nginx:1.27\n'],
  ['other registry', 'FROM ghcr.io/acme/node:22\n'],
  [
    'only a build stage is full',
    'FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\n',
  ],
  ['ARG without default', 'ARG BASE\nFROM $BASE\n'],
  ['digest without tag', `FROM node@sha256:${'a'.repeat(64)}\n`],
  ['openjdk JRE tag', 'FROM openjdk:11-jre\n'],
  ['Windows tag', 'FROM python:3.12-windowsservercore-ltsc2022\n'],
];

describe('DH601 non-minimal-final-base', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH601')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH601')).toEqual([]));

  it.each([
    ['FROM node:20-bookworm\n', 'node:20-slim or node:20-alpine'],
    ['FROM python:3.12\n', 'python:3.12-slim or python:3.12-alpine'],
    ['FROM debian:bookworm\n', 'debian:bookworm-slim'],
    ['FROM debian\n', 'debian:stable-slim'],
    ['FROM node\n', 'node:slim or node:alpine'],
    ['FROM golang:1.22\n', 'distroless/static'],
  ])('suggests the variant for %s', (text, expected) => {
    expect(lint(text, 'DH601')[0]!.message).toContain(expected);
  });

  it('names the stage the chain goes through', () => {
    expect(lint('FROM node:22 AS base\nFROM base\n', 'DH601')[0]!.message).toContain('through stage "base"');
  });

  it('skips development containers', () => {
    expect(linesOf('FROM python:3.12\n', 'DH601', { path: '.devcontainer/Dockerfile' })).toEqual([]);
  });
});
