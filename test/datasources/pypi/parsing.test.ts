import { describe, expect, it } from 'vitest';
import { fileVersion, isProjectName, normaliseName } from '../../../src/datasources/pypi/names.js';
import { groupFiles, toRelease } from '../../../src/datasources/pypi/releases.js';
import { parseSimpleHtml, unescapeHtml } from '../../../src/datasources/pypi/simple-html.js';
import { parseSimpleJson } from '../../../src/datasources/pypi/simple-json.js';
import type { DistributionFile } from '../../../src/datasources/pypi/types.js';

const PAGE = new URL('https://index.example/simple/foo/');

describe('names', () => {
  it.each([
    ['Foo.Bar_baz', 'foo-bar-baz'],
    ['requests', 'requests'],
    ['zope--interface', 'zope-interface'],
    ['A_.-b', 'a-b'],
  ])('normalises %s to %s', (name, expected) => {
    expect(normaliseName(name)).toBe(expected);
  });

  it.each([
    ['requests', true],
    ['Foo.Bar_baz', true],
    ['../etc', false],
    ['a/b', false],
    ['-lead', false],
    ['', false],
  ])('isProjectName(%j) is %s', (name, expected) => {
    expect(isProjectName(name)).toBe(expected);
  });

  it.each([
    ['foo_bar-1.2.0-py3-none-any.whl', 'foo-bar', { version: '1.2.0', sdist: false }],
    [
      'Foo_Bar-1.2.0-1build-cp311-cp311-manylinux_2_17_x86_64.whl',
      'foo-bar',
      { version: '1.2.0', sdist: false },
    ],
    ['foo-bar-1.2.0rc1.tar.gz', 'foo-bar', { version: '1.2.0rc1', sdist: true }],
    ['Foo.Bar-1.0.0RC1.zip', 'foo-bar', { version: '1.0.0RC1', sdist: true }],
    ['foo-bar-1.2.0.tar.gz', 'foo', null], // another project's file
    ['other-1.0-py3-none-any.whl', 'foo-bar', null],
    ['foo_bar-1.0-py2.7.egg', 'foo-bar', null],
    ['foo_bar-notaversion-py3-none-any.whl', 'foo-bar', null],
    [`${'a-'.repeat(200)}1.0.tar.gz`, 'a', null],
  ])('reads %s of %s', (filename, project, expected) => {
    expect(fileVersion(filename, project)).toEqual(expected);
  });
});

describe('PEP 691 JSON', () => {
  it('reads files, hashes, requires-python, yanked (boolean or reason) and upload-time', () => {
    const page = parseSimpleJson(
      JSON.stringify({
        meta: { 'api-version': '1.1' },
        name: 'foo',
        versions: ['1.0'],
        files: [
          {
            filename: 'foo-1.0.tar.gz',
            url: '../../files/foo-1.0.tar.gz#frag',
            hashes: { sha256: 'ABCDEF01' },
            'requires-python': '>=3.8',
            yanked: 'broken',
            'upload-time': '2024-01-02T03:04:05.000000Z',
          },
          {
            filename: 'foo-1.0-py3-none-any.whl',
            url: 'https://files.example/foo.whl',
            hashes: {},
            yanked: false,
          },
          { filename: 'foo-1.0-py3-none-any.whl', hashes: {} }, // no URL: skipped
          'junk',
        ],
      }),
      PAGE,
    );
    expect(page.versions).toEqual(['1.0']);
    expect(page.files).toEqual([
      {
        filename: 'foo-1.0.tar.gz',
        url: 'https://index.example/files/foo-1.0.tar.gz',
        hashes: { sha256: 'abcdef01' },
        requiresPython: '>=3.8',
        yanked: true,
        yankedReason: 'broken',
        uploadTime: '2024-01-02T03:04:05.000000Z',
      },
      {
        filename: 'foo-1.0-py3-none-any.whl',
        url: 'https://files.example/foo.whl',
        hashes: {},
        yanked: false,
      },
    ]);
  });

  it.each([
    ['{"meta": ', 'not valid JSON'],
    ['[]', 'not a JSON object'],
    ['{"meta": {"api-version": "2.0"}, "files": []}', 'unsupported simple API version'],
    ['{"files": []}', 'unsupported simple API version'],
    ['{"meta": {"api-version": "1.0"}, "files": {}}', 'no files list'],
  ])('refuses %s', (text, message) => {
    expect(() => parseSimpleJson(text, PAGE)).toThrow(message);
  });
});

describe('PEP 503 HTML', () => {
  it('reads anchors: hash fragments, unescaped data-requires-python, data-yanked with or without reason', () => {
    const html = `<!DOCTYPE html><html><body><!-- <a href="commented-1.0.tar.gz">x</a> -->
      <a href="../../files/foo-1.0.tar.gz#sha256=ABC123" data-requires-python="&gt;=3.8,&lt;4">foo-1.0.tar.gz</a><br/>
      <A HREF='https://cdn.example/foo-1.1-py3-none-any.whl#sha256=def' data-yanked>foo-1.1-py3-none-any.whl</A>
      <a href=/files/foo-1.2.tar.gz data-yanked="bad &amp; broken" data-requires-python="&#62;=3.9"></a>
      <a name="no-href">nothing</a>
    </body></html>`;
    expect(parseSimpleHtml(html, PAGE).files).toEqual([
      {
        filename: 'foo-1.0.tar.gz',
        url: 'https://index.example/files/foo-1.0.tar.gz',
        hashes: { sha256: 'abc123' },
        yanked: false,
        requiresPython: '>=3.8,<4',
      },
      {
        filename: 'foo-1.1-py3-none-any.whl',
        url: 'https://cdn.example/foo-1.1-py3-none-any.whl',
        hashes: { sha256: 'def' },
        yanked: true,
      },
      {
        filename: 'foo-1.2.tar.gz', // from the URL: the anchor has no text
        url: 'https://index.example/files/foo-1.2.tar.gz',
        hashes: {},
        yanked: true,
        yankedReason: 'bad & broken',
        requiresPython: '>=3.9',
      },
    ]);
  });

  it('reads the anchors before 100k unclosed `<a ` tags and nothing after them', () => {
    const good = '<a href="/f/foo-1.0.tar.gz#sha256=aa">foo-1.0.tar.gz</a>';
    const html = `${good}${'<a '.repeat(100_000)}`;
    expect(parseSimpleHtml(html, PAGE).files.map((f) => f.filename)).toEqual(['foo-1.0.tar.gz']);
    const quotes = `${good}${'<a href="x'.repeat(50_000)}`;
    expect(parseSimpleHtml(quotes, PAGE).files.map((f) => f.filename)).toEqual(['foo-1.0.tar.gz']);
    const nested = `${'<a <a href="/g/foo-2.0.tar.gz"'.repeat(30_000)}>foo-2.0.tar.gz</a>`;
    expect(parseSimpleHtml(nested, PAGE).files).toHaveLength(1);
    expect(parseSimpleHtml(`${'<!--'.repeat(50_000)}${good}`, PAGE).files).toEqual([]);
  });

  it('reads pages of repository version 1.x (PEP 629) and refuses other majors', () => {
    const page = (version: string) =>
      `<html><head><META name="pypi:repository-version" content="${version}"><meta charset="utf-8"></head>` +
      '<a href="/f/foo-1.0.tar.gz">foo-1.0.tar.gz</a>';
    expect(parseSimpleHtml(page('1.1'), PAGE).files).toHaveLength(1);
    expect(() => parseSimpleHtml(page('2.0'), PAGE)).toThrow('unsupported simple API version "2.0"');
  });

  it('unescapes character references and leaves unknown ones', () => {
    expect(unescapeHtml('&gt;=3.8&#44;&#x3C;4 &bogus; &#0; &amp;')).toBe('>=3.8,<4 &bogus; &#0; &');
  });
});

describe('releases', () => {
  const file = (filename: string, extra: Partial<DistributionFile> = {}): DistributionFile => ({
    filename,
    url: `https://x/${filename}`,
    hashes: {},
    yanked: false,
    ...extra,
  });

  it('groups spellings of one version, marks a release yanked only when every file is', () => {
    const groups = groupFiles(
      {
        files: [
          file('foo-2.0.tar.gz', { yanked: true }),
          file('foo-2.0-py3-none-any.whl'),
          file('foo-1.0.0RC1.tar.gz', { yanked: true }),
          file('foo-1.0.0rc1-py3-none-any.whl', { yanked: true }),
          file('foo-1.0-py3-none-any.whl'),
          file('foo-1.0.0.zip'),
          file('bar-9.0.tar.gz'),
        ],
      },
      'foo',
    );
    expect(groups.map((g) => [g.version, g.files.length])).toEqual([
      ['1.0.0RC1', 2],
      ['1.0', 2],
      ['2.0', 2],
    ]);
    expect(groups.map(toRelease)).toEqual([
      { version: '1.0.0RC1', isYanked: true },
      { version: '1.0' },
      { version: '2.0' },
    ]);
  });

  it('spells versions as PEP 700 `versions` does', () => {
    const groups = groupFiles({ files: [file('foo-1.0.0RC1.tar.gz')], versions: ['1.0.0rc1'] }, 'foo');
    expect(groups.map((g) => g.version)).toEqual(['1.0.0rc1']);
  });

  it.each([
    [
      'all agree',
      [
        ['foo-1.0.tar.gz', '>=3.8'],
        ['foo-1.0-py3-none-any.whl', '>=3.8'],
      ],
      '>=3.8',
    ],
    [
      'the sdist wins a disagreement',
      [
        ['foo-1.0-cp312-cp312-any.whl', '>=3.12'],
        ['foo-1.0.tar.gz', '>=3.8'],
      ],
      '>=3.8',
    ],
    [
      'an sdist without one wins too',
      [
        ['foo-1.0-py3-none-any.whl', '>=3.8'],
        ['foo-1.0.tar.gz', undefined],
      ],
      undefined,
    ],
    [
      'else the most common',
      [
        ['foo-1.0-cp39-none-any.whl', '>=3.9'],
        ['foo-1.0-cp38-none-any.whl', '>=3.8'],
        ['foo-1.0-cp310-none-any.whl', '>=3.8'],
      ],
      '>=3.8',
    ],
  ] as const)('requires-python: %s', (_, files, expected) => {
    const [group] = groupFiles(
      { files: files.map(([name, rp]) => file(name, rp === undefined ? {} : { requiresPython: rp })) },
      'foo',
    );
    expect(toRelease(group!).constraints?.python).toBe(expected);
  });

  it('ignores yanked files for requires-python and takes the earliest upload time', () => {
    const [group] = groupFiles(
      {
        files: [
          file('foo-1.0.tar.gz', {
            requiresPython: '>=2.7',
            yanked: true,
            uploadTime: '2020-01-01T00:00:00Z',
          }),
          file('foo-1.0-py3-none-any.whl', {
            requiresPython: '>=3.8',
            uploadTime: '2024-05-01T10:00:00.123456Z',
          }),
          file('foo-1.0-py2-none-any.whl', { requiresPython: '>=3.8', uploadTime: '2024-05-01T09:00:00Z' }),
        ],
      },
      'foo',
    );
    expect(toRelease(group!)).toEqual({
      version: '1.0',
      releaseTimestamp: '2024-05-01T09:00:00.000Z',
      constraints: { python: '>=3.8' },
    });
  });
});
