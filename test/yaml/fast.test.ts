import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, test } from 'vitest';
import { readBlockYaml } from '../../src/yaml/fast.js';
import { readFullYaml } from '../../src/yaml/full.js';
import { readYaml } from '../../src/yaml/read.js';
import { at, entry, get, isMap, isScalar, isSeq, text } from '../../src/yaml/tree.js';
import type { YDocument, YNode, YScalar, YSeq } from '../../src/yaml/tree.js';
import { corpus, FIXTURES, listFiles, readCorpus } from '../support/corpus.js';

/** Everything the managers can see of a node, block scalar values and flow contents included. */
function deep(node: YNode | null | undefined): unknown {
  if (node === null || node === undefined) return null;
  switch (node.kind) {
    case 'scalar': {
      const { kind, value, style, start, end, literal, line } = node;
      return { kind, value, style, start, end, literal, line };
    }
    case 'seq':
      return { seq: node.line, flow: !!node.flow, items: node.items.map(deep) };
    case 'map':
      return {
        map: node.line,
        flow: !!node.flow,
        entries: node.entries.map((e) => [e.key, e.line, deep(e.value)]),
      };
  }
}

/** Reads with the fast reader, which must accept the source and agree with the full parser. */
function fast(source: string): YDocument[] {
  const docs = readBlockYaml(source);
  expect(docs, 'the fast reader accepts it').not.toBeNull();
  const full = readFullYaml(source);
  expect(full.errors).toEqual([]);
  expect(docs!.map((d) => deep(d.root))).toEqual(full.documents.map((d) => deep(d.root)));
  return docs!;
}

const root = (source: string) => fast(source)[0]!.root;
const scalar = (node: YNode | null | undefined) => node as YScalar;

describe('fast reader: structure', () => {
  it('maps, nested maps and values with their exact offsets', () => {
    const source = 'a: 1\nb:\n  c: x y\n  d: "q"\n';
    const doc = root(source);
    expect(isMap(doc)).toBe(true);
    expect(text(get(doc, 'a'))).toBe('1');
    expect(text(at(doc, 'b', 'c'))).toBe('x y');
    const d = scalar(at(doc, 'b', 'd'));
    expect([d.style, d.value, source.slice(d.start, d.end), d.line]).toEqual(['double', 'q', 'q', 4]);
    expect(entry(get(doc, 'b'), 'c')?.line).toBe(3);
    expect(entry(doc, 'missing')).toBeUndefined();
  });

  it('sequences at their key column and indented further', () => {
    const doc = root('a:\n- x\n- y\nb:\n  - z\nc: 1\n');
    expect((get(doc, 'a') as { items: YNode[] }).items.map(text)).toEqual(['x', 'y']);
    expect((get(doc, 'b') as { items: YNode[] }).items.map(text)).toEqual(['z']);
    expect(text(get(doc, 'c'))).toBe('1');
  });

  it('`- key: v` compact maps and nested sequences', () => {
    const doc = root('steps:\n  - name: a\n    uses: b\n  - - 1\n    - 2\n  -\n    k: v\n  - \n');
    const steps = get(doc, 'steps');
    expect(isSeq(steps)).toBe(true);
    const items = isSeq(steps) ? steps.items : [];
    expect(text(get(items[0], 'uses'))).toBe('b');
    expect(isSeq(items[1]) && items[1].items.map(text)).toEqual(['1', '2']);
    expect(text(get(items[2], 'k'))).toBe('v');
    expect(items[3]).toBeNull();
  });

  it('empty values are null; a top-level sequence; a lone scalar document', () => {
    expect(get(root('a:\nb: 1\n'), 'a')).toBeNull();
    expect(isSeq(root('- a\n- b: c\n'))).toBe(true);
    expect(text(root('just text\n'))).toBe('just text');
  });

  it("quoted keys and values; `''` and `\\\"` escapes are not literal", () => {
    const source = `"a b": 1\n'c''d': 2\ne: 'it''s'\nf: "say \\"hi\\"\\tnow"\ng: 'plain'\n`;
    const doc = root(source);
    expect(isMap(doc) && doc.entries.map((e) => e.key)).toEqual(['a b', "c'd", 'e', 'f', 'g']);
    expect(scalar(get(doc, 'e'))).toMatchObject({ value: "it's", style: 'single', literal: false });
    expect(scalar(get(doc, 'f'))).toMatchObject({ value: 'say "hi"\tnow', style: 'double', literal: false });
    const g = scalar(get(doc, 'g'));
    expect(g).toMatchObject({ value: 'plain', literal: true });
    expect(source.slice(g.start, g.end)).toBe('plain');
  });

  it('comments, and `#` inside values', () => {
    const source =
      '# head\na: x#y # comment\nb: "#quoted" # c\n  # indented comment\nc: http://h/#frag\nd: e # f: g\n';
    const doc = root(source);
    expect(['a', 'b', 'c', 'd'].map((k) => text(get(doc, k)))).toEqual([
      'x#y',
      '#quoted',
      'http://h/#frag',
      'e',
    ]);
  });

  it('CRLF line endings and a byte-order mark keep offsets exact', () => {
    const source = '\uFEFFa:\r\n  b: "v"\r\n  c: w\r\n';
    const doc = root(source);
    for (const [key, value] of [
      ['b', 'v'],
      ['c', 'w'],
    ] as const) {
      const node = scalar(at(doc, 'a', key));
      expect(source.slice(node.start, node.end)).toBe(value);
    }
    expect(scalar(at(doc, 'a', 'c')).line).toBe(3);
  });

  it('multi-document files, with a leading `---`, `...` and empty documents', () => {
    const docs = fast('---\na: 1\n---\nb: 2\n...\n---\n- c\n');
    expect(docs.map((d) => deep(d.root) !== null)).toEqual([true, true, true]);
    expect(text(get(docs[1]!.root, 'b'))).toBe('2');
    expect(fast('---\n# only a comment\n').map((d) => d.root)).toEqual([null]);
    expect(fast('# only a comment\n')).toEqual([]);
    expect(fast('')).toEqual([]);
  });

  it('one-line flow collections are read into maps and sequences', () => {
    const source = 'a: [x, "y", {k: v, q: [1, 2]}, []]\nb: {c: d, "e": , f: "g h" } # c\nc: [ ]\n';
    const doc = root(source);
    const a = get(doc, 'a');
    expect(isSeq(a) && a.flow).toBe(true);
    expect(text(at(isSeq(a) ? a.items[2] : null, 'k'))).toBe('v');
    expect(text(at(doc, 'b', 'f'))).toBe('g h');
    expect(at(doc, 'b', 'e')).toBeNull();
  });
});

describe('fast reader: block scalars', () => {
  it('bodies are skipped as structure; values follow literal/folded style and chomping', () => {
    const source = [
      'a: |',
      '  line 1',
      '    more: not a key',
      '',
      '  line 3',
      'b: >-',
      '  folded',
      '  text',
      '',
      '  para',
      'c: |+',
      '  keep',
      '',
      'd: >',
      '  x',
      '    spaced',
      '  y',
      'e: |-',
      '',
      '- not an item: either',
      '',
    ].join('\n');
    // `e`'s body holds a line at column 0 ending it: that line is a parse error, so cut it.
    const doc = root(source.slice(0, source.indexOf('- not')));
    expect(text(get(doc, 'a'))).toBe('line 1\n  more: not a key\n\nline 3\n');
    expect(text(get(doc, 'b'))).toBe('folded text\npara');
    expect(text(get(doc, 'c'))).toBe('keep\n\n');
    expect(text(get(doc, 'd'))).toBe('x\n  spaced\ny\n');
    expect(text(get(doc, 'e'))).toBe('');
    expect(scalar(get(doc, 'a'))).toMatchObject({ style: 'block', literal: false, line: 1 });
  });

  it('headers with indicators and comments; sequence items; CRLF', () => {
    const doc = root('k:\n  - |-  # c\n    one\n  - >+\n    two\n\n  - x\nl: |\r\n  crlf\r\n');
    const items = isSeq(get(doc, 'k')) ? (get(doc, 'k') as { items: YNode[] }).items : [];
    expect(items.map(text)).toEqual(['one', 'two\n\n', 'x']);
    expect(text(get(doc, 'l'))).toBe('crlf\n');
  });

  // Every combination of style, chomping and body shape agrees with the yaml library.
  const bodies = [
    ['a'],
    ['a', 'b'],
    ['a', '', 'b'],
    ['a', '', '', 'b', ''],
    ['', 'a'],
    ['a', '  b', 'c'],
    ['a', '  b', '', 'c'],
    ['a', '', '  b', '', 'c'],
    ['a', '', ''],
    ['a', '   '],
    ['a #', '# not a comment'],
    [],
    [''],
  ];
  const cases = ['|', '>']
    .flatMap((style) => ['', '-', '+'].map((chomp) => style + chomp))
    .flatMap((header) => bodies.map((body) => [header, body] as const));
  test.each(cases)('%s %j', (header, body) => {
    for (const lead of ['key: ', '- ']) {
      const lines = body.map((l) => (l === '' ? '' : `    ${l}`));
      const source = `${lead === '- ' ? '' : 'top:\n'}  ${lead}${header}\n${lines.join('\n')}${lines.length ? '\n' : ''}  ${lead === '- ' ? '- ' : 'next: '}1\n`;
      fast(source);
    }
  });
});

describe('fast reader: quoted scalars over several lines', () => {
  it.each([
    [
      'single-quoted, folded into spaces',
      'cmd:\n  - \'curl -fsS -H "A: b"\n    http://localhost/v1/health\'\nnext: 1\n',
    ],
    ['double-quoted without escapes', 'a: "one\n  two   \n  three"\nb: 2\n'],
    ['empty lines become line breaks', "a: 'x\n\n\n  y'\n"],
    ["'' escapes and a trailing comment", "a: 'it''s\n  fine' # ok\nb: c\n"],
  ])('%s', (_name, source) => {
    fast(source);
  });

  it('lines after it keep their numbers', () => {
    const doc = root("a: 'x\n  y\n  z'\nb: 1\n");
    expect(text(get(doc, 'a'))).toBe('x y z');
    expect(entry(doc, 'b')?.line).toBe(4);
  });
});

describe('fast reader: flow collections over several lines', () => {
  it.each([
    ['items on their own lines', 'a: [1,\n  2]\nb: 3\n'],
    [
      'a closing bracket at the key column',
      'svc:\n  command: [\n    "mysqld",\n    "--x"\n  ]\n  image: mysql:8\n',
    ],
    ['a flow value on the line after its key', 'test:\n  [\n    "CMD",\n    "true",\n  ]\nnext: 1\n'],
    ['comments and blank lines inside', 'a: [\n  x, # first\n\n  # alone\n  y\n]\nb: 2\n'],
    ['maps in a multi-line sequence', 'db: [\n  { image: "redis", version: "7" },\n  { image: valkey }\n]\n'],
  ])('%s', (_name, source) => {
    fast(source);
  });

  it('lines after a multi-line flow keep their numbers', () => {
    const doc = root('a: [\n  1,\n  2\n]\nb: x\n');
    expect(entry(doc, 'b')?.line).toBe(5);
    expect(scalar((get(doc, 'a') as YSeq).items[1]).line).toBe(3);
  });
});

describe('fast reader: anchors, aliases and merge keys resolve as in the full parser', () => {
  it.each([
    ['a scalar anchor and its alias', 'a: &x 1\nb: *x\n'],
    ['an anchored map', 'a: &x\n  b: 1\nc: *x\n'],
    [
      'an anchor on its own line (compose x- blocks)',
      'x-common:\n  &common\n  image: redis:7\ns:\n  web: *common\n',
    ],
    ['a merge key', 'base: &b\n  image: redis:7\n  restart: always\nweb:\n  <<: *b\n  restart: "no"\n'],
    ['several merge sources, earlier wins', 'a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n'],
    ['a merge of a map that merges', 'a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n'],
    ['anchors in sequences and flows', 'l:\n  - &i one\n  - *i\nm: { p: &q 2, r: 3 }\nn: [*q]\n'],
    ['anchors are per document', 'a: &x 1\n---\na: &x 2\nb: *x\n'],
  ])('%s', (_name, source) => {
    fast(source);
  });

  it('an alias shares the anchored node', () => {
    const doc = root('a: &x\n  image: redis:7\nb: *x\n');
    expect(get(doc, 'b')).toBe(get(doc, 'a'));
  });
});

describe('fast reader: falls back (returns null) on YAML it leaves to the full parser', () => {
  it.each([
    ['an alias without its anchor', 'a: 1\nb: *x\n'],
    ['an anchored key', '&k a: 1\n'],
    ['an anchor on a compact map in a sequence', '- &x a: 1\n'],
    ['a merge of an inline map', 'a:\n  <<: {b: 1}\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a local tag', 'a: !custom x\n'],
    ['a tab in indentation', 'a:\n\tb: 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a flow continuation line not indented past its key', 'a:\n  b: [\n  1]\n'],
    ['a multi-line quoted scalar in a flow', 'a: ["x\n  y"]\n'],
    ['a multi-line quoted scalar not indented past its key', 'a:\n  b: "x\n  y"\n'],
    ['a multi-line double-quoted scalar with escapes', 'a: "x\\n\n  y"\n'],
    ['an unclosed multi-line quoted scalar', "a: 'x\n  y\n"],
    ['an unclosed flow collection', 'a: [1,\n  2\n'],
    ['a complex key', '? a\n: b\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['an explicit block indentation indicator', 'a: |2\n   x\n'],
    ['a block body line less indented than the first', 'a: |\n    x\n  y\n'],
    ['flow pairs in a sequence', 'a: [b: c]\n'],
    ['a flow map key without value', 'a: {b, c}\n'],
    ['a key after a value on the same line', 'a: b: c\n'],
  ])('%s', (_name, source) => {
    expect(readBlockYaml(source)).toBeNull();
    // readYaml still reads it, through the full parser.
    expect(readYaml(source).documents.length).toBeGreaterThan(0);
  });

  it('readYaml takes the fast path when it can, with no errors', () => {
    expect(readYaml('a: 1\n')).toEqual({
      documents: [{ root: readBlockYaml('a: 1\n')![0]!.root }],
      errors: [],
    });
    const merged = readYaml('x: &x\n  image: a\ny:\n  <<: *x\n  tag: 1\n').documents[0]!.root;
    expect(text(at(merged, 'y', 'image'))).toBe('a');
    expect(get(merged, 'x')).not.toBe(get(merged, 'y'));
    expect(isScalar(at(merged, 'y', 'image')) && at(merged, 'y', 'image') === at(merged, 'x', 'image')).toBe(
      true,
    );
  });

  it('full parser: an alias to no earlier anchor leaves its key out', () => {
    const doc = readYaml('a:\n  image: *img\n  b: 1\nc:\n  image: &img x\n').documents[0]!.root;
    expect(entry(get(doc, 'a'), 'image')).toBeUndefined();
    expect(text(at(doc, 'a', 'b'))).toBe('1');
    expect(text(at(doc, 'c', 'image'))).toBe('x');
  });
});

// The project's YAML files: test/yaml/fixtures holds every construct the fast reader accepts (the table
// below checks that it does), and test/fixtures the files the manager tests read. Each must be accepted
// and read exactly as the full parser reads it, block scalar values and flow contents included.
const YAML_FIXTURES = fileURLToPath(new URL('fixtures/', import.meta.url));
const yamlFixtures = listFiles(YAML_FIXTURES).filter((name) => /\.ya?ml$/i.test(name));

describe('fast reader on the project YAML fixtures, compared in depth with the full parser', () => {
  it.each(yamlFixtures)('%s', (name) => {
    fast(readFileSync(YAML_FIXTURES + name, 'utf8'));
  });

  const texts = yamlFixtures.map((name) => readFileSync(YAML_FIXTURES + name, 'utf8'));
  it.each([
    // Structure
    ['a block sequence at its key column', /^( *)[\w-]+:\n\1- /m],
    ['a block sequence indented under its key', /^( *)[\w-]+:\n\1 +- /m],
    ['a compact map in a sequence item', /^ *- [\w-]+: /m],
    ['a sequence item whose map starts on the next line', /^( *)-\n\1 +[\w-]+: /m],
    ['an empty sequence item', /^ *- $/m],
    ['a nested sequence', /^ *- - /m],
    ['an empty value', /^( *)[\w-]+:\n(?!\1[ -])/m],
    ['a top-level sequence', /^- /],
    ['a document that is a lone scalar', /\n---\n[^-#\s][^:\n]*\n/],
    // Scalars and comments
    ['a double-quoted key', /^ *"[^"\n]+":/m],
    ["a single-quoted key with ''", /^ *'[^'\n]*''[^'\n]*':/m],
    ['double-quoted escapes', /: "[^"\n]*\\["tu][^"\n]*"/],
    ["'' in a single-quoted value", /: '[^'\n]*''[^'\n]*'/],
    ['a trailing comment', /\S +# /],
    ['`#` inside a plain value', /: [^\s#'"]+#\w/],
    ['an indented comment line', /^ +#/m],
    ['a tab before a comment', /^\t+#/m],
    ['CRLF line endings', /\r\n/],
    ['a byte-order mark', /^\uFEFF/],
    // Documents
    ['a document marker', /^---$/m],
    ['a document marker with a comment', /^--- +#/m],
    ['a document end marker', /^\.\.\.$/m],
    ['a document holding only a comment', /^---\n#[^\n]*\n---/m],
    // Flow collections
    ['a one-line flow sequence', /: \[[^\]\n]+\]/],
    ['a one-line flow map', /: \{[^}\n]+\}/],
    ['nested flow collections', /\{[^}\n]*[{[]/],
    ['empty flow collections', /: \[\][\s\S]*: \{\}|: \{\}[\s\S]*: \[\]/],
    ['a trailing comma in a flow', /, *\]/],
    ['a flow map as a sequence item', /^ *- \{/m],
    ['a multi-line flow closed at its key column', /^( +)[\w-]+: \[\n(?:.*\n)*?\1\]/m],
    ['a flow value on the line after its key', /:\n +\[/],
    ['blank lines and comments inside a flow', /\[[^\]]*\n *\n[^\]]*#[^\]]*\]/],
    // Block scalars
    ...['|', '|-', '|+', '>', '>-', '>+'].map(
      (header) =>
        [`a ${header} block scalar`, new RegExp(`: ${header.replace(/[|+]/g, '\\$&')}\\r?\\n`)] as [
          string,
          RegExp,
        ],
    ),
    ['a block scalar with an empty body', /: [|>][+-]?\n(?=\S)/],
    ['a block scalar body that looks like keys and comments', /: \|\n( +)[\w.]+: .*\n(?:.*\n)*?\1# /],
    ['more-indented lines in a folded scalar', /: >\n( +)\S.*\n(?:\1\S.*\n)*\1 +\S/],
    // Quoted scalars over several lines
    ['a single-quoted scalar over several lines', /: '[^'\n]*\n/],
    ['a double-quoted scalar over several lines', /: "[^"\n]*\n/],
    ['empty lines in a multi-line quoted scalar', /: "[^"]*\n *\n[^"]*"/],
    // Anchors, aliases and merge keys
    ['an anchored scalar', /: &[\w-]+ [^\s{[]/],
    ['an anchored map', /: &[\w-]+\n/],
    ['an anchor on its own line', /:\n +&[\w-]+\n/],
    ['an anchored sequence item', /^ *- &[\w-]+ /m],
    ['an anchor inside a flow', /\{[^}\n]*&[\w-]+/],
    ['an alias as a value', /: \*[\w-]+$/m],
    ['an alias as a sequence item', /^ *- \*[\w-]+$/m],
    ['an alias inside a flow', /\[\*[\w-]+/],
    ['a merge key', /<<: \*/],
    ['a merge of several maps', /<<: \[\*/],
    ['an anchored map that merges', /&[\w-]+\n +<<: /],
    ['an anchor defined again in a later document', /&([\w-]+)[\s\S]*\n---[\s\S]*&\1\b/],
  ] as [string, RegExp][])('the set holds %s', (_name, pattern) => {
    expect(texts.some((text) => pattern.test(text))).toBe(true);
  });
});

describe('fast reader on the manager fixtures (test/fixtures), compared in depth with the full parser', () => {
  const files = listFiles(FIXTURES).filter((path) => /\.ya?ml$/i.test(path));
  it.each(files)('%s', (path) => {
    fast(readFileSync(FIXTURES + path, 'utf8'));
  });
});

// The real-world corpus (DOCKHAND_CORPUS, see test/support/corpus.ts; skipped without it).
const corpusYaml = corpus ? listFiles(corpus).filter((path) => /\.ya?ml$/i.test(path)) : [];

describe.skipIf(!corpus)('fast reader on the corpus, compared in depth with the full parser', () => {
  it('accepts most of the corpus', () => {
    const accepted = corpusYaml.filter((path) => readBlockYaml(readCorpus(path)) !== null);
    expect(accepted.length / corpusYaml.length).toBeGreaterThan(0.85);
  });

  it.each(corpusYaml)('%s', (path) => {
    const source = readCorpus(path);
    if (readBlockYaml(source)) fast(source);
  });
});
