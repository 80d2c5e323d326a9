// Line continuations as BuildKit reads them (comment and empty lines inside them dropped, the escape
// directive, an escaped escape character ending the line), for every instruction, and the byte ranges
// of references behind or across them: exact enough for `fix` to write the right bytes.
// Fixtures: fixtures/*.Dockerfile.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { Dependency, DependencyUpdate } from '../../src/core/types.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { applyEdits, type Edit } from '../../src/edit/replace.js';
import { manager } from '../../src/managers/dockerfile/index.js';
import { fileFix } from '../../src/plan/apply.js';
import { scanDirectory } from '../../src/scan/scan.js';
import { rangeTexts } from '../reference/dep-rows.js';

const FIXTURES = fileURLToPath(new URL('fixtures/', import.meta.url));
const read = (name: string) => readFileSync(FIXTURES + name, 'utf8');
const digest = (digit: string) => `sha256:${digit.repeat(64)}`;
const U = 'unresolved-variable';

/** `[line, depName, tag, digest, arg?, skipReason?]` */
const rows = (deps: Dependency[]) =>
  deps.map((d) => [d.line, d.depName, d.tag, d.digest, d.arg ?? null, d.skipReason ?? null]);
const instructions = (text: string) =>
  parseDockerfile(text).instructions.map((i) => [i.keyword, i.line, i.endLine, i.args]);

describe('comment and empty lines inside a continuation', () => {
  const text = read('continuation-comments.Dockerfile');

  it('are dropped for every instruction, which goes on with the next line', () => {
    expect(parseDockerfile(text).errors).toEqual([]);
    expect(instructions(text)).toEqual([
      ['ARG', 2, 6, `nginx_version="nginx:1.18.0-alpine@${digest('1')}"`],
      ['ARG', 7, 9, 'ALPINE_VERSION=alpine:3.15.4'],
      ['FROM', 11, 12, '${ALPINE_VERSION} as stage1'],
      ['ARG', 13, 15, 'stage_version=nginx:1.27'],
      ['RUN', 16, 20, 'apk add --no-cache     curl     jq'],
      ['ENV', 21, 23, 'PATH=/opt/bin:$PATH     MODE=prod'],
      ['LABEL', 24, 26, 'org.opencontainers.image.title="demo"   org.opencontainers.image.version="1.0"'],
      ['COPY', 27, 29, 'a.txt /a.txt'],
      ['RUN', 30, 33, '<<EOF'],
      ['FROM', 35, 35, '$nginx_version as stage2'],
      ['FROM', 36, 36, '$stage_version as stage3'],
    ]);
  });

  it('leave heredoc bodies alone', () => {
    const heredoc = parseDockerfile(text).instructions[8]!.heredocs[0]!;
    expect(heredoc.body).toBe('# a heredoc body is read verbatim, this line included \\\necho done\n');
  });

  it('do not hide an ARG default: the FROM using it resolves, with ranges on the ARG line', () => {
    const { deps } = manager.extract(text, 'Dockerfile');
    expect(rows(deps)).toEqual([
      [11, 'docker.io/library/alpine', '3.15.4', null, 'ALPINE_VERSION', null],
      [35, 'docker.io/library/nginx', '1.18.0-alpine', digest('1'), 'nginx_version', null],
      // Declared inside stage1: BuildKit's FROM lines only see ARGs declared before the first FROM.
      [36, '$stage_version', null, null, null, U],
    ]);
    expect(deps.slice(0, 2).map((d) => rangeTexts(text, d))).toEqual([
      { tag: '3.15.4', digest: '' },
      { tag: '1.18.0-alpine', digest: digest('1') },
    ]);
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    expect(deps.slice(0, 2).map((d) => lineOf(d.tagRange!.start))).toEqual([9, 6]);
  });

  it('the same with the backtick escape', () => {
    const backtick = read('continuation-comments-backtick.Dockerfile');
    const df = parseDockerfile(backtick);
    expect(df.errors).toEqual([]);
    expect(df.directives.escape).toBe('`');
    expect(instructions(backtick)).toEqual([
      ['ARG', 2, 6, `nginx_version="nginx:1.18.0-alpine@${digest('2')}"`],
      ['ARG', 7, 9, 'WINDOWS_IMAGE=mcr.microsoft.com/windows/servercore:ltsc2022'],
      ['FROM', 11, 11, '$nginx_version AS linux'],
      ['FROM', 12, 12, '${WINDOWS_IMAGE} AS windows'],
      // Backslashes are plain characters here.
      ['RUN', 13, 15, 'dir C:\\   && echo done'],
      ['WORKDIR', 16, 16, 'C:\\app'],
    ]);
    const { deps } = manager.extract(backtick, 'Dockerfile');
    expect(rows(deps)).toEqual([
      [11, 'docker.io/library/nginx', '1.18.0-alpine', digest('2'), 'nginx_version', null],
      [12, 'mcr.microsoft.com/windows/servercore', 'ltsc2022', null, 'WINDOWS_IMAGE', null],
    ]);
    expect(deps.map((d) => rangeTexts(backtick, d))).toEqual([
      { tag: '1.18.0-alpine', digest: digest('2') },
      { tag: 'ltsc2022', digest: '' },
    ]);
  });
});

describe('blank is what Go calls a space', () => {
  it('U+0085 before `#` still makes a comment line; U+FEFF does not', () => {
    expect(instructions('FROM x\nRUN a \\\n\u0085# note\n b\n').at(-1)).toEqual(['RUN', 2, 4, 'a  b']);
    const bom = parseDockerfile('FROM x\n\uFEFF# note\n');
    expect(bom.comments).toEqual([]);
    expect(bom.errors).toEqual([{ line: 2, message: expect.stringMatching(/^unknown instruction/) }]);
  });
});

describe('a reference split by a continuation', () => {
  const text = read('split-words.Dockerfile');

  it('is read as one word, in ARG, FROM, COPY --from and RUN --mount', () => {
    const { deps } = manager.extract(text, 'Dockerfile');
    expect(rows(deps)).toEqual([
      [5, 'docker.io/library/python', '3.12-slim', digest('3'), 'BASE', null],
      [6, 'docker.io/library/golang', '1.24-alpine', null, null, null],
      [9, 'docker.io/library/node', '22-bookworm', null, null, null],
      [12, 'docker.io/library/busybox', '1.36', null, null, null],
    ]);
  });

  it('has ranges only where the text is one piece of one line, and they hold exactly that text', () => {
    const { deps } = manager.extract(text, 'Dockerfile');
    expect(deps.map((d) => rangeTexts(text, d))).toEqual([
      { digest: digest('3') }, // `3.12` and `-slim` are on two lines: no tag range
      { tag: '1.24-alpine', digest: '' },
      { tag: '22-bookworm', digest: '' },
      { tag: '1.36', digest: '' },
    ]);
  });

  it('an escaped escape character at the end of a line does not continue it', () => {
    expect(instructions(text).slice(-2)).toEqual([
      ['ENV', 16, 16, 'B=trailing\\\\'],
      ['ENV', 17, 17, 'C="not part of B: an escaped escape character does not continue"'],
    ]);
  });
});

describe('fix on these files', () => {
  const files = [
    'continuation-comments.Dockerfile',
    'continuation-comments-backtick.Dockerfile',
    'split-words.Dockerfile',
  ];

  it('writing each reference back through its ranges changes no byte', async () => {
    const { config } = await loadConfig(FIXTURES);
    const scan = await scanDirectory(FIXTURES, config);
    expect(scan.files.map((f) => f.path).sort()).toEqual([...files].sort());
    for (const file of scan.files) {
      const bytes = readFileSync(FIXTURES + file.path);
      const edits: Edit[] = file.deps.flatMap((dep) => [
        ...(dep.tagRange ? [{ range: dep.tagRange, text: dep.tag ?? '' }] : []),
        ...(dep.digestRange ? [{ range: dep.digestRange, text: dep.digest ?? '' }] : []),
      ]);
      expect(applyEdits(bytes, edits).equals(bytes), file.path).toBe(true);
    }
  });

  it('writes the updates into exactly the bytes of the tags and digests, behind and across continuations', async () => {
    const updates: Record<string, DependencyUpdate> = {
      'alpine:3.15.4': { type: 'patch', newValue: '3.15.5', newDigest: digest('a') },
      [`nginx:1.18.0-alpine@${digest('1')}`]: {
        type: 'minor',
        newValue: '1.19.2-alpine',
        newDigest: digest('b'),
      },
      [`nginx:1.18.0-alpine@${digest('2')}`]: { type: 'digest', newValue: null, newDigest: digest('c') },
      'mcr.microsoft.com/windows/servercore:ltsc2022': {
        type: 'pin',
        newValue: null,
        newDigest: digest('d'),
      },
      [`python:3.12-slim@${digest('3')}`]: { type: 'digest', newValue: null, newDigest: digest('e') },
      'golang:1.24-alpine': { type: 'minor', newValue: '1.25-alpine', newDigest: digest('f') },
      'node:22-bookworm': { type: 'major', newValue: '24-bookworm', newDigest: null },
      'busybox:1.36': { type: 'minor', newValue: '1.37', newDigest: null },
    };
    // What `fix` does once the registry answered: the scan's byte ranges, one update per dependency.
    const { config } = await loadConfig(FIXTURES);
    const scan = await scanDirectory(FIXTURES, config, {
      resolve: async (scanned) => {
        for (const dep of scanned.flatMap((f) => f.deps)) {
          const update = updates[dep.value];
          if (update) dep.updates = [update];
        }
      },
    });
    const fixed = (name: string) => {
      const plan = fileFix(
        scan.files.find((f) => f.path === name)!,
        ['major', 'minor', 'patch', 'digest', 'pin'],
      );
      expect(plan.problems).toEqual([]);
      return applyEdits(readFileSync(FIXTURES + name), plan.edits).toString('utf8');
    };
    expect(fixed('continuation-comments.Dockerfile')).toBe(
      read('continuation-comments.Dockerfile')
        .replace('alpine:3.15.4', `alpine:3.15.5@${digest('a')}`)
        .replace(`nginx:1.18.0-alpine@${digest('1')}`, `nginx:1.19.2-alpine@${digest('b')}`),
    );
    expect(fixed('continuation-comments-backtick.Dockerfile')).toBe(
      read('continuation-comments-backtick.Dockerfile')
        .replace(digest('2'), digest('c'))
        .replace('servercore:ltsc2022', `servercore:ltsc2022@${digest('d')}`),
    );
    expect(fixed('split-words.Dockerfile')).toBe(
      read('split-words.Dockerfile')
        .replace(digest('3'), digest('e'))
        .replace('\n1.24-alpine AS build', `\n1.25-alpine@${digest('f')} AS build`)
        .replace('\n22-bookworm ', '\n24-bookworm ')
        .replace('box:1.36 true', 'box:1.37 true'),
    );
  });

  it('a version update of a tag split over two lines is refused, not written somewhere else', () => {
    const text = read('split-words.Dockerfile');
    const python = manager.extract(text, 'Dockerfile').deps[0]!;
    expect(python.tagRange).toBeUndefined();
    python.updates = [{ type: 'minor', newValue: '3.13-slim', newDigest: digest('e') }];
    const fix = fileFix({ path: 'split-words.Dockerfile', manager: 'dockerfile', deps: [python] }, ['minor']);
    expect(fix.edits).toEqual([]);
    expect(fix.problems).toEqual([
      expect.stringMatching(
        /^split-words\.Dockerfile: no place to write the tag of python:3\.12-slim@sha256:3+ \(line 5\)$/,
      ),
    ]);
  });
});
