import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const bad: [string, string, number[]][] = [
  ['shell-form CMD', 'FROM node:22-slim\nCMD node server.js\n', [2]],
  ['shell-form ENTRYPOINT', 'FROM alpine:3.20\nENTRYPOINT /usr/bin/app --serve\n', [2]],
  ['multi-line shell form', 'FROM python:3.12-slim\nCMD python \\\n  app.py\n', [2]],
  ['single-quoted pseudo-JSON', "FROM alpine:3.20\nCMD ['node', 'server.js']\n", [2]],
  [
    'script without exec at the end',
    'FROM python:3.12-slim\nCMD set -xe; python manage.py migrate; gunicorn app\n',
    [2],
  ],
  ['every stage', 'FROM alpine:3.20 AS a\nCMD a\nFROM alpine:3.20\nCMD b\n', [2, 4]],
];

const good: [string, string][] = [
  ['exec form', 'FROM node:22-slim\nCMD ["node", "server.js"]\n'],
  ['exec ENTRYPOINT', 'FROM alpine:3.20\nENTRYPOINT ["/usr/bin/app"]\nCMD ["--serve"]\n'],
  ['shell form starting with exec', 'FROM alpine:3.20\nENTRYPOINT exec top -b\n'],
  ['last command execs', 'FROM python:3.12-slim\nCMD python manage.py migrate && exec gunicorn app\n'],
  ['empty CMD', 'FROM alpine:3.20\nCMD\n'],
  [
    'Windows escape file',
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD powershell -Command Start-Sleep 1\n',
  ],
  ['Windows base image', 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCMD cmd /c echo hi\n'],
  ['PowerShell SHELL', 'FROM alpine:3.20\nSHELL ["pwsh", "-Command"]\nCMD Write-Host hi\n'],
  ['ONBUILD CMD is not judged', 'FROM alpine:3.20\nONBUILD CMD echo hi\n'],
];

describe('DH902 exec-form-cmd', () => {
  it.each(bad)('flags: %s', (_name, text, lines) => expect(linesOf(text, 'DH902')).toEqual(lines));
  it.each(good)('accepts: %s', (_name, text) => expect(linesOf(text, 'DH902')).toEqual([]));
  it('suggests the exec form of a simple command', () => {
    expect(lint('FROM node:22-slim\nCMD node server.js\n', 'DH902')[0]!.message).toContain(
      'CMD ["node", "server.js"]',
    );
  });
  it('names the long-running program of a script', () => {
    expect(lint('FROM python:3.12-slim\nCMD set -e; gunicorn app\n', 'DH902')[0]!.message).toContain(
      '`gunicorn`',
    );
  });
  it('names the SHELL in force', () => {
    expect(lint('FROM debian:12\nSHELL ["/bin/bash", "-c"]\nCMD app\n', 'DH902')[0]!.message).toContain(
      '/bin/bash',
    );
  });
});
