import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['own name', 'FROM golang:1.23 AS build\nCOPY --from=build /a /b\n', [2]],
  ['own name, other case', 'FROM golang:1.23 AS build\nCOPY --from=BUILD /a /b\n', [2]],
  ['own index', 'FROM golang:1.23\nFROM alpine:3.20\nCOPY --from=1 /a /b\n', [3]],
  ['later index', 'FROM golang:1.23\nCOPY --from=1 /a /b\nFROM alpine:3.20\n', [2]],
  ['index past the end', 'FROM golang:1.23\nFROM alpine:3.20\nCOPY --from=5 /a /b\n', [3]],
  [
    'not a stage nor a valid reference',
    'FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=Build-Stage /a /b\n',
    [3],
  ],
  [
    'typo of a stage name',
    'FROM golang:1.23 AS builder\nFROM alpine:3.20\nCOPY --from=buidler /out/app /app\n',
    [3],
  ],
  [
    'invalid reference through an ARG',
    'ARG S=Tool_Image\nFROM alpine:3.20 AS app\nARG S\nCOPY --from=${S} /a /b\n',
    [4],
  ],
];

const good: [string, string][] = [
  [
    'earlier stage by name',
    'FROM golang:1.23 AS builder\nFROM alpine:3.20\nCOPY --from=builder /out/app /app\n',
  ],
  ['earlier stage by index', 'FROM golang:1.23\nFROM alpine:3.20\nCOPY --from=0 /out/app /app\n'],
  ['an image', 'FROM alpine:3.20\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n'],
  ['a registry image', 'FROM alpine:3.20\nCOPY --from=ghcr.io/org/tool:1 /tool /tool\n'],
  [
    'a later stage by name (BuildKit orders stages)',
    'FROM alpine:3.20 AS a\nCOPY --from=b /x /x\nFROM alpine:3.20 AS b\n',
  ],
  ['ARG without default', 'FROM alpine:3.20\nARG SRC\nCOPY --from=$SRC /x /x\n'],
  ['short names are not judged as typos', 'FROM golang:1.23 AS go\nFROM alpine:3.20\nCOPY --from=gp /x /x\n'],
  [
    'an official image close to no stage',
    'FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=busybox /bin/sh /bin/sh\n',
  ],
];

describe('DH909 copy-from-unknown-or-self', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH909')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH909')).toEqual([]));
  it('suggests the stage a typo was meant to be', () => {
    const text = 'FROM golang:1.23 AS builder\nFROM alpine:3.20\nCOPY --from=buidler /out/app /app\n';
    expect(lint(text, 'DH909')[0]!.message).toContain('did you mean stage "builder"');
  });
});
