import { describe, expect, test } from 'vitest';
import { parseDockerfile } from '../../src/dockerfile/parse.js';

const keywords = (text: string) => parseDockerfile(text).instructions.map((i) => i.keyword);

describe('parser directives', () => {
  test('are read only at the top, case-insensitively, with spaces around =', () => {
    const df = parseDockerfile('# syntax = docker/dockerfile:1.7\n#ESCAPE=`\n# check=skip=all\nFROM x\n');
    expect(df.directives.syntax?.value).toBe('docker/dockerfile:1.7');
    expect(df.directives.escape).toBe('`');
    expect(df.directives.check?.value).toBe('skip=all');
    const { valueStart, valueEnd } = df.directives.syntax!;
    expect(df.text.slice(valueStart, valueEnd)).toBe('docker/dockerfile:1.7');
  });

  test('after a comment, blank line or instruction they are plain comments', () => {
    expect(parseDockerfile('# hello\n# escape=`\nFROM x\n').directives.escape).toBe('\\');
    expect(parseDockerfile('\n# escape=`\nFROM x\n').directives.escape).toBe('\\');
    expect(parseDockerfile('FROM x\n# syntax=foo\n').directives.syntax).toBeUndefined();
  });

  test('a byte-order mark before the first directive is ignored', () => {
    expect(parseDockerfile('\uFEFF# escape=`\nFROM x\n').directives.escape).toBe('`');
  });

  test('an invalid escape token and a repeated directive are errors', () => {
    expect(parseDockerfile('# escape=x\nFROM x\n').errors[0]?.message).toMatch(/invalid escape token/);
    expect(parseDockerfile('# escape=`\n# escape=\\\nFROM x\n').errors[0]?.message).toMatch(
      /only one escape/,
    );
  });
});

describe('instructions', () => {
  test('keywords are case-insensitive', () => {
    expect(keywords('from x\nRun echo\ncOpY a b\n')).toEqual(['FROM', 'RUN', 'COPY']);
  });

  test('continuations join lines, dropping comment and blank lines inside them', () => {
    const df = parseDockerfile(
      'FROM x\nRUN apt-get update \\\n# a comment\n\n    && apt-get install -y curl\nUSER 1000\n',
    );
    const run = df.instructions[1]!;
    expect(run.args).toBe('apt-get update     && apt-get install -y curl');
    expect([run.line, run.endLine]).toEqual([2, 5]);
    expect(df.instructions[2]!.line).toBe(6);
    expect(df.comments).toEqual([]);
  });

  test('the backtick escape continues lines and leaves backslashes alone', () => {
    const df = parseDockerfile(
      '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\ `\n  && echo done\nWORKDIR C:\\app\n',
    );
    expect(df.instructions[1]!.args).toBe('dir C:\\   && echo done');
    expect(df.instructions[2]!.words[0]!.text).toBe('C:\\app');
  });

  test('CRLF line endings', () => {
    const df = parseDockerfile('FROM node:20\r\nRUN a \\\r\n b\r\n');
    expect(df.instructions[1]!.args).toBe('a  b');
    expect(df.instructions[0]!.words[0]!.text).toBe('node:20');
  });

  test('flags with values, bare flags and quoted values; args start after them', () => {
    const text = 'FROM x\nCOPY --link --chmod=755 --from=build "/src dir" /dst\n';
    const copy = parseDockerfile(text).instructions[1]!;
    expect(copy.flags.map((f) => [f.name, f.value])).toEqual([
      ['link', null],
      ['chmod', '755'],
      ['from', 'build'],
    ]);
    expect(text.slice(copy.flags[2]!.valueStart, copy.flags[2]!.valueEnd)).toBe('build');
    expect(copy.words.map((w) => w.text)).toEqual(['"/src dir"', '/dst']);
  });

  test('RUN --mount flags with several key=value fields', () => {
    const run = parseDockerfile(
      'FROM x\nRUN --mount=type=cache,target=/root/.cache --network=none pip install x\n',
    ).instructions[1]!;
    expect(run.flags.map((f) => f.name)).toEqual(['mount', 'network']);
    expect(run.args).toBe('pip install x');
  });

  test('exec (JSON) form and shell form', () => {
    const df = parseDockerfile(
      'FROM x\nCMD ["node", "server.js"]\nENTRYPOINT node server.js\nCMD [not json\n',
    );
    expect(df.instructions[1]!.json).toEqual(['node', 'server.js']);
    expect(df.instructions[2]!.json).toBeNull();
    expect(df.instructions[3]!.json).toBeNull();
  });

  test('ONBUILD wraps an instruction', () => {
    const onbuild = parseDockerfile('FROM x\nONBUILD COPY --from=builder /a /b\n').instructions[1]!;
    expect(onbuild.onbuild?.keyword).toBe('COPY');
    expect(onbuild.onbuild?.flags[0]?.value).toBe('builder');
  });

  test('stages: AS is case-insensitive and names keep their case', () => {
    const df = parseDockerfile(
      'FROM golang:1.22 as Build\nRUN go build\nFROM scratch AS final\nCOPY --from=Build /a /a\n',
    );
    expect(df.stages.map((s) => s.name)).toEqual(['Build', 'final']);
    expect(df.stages[1]!.instructions.map((i) => i.keyword)).toEqual(['FROM', 'COPY']);
    expect(df.instructions[3]!.stage).toBe(1);
  });

  test('global ARGs are the ones before the first FROM, with quoted defaults unquoted', () => {
    const text = 'ARG A=1 B="two words"\nARG C\nFROM x\nARG D=4\n';
    const df = parseDockerfile(text);
    expect(df.globalArgs.map((a) => [a.name, a.value])).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', undefined],
    ]);
    const b = df.globalArgs[1]!;
    expect(text.slice(b.valueStart, b.valueEnd)).toBe('two words');
  });
});

describe('heredocs', () => {
  test('bodies are never read as instructions', () => {
    const df = parseDockerfile('FROM x\nRUN <<EOF\nFROM evil\nUSER root\nEOF\nUSER 1000\n');
    expect(df.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'USER']);
    expect(df.instructions[1]!.heredocs[0]).toMatchObject({
      name: 'EOF',
      body: 'FROM evil\nUSER root\n',
      line: 3,
    });
    expect(df.instructions[1]!.endLine).toBe(5);
    expect(df.stages).toHaveLength(1);
  });

  test('several heredocs on one line are read in order', () => {
    const df = parseDockerfile('FROM x\nCOPY <<A <<B /dst/\na\nA\nb\nB\nRUN true\n');
    expect(df.instructions[1]!.heredocs.map((h) => [h.name, h.body])).toEqual([
      ['A', 'a\n'],
      ['B', 'b\n'],
    ]);
    expect(df.instructions[2]!.keyword).toBe('RUN');
  });

  test('<<- strips leading tabs, quoted delimiters are recorded', () => {
    const df = parseDockerfile("FROM x\nRUN <<-'END' bash\n\techo $HOME\n\tEND\n");
    expect(df.instructions[1]!.heredocs[0]).toMatchObject({
      stripTabs: true,
      quoted: true,
      body: 'echo $HOME\n',
    });
  });

  test('a heredoc after a command and a redirect', () => {
    const df = parseDockerfile('FROM x\nRUN python3 <<EOF > /out\nprint(1)\nEOF\n');
    expect(df.instructions[1]!.heredocs[0]!.body).toBe('print(1)\n');
  });

  test('an unterminated heredoc is an error, not a hang', () => {
    const df = parseDockerfile('FROM x\nRUN <<EOF\necho\n');
    expect(df.errors.map((e) => e.message)).toEqual(['unterminated heredoc <<EOF']);
  });

  test('<< inside quotes or arithmetic is not a heredoc', () => {
    const df = parseDockerfile('FROM x\nRUN echo "a <<EOF" && echo $((1<<2))\nUSER 1\n');
    expect(df.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'USER']);
    expect(df.instructions[1]!.heredocs).toEqual([]);
  });
});

describe('errors are collected, never thrown', () => {
  test.each([
    ['', 'file with no instructions'],
    ['# only a comment\n', 'file with no instructions'],
    ['RUN echo\n', 'RUN before the first FROM: only ARG may come before FROM'],
    ['FROM x\nFOO bar\n', 'unknown instruction: FOO'],
    ['FROM\n', 'FROM requires either one or three arguments'],
    ['FROM a b\n', 'FROM requires either one or three arguments'],
    ['FROM x\nCOPY onlyone\n', 'COPY requires at least two arguments'],
    ['FROM x\nONBUILD FROM y\n', "FROM isn't allowed as an ONBUILD trigger"],
  ])('%j → %s', (text, message) => {
    expect(parseDockerfile(text).errors.map((e) => e.message)).toContain(message);
  });

  test('parsing goes on after an error', () => {
    const df = parseDockerfile('FROM x\nBOGUS\nUSER 1000\n');
    expect(df.errors).toEqual([{ line: 2, message: 'unknown instruction: BOGUS' }]);
    expect(df.instructions.map((i) => i.keyword)).toEqual(['FROM', 'USER']);
  });
});
