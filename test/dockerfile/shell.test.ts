import { describe, expect, test } from 'vitest';
import { analyzeImages } from '../../src/dockerfile/images.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import {
  isPosixShellProgram,
  isWindowsImage,
  posixRunCommands,
  programName,
  runCommands,
  runScripts,
  shellCommands,
  shellsInForce,
} from '../../src/dockerfile/shell.js';

/** Each command as its words joined by spaces, with the operator after it. */
const tokens = (script: string) => shellCommands(script).map((c) => [c.words.join(' '), c.after]);

describe('shellCommands', () => {
  test('splits on &&, ||, ;, | and & and records the operators on both sides', () => {
    expect(tokens('a 1 && b || c; d | e & f')).toEqual([
      ['a 1', '&&'],
      ['b', '||'],
      ['c', ';'],
      ['d', '|'],
      ['e', '&'],
      ['f', ''],
    ]);
    const [, second] = shellCommands('a && b');
    expect(second).toMatchObject({ words: ['b'], before: '&&', after: '' });
  });

  test('newlines end commands; escaped newlines join lines', () => {
    expect(tokens('a\nb \\\n  c\n\n')).toEqual([
      ['a', ';'],
      ['b c', ''],
    ]);
  });

  test('quotes group words and are removed; operators inside quotes are text', () => {
    expect(shellCommands(`echo "a && b" 'c | d' e"f g"h`)[0]!.words).toEqual([
      'echo',
      'a && b',
      'c | d',
      'ef gh',
    ]);
    expect(shellCommands('echo "say \\"hi\\" \\$HOME"')[0]!.words).toEqual(['echo', 'say "hi" $HOME']);
    expect(shellCommands('echo \\&\\& x')[0]!.words).toEqual(['echo', '&&', 'x']);
  });

  test('keeps $(…), ${…} and backticks whole: their commands are not commands of this level', () => {
    expect(tokens('echo $(curl x | sh) ${A:-b c} `uname -m` && next')).toEqual([
      ['echo $(curl x | sh) ${A:-b c} `uname -m`', '&&'],
      ['next', ''],
    ]);
  });

  test('skips comments, but not # inside a word', () => {
    expect(tokens('a # b && c\nd#e')).toEqual([
      ['a', ';'],
      ['d#e', ''],
    ]);
  });

  test('drops redirections and their targets', () => {
    expect(tokens('cmd a > /dev/null 2>&1 b <in && x >>log 2>/dev/null &>all | y')).toEqual([
      ['cmd a b', '&&'],
      ['x', '|'],
      ['y', ''],
    ]);
    expect(tokens('cmd >out; next')).toEqual([
      ['cmd', ';'],
      ['next', ''],
    ]);
  });

  test('subshells and groups split commands', () => {
    expect(tokens('(cd x && make) && { a; b; }')).toEqual([
      ['cd x', '&&'],
      ['make', ';'],
      ['a', ';'],
      ['b', ''],
    ]);
  });

  test('never throws on unbalanced input', () => {
    expect(() => shellCommands(`echo "open 'x $(y`)).not.toThrow();
    expect(shellCommands('')).toEqual([]);
  });

  describe('case statements', () => {
    test('pattern alternatives are not pipes', () => {
      const commands = shellCommands('case "$arch" in amd64|x86_64) a=x ;; arm64 | aarch64) a=y ;; esac');
      expect(commands.map((c) => c.after)).toEqual([';', ';', '']);
      expect(commands.every((c) => c.before !== '|')).toBe(true);
      expect(commands.map((c) => c.words)).toEqual([
        ['case', '$arch', 'in', 'amd64|x86_64)', 'a=x'],
        ['arm64', '|', 'aarch64)', 'a=y'],
        ['esac'],
      ]);
    });

    test('pipes inside a case item body and after esac are pipes', () => {
      const script = 'case $x in\n  a|b) curl y | sh ;;\n  *) true ;;\nesac | cat';
      const pipes = shellCommands(script).filter((c) => c.after === '|');
      expect(pipes.map((c) => c.words.at(-1))).toEqual(['y', 'esac']);
    });

    test('multi-line patterns, ;& fall-through, a last item without ;; and nested cases', () => {
      const script = [
        'case $1 in',
        '  a|b)',
        '    case $2 in c|d) x ;; esac',
        '    ;&',
        '  e|f) y',
        'esac',
        'if true; then case $z in g|h) z ;; esac; fi',
        'p | q',
      ].join('\n');
      const pipes = shellCommands(script).filter((c) => c.after === '|');
      expect(pipes.map((c) => c.words)).toEqual([['p']]);
    });

    test('"case" as an argument opens nothing', () => {
      expect(tokens('echo case in a | wc -l')).toEqual([
        ['echo case in a', '|'],
        ['wc -l', ''],
      ]);
    });
  });
});

describe('runScripts and runCommands', () => {
  const run = (text: string) => parseDockerfile(`FROM x\n${text}\n`).instructions[1]!;

  test('shell form, and exec form through sh -c or as words', () => {
    expect(runScripts(run('RUN a && b')).map((s) => s.script)).toEqual(['a && b']);
    expect(runCommands(run('RUN ["/bin/sh", "-c", "a && b"]')).map((c) => c.words)).toEqual([['a'], ['b']]);
    expect(runCommands(run('RUN ["apt-get", "install", "-y", "x"]')).map((c) => c.words)).toEqual([
      ['apt-get', 'install', '-y', 'x'],
    ]);
  });

  test('heredocs fed to a shell (or forming the RUN) are scripts; those fed to python3 are not', () => {
    expect(runCommands(run('RUN <<EOF\napk add jq\nEOF')).map((c) => c.words[0])).toEqual(['apk']);
    expect(runCommands(run('RUN bash <<EOF\nset -e\napk add jq\nEOF')).map((c) => c.words[0])).toEqual([
      'bash',
      'set',
      'apk',
    ]);
    expect(runCommands(run('RUN python3 <<EOF\nimport os | x\nEOF')).map((c) => c.words[0])).toEqual([
      'python3',
    ]);
    expect(runScripts(run('RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF'))).toEqual([
      { script: '<<EOF', commands: [] },
    ]);
  });

  test('are computed once per instruction', () => {
    const instruction = run('RUN a | b');
    expect(runScripts(instruction)).toBe(runScripts(instruction));
    expect(runCommands(instruction)).toBe(runCommands(instruction));
  });
});

describe('shellsInForce', () => {
  const posix = (text: string) => {
    const df = parseDockerfile(text);
    const shells = shellsInForce(df);
    return df.instructions.map((i) => shells.get(i)?.posix);
  };

  test('defaults to /bin/sh -c and follows SHELL within a stage', () => {
    const df = parseDockerfile('FROM alpine\nRUN a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN b\n');
    const shells = shellsInForce(df);
    expect(shells.get(df.instructions[1]!)).toEqual({ shell: ['/bin/sh', '-c'], posix: true });
    expect(shells.get(df.instructions[3]!)?.shell).toEqual(['/bin/bash', '-o', 'pipefail', '-c']);
    expect(shellsInForce(df)).toBe(shells);
  });

  test('inherits the SHELL through FROM <stage>, not into stages built on images', () => {
    expect(
      posix(
        'FROM alpine AS a\nSHELL ["pwsh", "-c"]\nFROM a\nRUN x\nFROM a AS b\nFROM b\nRUN y\nFROM alpine\nRUN z\n',
      ),
    ).toEqual([true, true, false, false, false, false, false, true, true]);
  });

  test('Windows stages (escape=` or a Windows base image) are not POSIX unless a POSIX SHELL is set', () => {
    expect(posix('# escape=`\nARG X=1\nFROM alpine\nRUN a\nSHELL ["bash", "-c"]\nRUN b\n')).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(
      posix(
        [
          'ARG BASE=mcr.microsoft.com/windows/servercore:ltsc2022',
          'FROM $BASE AS win',
          'RUN a',
          'FROM win',
          'RUN b',
          'FROM eclipse-temurin:21-jre-nanoserver',
          'SHELL ["C:/msys64/usr/bin/bash.exe", "-c"]',
          'RUN c',
          'FROM debian',
          'RUN d',
        ].join('\n'),
      ),
    ).toEqual([true, false, false, false, false, false, false, true, true, true]);
  });

  test('posixRunCommands gives the commands of POSIX RUNs and ONBUILD RUNs only', () => {
    const df = parseDockerfile(
      'FROM mcr.microsoft.com/windows/nanoserver\nRUN dir\nFROM alpine\nRUN a && b\nONBUILD RUN c\nCOPY . .\n',
    );
    expect(df.instructions.map((i) => posixRunCommands(df, i).length)).toEqual([0, 0, 0, 2, 1, 0]);
  });

  test('uses the memoised image analysis', () => {
    const df = parseDockerfile('FROM alpine\n');
    expect(analyzeImages(df)).toBe(analyzeImages(df));
  });
});

describe('isWindowsImage', () => {
  test.each([
    'mcr.microsoft.com/windows/servercore:ltsc2022',
    'mcr.microsoft.com/windows/nanoserver:ltsc2025',
    'mcr.microsoft.com/windows/server:ltsc2022',
    'mcr.microsoft.com/windows:ltsc2019',
    'mcr.microsoft.com/windows/servercore/iis',
    'microsoft/windowsservercore',
    'microsoft/nanoserver:1809',
    'python:3.12-windowsservercore-ltsc2022',
    'golang:1.22-windowsservercore',
    'mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022',
    'mcr.microsoft.com/powershell:lts-nanoserver2022',
    'eclipse-temurin:21-jre-nanoserver',
    'busybox:1.29-windows-amd64',
    'MCR.Microsoft.com/Windows/ServerCore',
  ])('%s is Windows', (reference) => {
    expect(isWindowsImage(reference)).toBe(true);
  });

  test.each([
    'alpine:3.20',
    'debian:bookworm-slim',
    'dockcross/windows-static-x64',
    'ghcr.io/acme/windowsbuilder',
    'localhost:5000/windows-tools:1',
    'mcr.microsoft.com/dotnet/sdk:8.0',
    'node:20@sha256:0123456789abcdef',
  ])('%s is not Windows', (reference) => {
    expect(isWindowsImage(reference)).toBe(false);
  });
});

describe('program helpers', () => {
  test.each([
    ['/bin/sh', true],
    ['bash', true],
    ['/usr/bin/zsh', true],
    ['busybox', true],
    ['C:\\msys64\\usr\\bin\\BASH.EXE', true],
    ['powershell', false],
    ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', false],
    ['pwsh', false],
    ['cmd', false],
    ['python3', false],
    ['/usr/bin/env', false],
  ])('isPosixShellProgram(%s) = %s', (program, expected) => {
    expect(isPosixShellProgram(program)).toBe(expected);
  });

  test('programName is the lower-cased basename for / and \\ paths', () => {
    expect(programName('/usr/bin/bash')).toBe('bash');
    expect(programName('C:\\x\\CMD.exe')).toBe('cmd.exe');
    expect(programName('sh')).toBe('sh');
  });
});
