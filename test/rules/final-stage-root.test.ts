import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH201';

describe('DH201 final-stage-root', () => {
  it.each([
    ['FROM node:22\nCMD ["node"]\n', [1]],
    ['FROM node:22\nUSER node\nUSER root\n', [3]],
    ['FROM node:22\nUSER 0:0\n', [2]],
    ['FROM node:22\nUSER root:root\n', [2]],
    ['FROM node:22\nUSER 0\n', [2]],
    ['FROM scratch\nCOPY app /app\n', [1]],
    // USER in a builder stage does not carry into an unrelated final stage
    ['FROM golang:1.23 AS build\nUSER 1000\nFROM alpine:3.20\nCOPY --from=build /app /app\n', [3]],
    // the final stage inherits USER root from its base stage
    ['FROM node:22 AS base\nUSER root\nFROM base\nCMD ["node"]\n', [2]],
    ['FROM gcr.io/distroless/static-debian12\n', [1]],
    ['FROM gcr.io/distroless/static-debian12:nonroot\nUSER root\n', [2]],
    ['FROM cgr.dev/chainguard/python:latest-dev\n', [1]],
    ['FROM mcr.microsoft.com/windows/servercore:ltsc2022\n', [1]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM node:22\nUSER node\n',
    'FROM node:22\nUSER root\nRUN apt-get update\nUSER app\n',
    'FROM node:22\nUSER 10001:10001\n',
    'FROM node:22\nUSER $APP_UID\n',
    'FROM gcr.io/distroless/static-debian12:nonroot\n',
    'FROM gcr.io/distroless/python3-debian12:debug-nonroot\n',
    'FROM cgr.dev/chainguard/static:latest\n',
    'FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled\n',
    'FROM nginxinc/nginx-unprivileged:1.27-alpine\n',
    'FROM registry.access.redhat.com/ubi9/nodejs-20:latest\n',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n',
    // USER inherited through a stage chain
    'FROM node:22 AS base\nUSER node\nFROM base AS app\nFROM app\nCMD ["node"]\n',
    'FROM gcr.io/distroless/base-debian12:nonroot AS run\nFROM run\n',
    // an ARG-driven base without default is not judged
    'ARG BASE\nFROM $BASE\n',
    // USER inside ONBUILD is for child images
    'FROM node:22\nUSER node\nONBUILD USER root\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the user and the base', () => {
    expect(lint('FROM node:22\nUSER root\n', ID)[0]!.message).toContain('`USER root`');
    expect(lint('FROM node:22\n', ID)[0]!.message).toContain('`node:22`');
  });
});
