import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['local file', 'FROM alpine:3.20\nADD app.jar /app/app.jar\n', [2]],
  ['whole context', 'FROM alpine:3.20\nADD . /app\n', [2]],
  ['with --chown', 'FROM alpine:3.20\nADD --chown=app:app ./src /app/src\n', [2]],
  ['JSON form', 'FROM alpine:3.20\nADD ["config.yml", "/etc/app/"]\n', [2]],
  ['zip is not extracted', 'FROM alpine:3.20\nADD site.zip /srv/\n', [2]],
  ['one local among archives', 'FROM alpine:3.20\nADD rootfs.tar.gz start.sh /\n', [2]],
  ['ONBUILD ADD', 'FROM alpine:3.20\nONBUILD ADD . /app\n', [2]],
];

const good: [string, string][] = [
  ['COPY', 'FROM alpine:3.20\nCOPY . /app\n'],
  ['tar.gz archive', 'FROM scratch\nADD rootfs.tar.gz /\n'],
  [
    'tgz, tar.xz, txz, tar.bz2, zst, plain tar',
    'FROM scratch\nADD a.tgz b.tar.xz c.txz d.tar.bz2 e.tar.zst f.zst g.tar /\n',
  ],
  ['URL (DH504 judges it)', 'FROM alpine:3.20\nADD https://example.com/tool /usr/local/bin/tool\n'],
  ['git repository', 'FROM alpine:3.20\nADD git@github.com:moby/buildkit.git /src\n'],
  ['variable source', 'FROM alpine:3.20\nARG TARBALL\nADD $TARBALL /\n'],
  ['heredoc', 'FROM alpine:3.20\nADD <<EOF /etc/motd\nhello\nEOF\n'],
];

describe('DH903 add-instead-of-copy', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH903')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH903')).toEqual([]));
  it('keeps COPY-compatible flags in the suggestion and drops ADD-only ones', () => {
    const [finding] = lint(
      'FROM alpine:3.20\nADD --chown=app:app --keep-git-dir=true ./src /app/src\n',
      'DH903',
    );
    expect(finding!.message).toContain('use COPY --chown=app:app instead');
    expect(finding!.message).not.toContain('keep-git-dir');
  });
});
