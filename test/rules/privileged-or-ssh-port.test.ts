import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH203';

describe('DH203 privileged-or-ssh-port', () => {
  it.each([
    ['FROM ubuntu:24.04\nEXPOSE 22\n', [2]],
    ['FROM ubuntu:24.04\nEXPOSE 22/tcp 8080\n', [2]],
    ['FROM node:22\nUSER node\nEXPOSE 80\n', [3]],
    ['FROM node:22\nUSER 1000\nEXPOSE 443/tcp 8443\n', [3]],
    ['FROM gcr.io/distroless/static:nonroot\nEXPOSE 80\n', [2]],
    ['FROM node:22\nEXPOSE 70000\n', [2]],
    ['FROM node:22 AS base\nEXPOSE 22\nFROM base\n', [2]],
    ['FROM node:22\nUSER node\nEXPOSE 22 80\n', [3, 3]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM nginx:1.27\nEXPOSE 80 443\n', // root image may bind low ports
    'FROM node:22\nUSER node\nEXPOSE 3000\n',
    'FROM node:22\nUSER node\nEXPOSE 8000-8010\n',
    'FROM node:22\nUSER node\nEXPOSE $PORT\n',
    'FROM node:22\nUSER $APP_USER\nEXPOSE 80\n', // user unknown
    'FROM node:22\nEXPOSE 65535 0\n',
    'FROM ubuntu:24.04 AS build\nEXPOSE 22\nFROM alpine:3.20\nEXPOSE 8080\n', // builder stage EXPOSE is not in the image
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the port', () => {
    expect(lint('FROM node:22\nUSER node\nEXPOSE 80\n', ID)[0]!.message).toMatch(/Port 80 .*8080/);
  });
});
