import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH505';

describe('DH505 content-trust-obsolete', () => {
  it.each([
    ['FROM docker:27\nENV DOCKER_CONTENT_TRUST=1\n', [2]],
    ['FROM docker:27\nENV DOCKER_CONTENT_TRUST 1\n', [2]],
    ['FROM docker:27\nARG DOCKER_CONTENT_TRUST=true\n', [2]],
    ['FROM docker:27\nRUN DOCKER_CONTENT_TRUST=1 docker pull alpine:3.20\n', [2]],
    ['FROM docker:27\nRUN export DOCKER_CONTENT_TRUST=1 && docker pull x\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM docker:27\nENV DOCKER_CONTENT_TRUST=0\n',
    'FROM docker:27\nENV DOCKER_BUILDKIT=1\n',
    'FROM docker:27\nRUN echo DOCKER_CONTENT_TRUST\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });
});
