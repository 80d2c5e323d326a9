import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH304';

describe('DH304 dist-upgrade', () => {
  it.each([
    ['FROM debian:12\nRUN apt-get update && apt-get dist-upgrade -y\n', [2]],
    ['FROM debian:12\nRUN apt-get -y full-upgrade\n', [2]],
    ['FROM ubuntu:24.04\nRUN apt dist-upgrade\n', [2]],
    ['FROM opensuse/tumbleweed\nRUN zypper --non-interactive dup\n', [2]],
    ['FROM opensuse/tumbleweed\nRUN zypper dist-upgrade -y\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n',
    'FROM debian:12\nRUN apt-get install -y dist-upgrade-helper\n',
    'FROM opensuse/leap:15.6\nRUN zypper update -y\n',
    'FROM debian:12\nRUN echo apt-get dist-upgrade\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });
});
