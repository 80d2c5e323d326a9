// Stage analysis must stay linear in the number of stages (issue 8 §4: 20,000 chained stages took 13 s).
// Work is counted, not timed: every read of the stage list or of a stage is counted while the file is
// analysed, extracted and linted with every rule on. Twice the stages must cost about twice the reads; a
// walk over the stages for each stage would cost four times as many.
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import type { Dockerfile, Stage } from '../../src/dockerfile/types.js';
import { extractFromDockerfile } from '../../src/managers/dockerfile/index.js';
import { lintDockerfile } from '../../src/rules/engine.js';
import { rules } from '../../src/rules/index.js';

const FIRST = ['FROM alpine:3.20 AS stage0', 'RUN echo 0 > /a'];

/** `stages` stages: the `first` lines, then `link(i)` for each later stage i, built on earlier ones. */
function chained(stages: number, link: (i: number) => string[], first = FIRST): string {
  const lines = [...first];
  for (let i = 1; i < stages; i++) lines.push(...link(i));
  return lines.join('\n') + '\n';
}

/** The parsed file with a counter on every read of `stages` and of each stage's fields. */
function counted(text: string): { dockerfile: Dockerfile; reads: () => number } {
  const parsed = parseDockerfile(text);
  let reads = 0;
  const watch = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, key, receiver) {
        reads++;
        return Reflect.get(object, key, receiver) as unknown;
      },
    });
  const stages = watch(parsed.stages.map((stage): Stage => watch(stage)));
  return { dockerfile: { ...parsed, stages }, reads: () => reads };
}

/** Stage reads of analysing, extracting and linting (all rules on) a file of `stages` stages. */
function work(stages: number, link: (i: number) => string[], first?: string[]): number {
  const { dockerfile, reads } = counted(chained(stages, link, first));
  lintDockerfile(dockerfile, {
    path: 'Dockerfile',
    deps: extractFromDockerfile(dockerfile),
    trustedRegistries: ['docker.io'],
    dockerignore: null,
    ignore: [],
    severity: Object.fromEntries(rules.map((rule) => [rule.id, rule.severity])),
    allowInlineIgnores: true,
  });
  return reads();
}

const SHAPES: [string, (i: number) => string[], string[]?][] = [
  [
    'COPY --from the previous stage',
    (i) => [`FROM alpine:3.20 AS stage${i}`, `COPY --from=stage${i - 1} /a /a`],
  ],
  ['COPY --from an earlier stage by index', (i) => [`FROM alpine:3.20`, `COPY --from=${i - 1} /a /a`]],
  ['FROM the previous stage', (i) => [`FROM stage${i - 1} AS stage${i}`, `RUN echo ${i} >> /a`]],
  [
    // The apt configuration is inherited along the FROM chain (DH604 follows it for every stage).
    'FROM the previous stage, apt configured in the first',
    (i) => [`FROM stage${i - 1} AS stage${i}`, `RUN apt-get install -y curl`],
    [
      'FROM debian:12 AS stage0',
      `RUN echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/90recommends`,
    ],
  ],
  [
    // `--from=busybox` is compared with the stage names in case it is a typo of one (DH909).
    'COPY --from the same image in every stage',
    (i) => [`FROM alpine:3.20 AS stage${i}`, `COPY --from=busybox /bin/sh /sh`],
  ],
  [
    // `FROM stage0-$V` names the last earlier stage its pattern matches: here only the first one.
    'FROM a stage chosen by a variable',
    (i) => [`FROM stage0-$V AS s${i}`, `RUN echo ${i}`],
    ['ARG V', 'FROM alpine:3.20 AS stage0-x'],
  ],
];

describe('stage analysis', () => {
  it.each(SHAPES)('grows linearly with the stage count: %s', (_shape, link, first) => {
    const small = work(1_000, link, first);
    const large = work(2_000, link, first);
    expect(large / small).toBeLessThan(2.5);
  });
});
