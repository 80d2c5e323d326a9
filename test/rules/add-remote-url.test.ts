import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH504';

describe('DH504 add-remote-url', () => {
  it.each([
    ['FROM alpine:3.20\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n', [2]],
    ['FROM alpine:3.20\nADD --chmod=755 http://example.com/x.sh /x.sh\n', [2]],
    ['FROM alpine:3.20\nADD ["https://example.com/a", "/a"]\n', [2]],
    ['FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#v0.14.0 /src\n', [2]],
    ['FROM alpine:3.20\nADD https://a.example/x https://b.example/y /dst/\n', [2, 2]],
    ['FROM alpine:3.20\nONBUILD ADD https://example.com/x /x\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x /x\n',
    'FROM alpine:3.20\nADD app.tar.gz /app/\n',
    'FROM alpine:3.20\nCOPY https-notes.txt /\n',
    'FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#0123456789abcdef0123456789abcdef01234567 /src\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });
});
