import type { Rule, RuleFinding } from './types.js';

const REMOTE = /^https?:\/\//i;
/** Git sources pinned to a full commit (`repo.git#<sha>`) are immutable. */
const GIT_AT_COMMIT = /\.git#[0-9a-f]{40}(:|$)/i;

export const rule: Rule = {
  id: 'DH504',
  slug: 'add-remote-url',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Verify remote ADD sources with --checksum',
  docs: `\`ADD https://…\` downloads a file at build time with no integrity check: if the server or a mirror is
compromised, or the file is replaced under the same URL, the image silently changes. BuildKit's
\`ADD --checksum=sha256:…\` (Dockerfile syntax 1.6+) fails the build when the content differs. Git
sources pinned to a full commit (\`ADD https://github.com/org/repo.git#<40-hex sha> /src\`) are immutable
and not reported.

Bad:

\`\`\`dockerfile
ADD https://github.com/tini/tini/releases/download/v0.19.0/tini /tini
\`\`\`

Good:

\`\`\`dockerfile
ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c \\
    https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
\`\`\`

Or download with \`curl\` in a RUN and check the file with \`sha256sum -c\`. To keep it:
\`# dockhand ignore=DH504 -- reason\`.`,
  equivalents: ['DL3020', 'DS-0005'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      const add = instruction.onbuild ?? instruction;
      if (add.keyword !== 'ADD' || add.flags.some((f) => f.name === 'checksum')) continue;
      const words = add.json ?? add.words.map((w) => w.text.replace(/^(["'])(.*)\1$/, '$2'));
      for (const source of words.slice(0, -1)) {
        if (!REMOTE.test(source) || GIT_AT_COMMIT.test(source)) continue;
        findings.push({
          line: instruction.line,
          message: `\`ADD ${source}\` is not verified; add \`--checksum=sha256:<digest>\` (or download and check it in a RUN).`,
        });
      }
    }
    return findings;
  },
};
