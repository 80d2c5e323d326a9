// The "images" rules (DH601–DH607, DH802, DH803, DH901–DH910) over the shared corpus of real
// Dockerfiles: none of them may crash, and a few files have hand-verified findings.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { extractFromDockerfile, manager } from '../../src/managers/dockerfile/index.js';
import { lintDockerfile } from '../../src/rules/engine.js';
import { rules } from '../../src/rules/index.js';

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
const root = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(root)
  .map((path) => relative(root, path).split('\\').join('/'))
  .filter((path) => manager.filePatterns.some((pattern) => pattern.test(path)))
  .sort();

/** Findings of the images rules only (all of them switched on, DH802 included). */
function lintImages(path: string): Finding[] {
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

describe('images rules over the corpus', () => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(400);
  });

  it('never raises an internal error', () => {
    const crashes = files.flatMap((path) =>
      lintImages(path)
        .filter((f) => f.message.startsWith('internal error'))
        .map((f) => `${path}:${f.line} ${f.rule} ${f.message}`),
    );
    expect(crashes).toEqual([]);
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
    expect(summary(lintImages(path))).toEqual(expected);
  });
});
