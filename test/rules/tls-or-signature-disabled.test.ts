import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH501';

describe('DH501 tls-or-signature-disabled', () => {
  it.each([
    ['FROM alpine:3.20\nRUN curl -k https://x/y -o y\n', [2]],
    ['FROM alpine:3.20\nRUN curl -fsSLk https://x/y | tar -xz\n', [2]],
    ['FROM alpine:3.20\nRUN curl --insecure https://x\n', [2]],
    ['FROM alpine:3.20\nRUN wget --no-check-certificate https://x\n', [2]],
    ['FROM alpine:3.20\nRUN apk add --allow-untrusted /tmp/x.apk\n', [2]],
    ['FROM debian:12\nRUN apt-get install -y --allow-unauthenticated x\n', [2]],
    ['FROM debian:12\nRUN apt-get -o Acquire::https::Verify-Peer=false update\n', [2]],
    ['FROM rockylinux:9\nRUN dnf install -y --nogpgcheck x\n', [2]],
    ['FROM rockylinux:9\nRUN yum --setopt=gpgcheck=0 install -y x\n', [2]],
    ['FROM opensuse/leap:15.6\nRUN zypper --no-gpg-checks in -y x\n', [2]],
    ['FROM python:3.12\nRUN pip install --trusted-host pypi.example.com -r req.txt\n', [2]],
    ['FROM python:3.12\nRUN pip config set global.trusted-host pypi.example.com\n', [2]],
    ['FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n', [2]],
    ['FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED 0\n', [2]],
    ['FROM node:22\nARG GIT_SSL_NO_VERIFY=1\n', [2]],
    ['FROM python:3.12\nENV PYTHONHTTPSVERIFY=0\n', [2]],
    ['FROM node:22\nRUN npm config set strict-ssl false\n', [2]],
    ['FROM node:22\nRUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci\n', [2]],
    ['FROM node:22\nRUN export GIT_SSL_NO_VERIFY=true && git clone https://x\n', [2]],
    ['FROM alpine:3.20\nRUN git config --global http.sslVerify false\n', [2]],
    ['FROM alpine:3.20\nRUN git -c http.sslVerify=false clone https://x\n', [2]],
    ['FROM alpine:3.20\nRUN curl -k https://a && wget --no-check-certificate https://b\n', [2, 2]],
    ['FROM debian:12\nRUN echo "Acquire { https::Verify-Peer false }" > /etc/apt/apt.conf.d/99x\n', [2]],
    ['FROM debian:12\nRUN echo insecure >> $HOME/.curlrc\n', [2]],
    ['FROM debian:12\nRUN echo "check_certificate = off" >> ~/.wgetrc\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM alpine:3.20\nRUN curl -fsSL https://x -o /tmp/x\n',
    'FROM alpine:3.20\nRUN curl -o k https://x\n', // -o takes "k" as its value
    'FROM alpine:3.20\nRUN curl -sko out https://x | true\n'.replace('-sko', '-sok'), // -o consumes "k"
    'FROM alpine:3.20\nRUN echo "use curl -k at your own risk"\n',
    'FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n',
    'FROM node:22\nENV GIT_SSL_NO_VERIFY=false\n',
    'FROM node:22\nRUN npm config set strict-ssl true\n',
    'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
    'FROM opensuse/leap:15.6\nRUN zypper --gpg-auto-import-keys refresh\n',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN curl.exe -k https://x\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the option', () => {
    expect(lint('FROM alpine:3.20\nRUN curl -fsSLk https://x\n', ID)[0]!.message).toContain('`curl -fsSLk`');
  });
});
