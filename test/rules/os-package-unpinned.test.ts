import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/os-package-unpinned.js';
import { lint, linesOf } from './lint.js';

const ID = 'DH703';

describe('DH703 os-package-unpinned', () => {
  it('is off by default', () => {
    expect(rule.enabledByDefault).toBe(false);
  });

  it.each([
    ['FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n', [2]],
    ['FROM debian:12\nRUN apt-get install -y curl=7.88.1-10 git\n', [2]],
    ['FROM debian:12\nRUN apt install -y -t bookworm-backports golang\n', [2]],
    ['FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\n', [2]],
    ['FROM rockylinux:9\nRUN dnf install -y java-11-openjdk\n', [2]],
    ['FROM centos:7\nRUN yum -y install httpd\n', [2]],
    ['FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y shadow-utils\n', [2]],
    ['FROM opensuse/leap:15.6\nRUN zypper -n in curl\n', [2]],
    ['FROM debian:12\nRUN apt-get install -y a=1 \\\n  b \\\n  c\n', [2]],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM debian:12\nRUN apt-get install -y curl=7.88.1-10+deb12u8 git=1:2.39.5-0+deb12u1\n',
    'FROM debian:12\nRUN apt-get install -y $PKGS\n',
    'FROM debian:12\nRUN apt-get install -y "curl=${CURL_VERSION}"\n',
    'FROM debian:12\nRUN apt-get install -y ./pkg.deb /tmp/other.deb\n',
    'FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n',
    'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 "jq>1.6" bash~5.2\n',
    'FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57 nodejs-1:18.20-1.module @development\n',
    'FROM centos:7\nRUN yum localinstall -y /tmp/x.rpm\n',
    'FROM opensuse/leap:15.6\nRUN zypper in -y curl=8.0 "git>=2.40"\n',
    'FROM debian:12\nRUN echo apt-get install curl\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });

  it('names the packages', () => {
    expect(lint('FROM debian:12\nRUN apt-get install -y curl=1 git\n', ID)[0]!.message).toMatch(
      /installs git without/,
    );
  });
});
