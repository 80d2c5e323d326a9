import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['two RUNs', 'FROM alpine:3.20\nRUN /foo.sh\nRUN /bar.sh\n', [3]],
  ['comments between RUNs', 'FROM alpine:3.20\nRUN apk update\n# editor\nRUN apk add emacs\n', [4]],
  ['reported once per group, on the second', 'FROM alpine:3.20\nRUN a\nRUN b\nRUN c\nRUN d\n', [3]],
  [
    'same mount flags',
    'FROM alpine:3.20\nRUN --mount=type=secret,id=foo /foo.sh\nRUN --mount=type=secret,id=foo /bar.sh\n',
    [3],
  ],
  [
    'two commands each still count',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n',
    [3],
  ],
  ['two groups', 'FROM alpine:3.20\nRUN a\nRUN b\nWORKDIR /x\nRUN c\nRUN d\n', [3, 6]],
  ['per stage', 'FROM alpine:3.20 AS a\nRUN a\nRUN b\nFROM alpine:3.20\nRUN c\nRUN d\n', [3, 6]],
];

const good: [string, string][] = [
  ['no RUN', 'FROM debian:10\n'],
  ['one RUN', 'FROM debian:10\nRUN /foo.sh\n'],
  ['another instruction between', 'FROM debian:10\nRUN /foo.sh\nWORKDIR /\nRUN /bar.sh\n'],
  ['chained commands', 'FROM debian:10\nRUN /foo.sh \\\n && /bar.sh\n'],
  ['different flags', 'FROM debian:10\nRUN --mount=type=secret,id=foo /foo.sh\nRUN /bar.sh\n'],
  [
    'different mounts',
    'FROM debian:10\nRUN --mount=type=secret,id=foo /foo.sh\nRUN --mount=type=secret,id=bar /bar.sh\n',
  ],
  [
    'a RUN chaining more than two commands is a deliberate split',
    'FROM alpine:3.20\nRUN apk add --no-cache curl tar\nRUN curl -LO https://x/t.tgz && tar -xf t.tgz -C /bin && rm -f t.tgz\n',
  ],
  ['FROM between stages', 'FROM alpine:3.20 AS a\nRUN a\nFROM alpine:3.20\nRUN b\n'],
  ['ONBUILD RUNs', 'FROM alpine:3.20\nONBUILD RUN a\nONBUILD RUN b\n'],
];

describe('DH607 consecutive-run', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH607')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH607')).toEqual([]));

  it('says how many RUNs and where', () => {
    expect(lint('FROM alpine:3.20\nRUN a\nRUN b\nRUN c\n', 'DH607')[0]!.message).toContain(
      '3 consecutive RUN instructions (lines 2–4)',
    );
  });

  it('honours hadolint ignores for DL3059', () => {
    expect(linesOf('FROM alpine:3.20\nRUN a\n# hadolint ignore=DL3059\nRUN b\n', 'DH607')).toEqual([]);
  });
});
