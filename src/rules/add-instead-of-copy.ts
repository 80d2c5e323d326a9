import type { Instruction } from '../dockerfile/types.js';
import type { Rule, RuleFinding } from './types.js';

/** Local files ADD extracts: tar archives, plain or compressed (gzip, bzip2, xz, zstd and friends). */
const ARCHIVE = /\.(tar|tgz|taz|tbz2?|tb2|txz|tzst|tar\.(gz|bz2|xz|zst|lz|lzma|z)|gz|bz2|xz|zst|lzma)$/i;
/** Remote sources (DH504 judges those): URLs and git repositories. */
const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i;
const QUOTED = /^(["'])(.*)\1$/;
/** ADD flags that COPY understands too (--checksum, --keep-git-dir, --unpack are ADD-only). */
const COPY_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude', 'parents']);

/** The source operands of an ADD (all but the destination); [] for heredoc-only ADDs. */
function sources(add: Instruction): string[] {
  const operands = add.json ?? add.words.map((w) => w.text);
  return operands.slice(0, -1).map((s) => s.replace(QUOTED, '$2'));
}

export const rule: Rule = {
  id: 'DH903',
  slug: 'add-instead-of-copy',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Use COPY, not ADD, for local files and directories',
  docs: `ADD does more than copy: it downloads URLs and unpacks tar archives. For ordinary files and directories COPY does the same job without the surprises — a file that happens to be a tarball is not silently extracted, and readers know that nothing is fetched or unpacked.

The rule reports ADD when at least one source is a local path that is not a tar archive (\`.tar\`, \`.tar.gz\`, \`.tgz\`, \`.tar.bz2\`, \`.tar.xz\`, \`.txz\`, \`.zst\`… — ADD extracts those, which is a good reason to use it). Remote sources (\`https://…\`, git repositories) are DH504's business, sources held in a variable are not judged, and heredoc ADDs are left alone.

Bad:

\`\`\`dockerfile
ADD --chown=app:app ./src /app/src
\`\`\`

Good:

\`\`\`dockerfile
COPY --chown=app:app ./src /app/src
ADD rootfs.tar.xz /
\`\`\`

To keep ADD: \`# dockhand ignore=DH903 -- reason\`.`,
  equivalents: ['DL3020', 'CKV_DOCKER_4', 'DS-0005'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      const add = instruction.onbuild ?? instruction;
      if (add.keyword !== 'ADD') continue;
      const local = sources(add).filter(
        (s) => !s.startsWith('<<') && !s.includes('$') && !REMOTE.test(s) && !ARCHIVE.test(s),
      );
      if (local.length === 0) continue;
      const flags = add.flags
        .filter((f) => COPY_FLAGS.has(f.name))
        .map((f) => (f.value === null ? ` --${f.name}` : ` --${f.name}=${f.value}`))
        .join('');
      findings.push({
        line: instruction.line,
        endLine: instruction.endLine,
        message: `ADD of ${local.map((s) => `\`${s}\``).join(', ')} only copies; use COPY${flags} instead.`,
      });
    }
    return findings;
  },
};
