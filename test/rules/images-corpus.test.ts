// The "images" rules (DH601–DH607, DH802, DH803, DH901–DH910) over every Dockerfile of the project's
// fixture tree and of the real-world corpus (DOCKHAND_CORPUS, skipped without it): none of them may
// crash, and a few files have hand-verified findings — in the fixture tree, files written for the project
// with the same patterns as the corpus files checked below them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { extractFromDockerfile, manager } from '../../src/managers/dockerfile/index.js';
import { lintDockerfile } from '../../src/rules/engine.js';
import { rules } from '../../src/rules/index.js';
import { corpus, FIXTURES, listFiles } from '../support/corpus.js';

const IMAGES = new Set([
  'DH601',
  'DH602',
  'DH603',
  'DH604',
  'DH605',
  'DH606',
  'DH607',
  'DH802',
  'DH803',
  'DH901',
  'DH902',
  'DH903',
  'DH904',
  'DH905',
  'DH906',
  'DH907',
  'DH908',
  'DH909',
  'DH910',
]);

/** The Dockerfiles under `root`, as sorted paths relative to it. */
const dockerfilesUnder = (root: string): string[] =>
  listFiles(root).filter((path) => manager.filePatterns.some((pattern) => pattern.test(path)));

/** Findings of the images rules only (all of them switched on, DH802 included). */
function lintImages(root: string, path: string): Finding[] {
  const dockerfile = parseDockerfile(readFileSync(join(root, path), 'utf8'));
  return lintDockerfile(dockerfile, {
    path,
    deps: extractFromDockerfile(dockerfile),
    trustedRegistries: [],
    ignore: rules.filter((r) => !IMAGES.has(r.id)).map((r) => r.id),
    severity: Object.fromEntries(rules.filter((r) => IMAGES.has(r.id)).map((r) => [r.id, r.severity])),
    allowInlineIgnores: true,
  });
}

const summary = (findings: Finding[]): string[] =>
  findings.filter((f) => f.rule !== 'DH802').map((f) => `${f.rule}@${f.line}`);

const crashes = (root: string, files: string[]): string[] =>
  files.flatMap((path) =>
    lintImages(root, path)
      .filter((f) => f.message.startsWith('internal error'))
      .map((f) => `${path}:${f.line} ${f.rule} ${f.message}`),
  );

describe('images rules over the fixture tree', () => {
  const files = dockerfilesUnder(FIXTURES);

  it('finds the fixture Dockerfiles', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('never raises an internal error', () => {
    expect(crashes(FIXTURES, files)).toEqual([]);
  });

  it.each([
    // ADD . in the build stage, then npm install after it; the final stage is distroless.
    ['rules/node-express/Dockerfile', ['DH903@2', 'DH606@4']],
    // FROM --platform=linux/amd64; shell-form CMD; the install runs before COPY . .
    ['rules/etl-api/Dockerfile', ['DH803@1', 'DH902@7']],
    // Two `cd … && wget` RUNs, five RUNs in a row (reported once, on the second), dist-upgrade without -y.
    ['rules/sensor-hub/Dockerfile', ['DH904@3', 'DH607@4', 'DH904@5', 'DH605@7']],
    // go mod download after COPY . .; four RUNs separated only by blank lines.
    ['rules/go-service/Dockerfile', ['DH606@6', 'DH607@7']],
  ])('%s', (path, expected) => {
    expect(summary(lintImages(FIXTURES, path))).toEqual(expected);
  });
});

describe.skipIf(!corpus)('images rules over the corpus', () => {
  const root = corpus ?? '';
  const files = corpus ? dockerfilesUnder(corpus) : [];

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(400);
  });

  it('never raises an internal error', () => {
    expect(crashes(root, files)).toEqual([]);
  });

  it.each([
    // ADD . /app in the build stage, then npm install after it; the final stage is distroless.
    ['GoogleContainerTools__distroless/examples/nodejs/node-express/Dockerfile', ['DH903@2', 'DH606@4']],
    // FROM --platform=linux/amd64; shell-form CMD npm start; the install runs before COPY . .
    ['tensingn__jj-bott-etl-api/Dockerfile', ['DH803@1', 'DH902@7']],
    // Two `cd … && wget` RUNs, five RUNs in a row (reported once, on the second), dist-upgrade without -y.
    ['KuaJnio__Home_Dom/mqtt/Dockerfile', ['DH904@3', 'DH607@4', 'DH904@5', 'DH605@7']],
    // go mod download after COPY . .; four RUNs separated only by blank lines.
    ['GoogleContainerTools__distroless/examples/go/Dockerfile', ['DH606@6', 'DH607@7']],
  ])('%s', (path, expected) => {
    expect(summary(lintImages(root, path))).toEqual(expected);
  });
});
