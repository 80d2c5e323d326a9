import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

describe('DH910 maintainer-deprecated', () => {
  it.each([
    ['MAINTAINER', 'FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n', [2]],
    ['quoted', 'FROM alpine:3.20\nMAINTAINER "jane@example.com"\n', [2]],
    ['in every stage', 'FROM alpine:3.20 AS a\nMAINTAINER a\nFROM alpine:3.20\nMAINTAINER b\n', [2, 4]],
  ] as [string, string, number[]][])('flags: %s', (_name, text, lines) =>
    expect(linesOf(text, 'DH910')).toEqual(lines),
  );

  it.each([
    [
      'the OCI label',
      'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n',
    ],
    ['a maintainer label', 'FROM alpine:3.20\nLABEL maintainer="jane@example.com"\n'],
  ])('accepts: %s', (_name, text) => expect(linesOf(text, 'DH910')).toEqual([]));

  it('writes the replacement label', () => {
    expect(lint('FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n', 'DH910')[0]!.message).toContain(
      'LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"',
    );
  });
});
