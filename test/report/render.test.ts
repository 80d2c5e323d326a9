import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField } from '../../src/report/render/csv.js';
import { escapeHtml } from '../../src/report/render/html.js';
import { runCli } from '../support/cli.js';

const XSS_FILE = 'Dockerfile.<img src=x onerror=alert(1)>';
const XSS_IMAGE = '<script>alert(1)<\\script>';
const REPO = '"><svg onload=alert(2)>';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dockhand-report-render-'));
  await mkdir(join(root, REPO));
  await writeFile(join(root, REPO, XSS_FILE), `FROM ${XSS_IMAGE}\nFROM alpine:3.20 AS "x'&y"\n`);
  await writeFile(
    join(root, REPO, 'compose.yml'),
    'services:\n  a:\n    image: "=HYPERLINK(\\"http://evil\\")"\n  b:\n    image: "@SUM(1+1)"\n  c:\n    image: "+1"\n  d:\n    image: "-2,\\"x\\"\\nnext"\n',
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('CSV fields', () => {
  it('quotes per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
    expect(csvField(false)).toBe('false');
  });

  it('defuses formulas: cells starting with = + - @ (or tab, CR) get a quote mark', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvField('a=1')).toBe('a=1');
  });

  it('a report over hostile names: every cell defused and quoted', async () => {
    const run = await runCli(['report', REPO, '--format', 'csv'], { cwd: root });
    expect(run.stderr).toBe('');
    const rows = run.stdout.split('\r\n');
    const images = rows.filter((r) => r.startsWith('image,'));
    expect(images.some((r) => r.includes(`,"'=HYPERLINK(""http://evil"")",`))).toBe(true);
    expect(images.some((r) => r.includes(",'@SUM(1+1),"))).toBe(true);
    expect(images.some((r) => r.includes(",'+1,"))).toBe(true);
    // A line break inside a quoted field stays inside it.
    expect(run.stdout).toContain(`"'-2,""x""\nnext"`);
    // The repository column starts with a quote character: quoted, not a formula.
    expect(images[0]!.startsWith(`image,"""><svg onload=alert(2)>",`)).toBe(true);
  });
});

describe('HTML', () => {
  it('escapes & < > " and quotes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });

  it('one self-contained file: no script, no external URL, repository text escaped', async () => {
    const out = join(root, 'report.html');
    const run = await runCli(['report', REPO, '--output', out], { cwd: root });
    expect(run.stderr).toBe('');
    const html = await readFile(out, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<svg/i);
    expect(html).not.toMatch(/<[^>]*\son(error|load)=/i);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(|@import/);
    // The Dockerfile escape character drops the backslash: the image is `<script>alert(1)<script>`.
    expect(html).toContain('<code>&#60;script&#62;alert(1)&#60;script&#62;</code>');
    expect(html).toContain('Dockerfile.&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('&#34;&#62;&#60;svg onload=alert(2)&#62;');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    // Every tag in the file is one the renderer writes.
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[1]!.toLowerCase()));
    for (const tag of tags)
      expect([
        'html',
        'head',
        'meta',
        'title',
        'style',
        'body',
        'header',
        'h1',
        'h2',
        'p',
        'div',
        'table',
        'thead',
        'tbody',
        'tr',
        'th',
        'td',
        'code',
        'span',
        'br',
        'a',
        'details',
        'summary',
        'ul',
        'li',
      ]).toContain(tag);
  });
});
