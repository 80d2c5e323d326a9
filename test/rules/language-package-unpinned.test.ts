import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH704';

describe('DH704 language-package-unpinned', () => {
  it.each([
    ['FROM python:3.12\nRUN pip install flask\n', [2]],
    ['FROM python:3.12\nRUN pip3 install --no-cache-dir -r requirements.txt gunicorn\n', [2]],
    ['FROM python:3.12\nRUN python3 -m pip install "uvicorn[standard]"\n', [2]],
    ['FROM python:3.12\nRUN pip install --upgrade pip setuptools wheel\n', [2]],
    ['FROM node:22\nRUN npm install -g typescript\n', [2]],
    ['FROM node:22\nRUN npm i --global @angular/cli\n', [2]],
    ['FROM node:22\nRUN npm install -g pnpm@latest\n', [2]],
    ['FROM ruby:3.3\nRUN gem install bundler\n', [2]],
    ['FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest\n', [2]],
    ['FROM golang:1.16\nRUN go get github.com/golang/mock/mockgen\n', [2]],
    ['FROM python:3.12\nRUN pip install a==1 && pip install b\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM python:3.12\nRUN pip install flask==3.0.3 "requests>=2.31,<3" "pkg @ https://x/pkg.whl"\n',
    'FROM python:3.12\nRUN pip install -r requirements.txt -c constraints.txt\n',
    'FROM python:3.12\nRUN pip install -e . && pip install .\n',
    'FROM python:3.12\nRUN pip install /wheels/*.whl ./dist/app-1.0.tar.gz git+https://github.com/a/b@v1\n',
    'FROM python:3.12\nRUN pip install --upgrade pip\n',
    'FROM python:3.12\nRUN pip install $PACKAGES "flask==$FLASK_VERSION"\n',
    'FROM node:22\nRUN npm install && npm ci\n',
    'FROM node:22\nRUN npm install express\n', // local project install
    'FROM node:22\nRUN npm install -g typescript@5.4.5 @angular/cli@17\n',
    'FROM node:22\nRUN npm install -g npm@latest\n',
    'FROM ruby:3.3\nRUN gem install bundler -v 2.5.0 && gem install rails:7.1.0\n',
    'FROM ruby:3.3\nRUN gem install ./vendor/x.gem\n',
    'FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@v0.16.2\n',
    'FROM golang:1.23\nRUN go install ./cmd/... && go install tool && go install github.com/a/b/cmd/c\n',
    'FROM golang:1.23\nRUN go get -d ./...\n',
    'FROM python:3.12\nRUN pipx install poetry\n',
    'FROM python:3.12\nSHELL ["powershell", "-Command"]\nRUN pip install flask\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the packages', () => {
    expect(lint('FROM python:3.12\nRUN pip install flask requests==2\n', ID)[0]!.message).toMatch(
      /pip install` installs flask without/,
    );
  });
});
