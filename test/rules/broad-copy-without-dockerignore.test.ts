import { describe, expect, it } from 'vitest';
import { isExcluded, parseDockerignore } from '../../src/rules/broad-copy-without-dockerignore.js';
import { lint, linesOf } from './lint.js';

const ID = 'DH102';
const COPY_ALL = 'FROM node:22\nWORKDIR /app\nCOPY . .\n';

describe('DH102 broad-copy-without-dockerignore', () => {
  it.each([
    [COPY_ALL, null, [3]],
    ['FROM node:22\nCOPY ./ /app/\nADD . /src\n', null, [2, 3]],
    ['FROM node:22\nCOPY --chown=node:node package.json . /app/\n', null, [2]],
    ['FROM node:22\nCOPY [".", "/app"]\n', null, [2]],
    [COPY_ALL, 'node_modules\n', [3]],
    [COPY_ALL, '.git\n', [3]],
    [COPY_ALL, '.env\n.git\n', [3]], // .env.local still copied
    [COPY_ALL, '.git\n.env*\n!.env.production\n', [3]],
    [COPY_ALL, '# .git\n.env*\n', [3]],
  ])('flags %j with .dockerignore %j', (text, dockerignore, lines) => {
    expect(linesOf(text, ID, { dockerignore })).toEqual(lines);
  });

  it.each([
    [COPY_ALL, undefined], // context unknown: skipped
    [COPY_ALL, '.git\n.env*\n'],
    [COPY_ALL, '/.git/\n**/.env*\nnode_modules\n'],
    [COPY_ALL, '*\n!src\n!package.json\n'],
    [COPY_ALL, '.*\n!.npmrc\n'],
    [COPY_ALL, '**\n'],
    ['FROM node:22\nCOPY package.json src/ /app/\n', null],
    ['FROM node:22 AS build\nFROM nginx:1.27\nCOPY --from=build . /usr/share/nginx/html\n', null],
    ['FROM node:22\nCOPY ./src /app/src\n', null],
  ])('accepts %j with .dockerignore %j', (text, dockerignore) => {
    expect(lint(text, ID, dockerignore === undefined ? {} : { dockerignore })).toEqual([]);
  });

  it('names what is not excluded', () => {
    const [finding] = lint(COPY_ALL, ID, { dockerignore: 'node_modules\n' });
    expect(finding!.message).toContain('does not exclude .git and .env*');
    expect(lint(COPY_ALL, ID, { dockerignore: null })[0]!.message).toContain('no .dockerignore');
  });

  it('reads patterns the way Docker does', () => {
    const patterns = parseDockerignore('**/*.log\nbuild/\n!build/keep\ndocs/?.md\n[ab].txt\n');
    expect(isExcluded(patterns, 'x/y/app.log')).toBe(true);
    expect(isExcluded(patterns, 'app.log')).toBe(true);
    expect(isExcluded(patterns, 'build/out.js')).toBe(true);
    expect(isExcluded(patterns, 'build/keep')).toBe(false);
    expect(isExcluded(patterns, 'docs/a.md')).toBe(true);
    expect(isExcluded(patterns, 'docs/ab.md')).toBe(false);
    expect(isExcluded(patterns, 'b.txt')).toBe(true);
    expect(isExcluded(patterns, 'src/app.js')).toBe(false);
  });
});
