import { isPosixShellProgram, posixRunCommands, runTextMatches } from '../dockerfile/shell.js';
import { programOf } from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

const DOWNLOADERS = new Set(['curl', 'wget']);
const MENTIONS_DOWNLOADER = /curl|wget/;
/** `sh -c "$(curl …)"`, `bash <(wget -O- …)`: a download substituted into a shell's arguments. */
const SUBSTITUTED_DOWNLOAD = /^(\$\(|<\(|`)\s*(curl|wget)\b/;

export const rule: Rule = {
  id: 'DH503',
  slug: 'curl-pipe-shell',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Do not pipe downloaded scripts into a shell',
  docs: `\`curl … | sh\` runs whatever the server (or anyone able to change what it serves) returns at build time,
without any record of what ran: the build is neither reproducible nor reviewable, and a truncated
download can execute half a script. Download the script to a file, verify its checksum or signature, then
run it — or better, install the tool from a package or a pinned release artifact.

Flagged: a \`curl\`/\`wget\` command whose output reaches \`sh\`, \`bash\`, \`dash\`, \`ash\`, \`zsh\` or \`ksh\`
through a pipe (also via \`sudo\`, or \`| tee … | sh\`), and \`sh -c "$(curl …)"\`.

Bad:

\`\`\`dockerfile
RUN curl -fsSL https://get.example.com/install.sh | sh
\`\`\`

Good:

\`\`\`dockerfile
ARG INSTALL_SHA256=3f5a…
RUN curl -fsSLo /tmp/install.sh https://get.example.com/v1.2.3/install.sh \\
 && echo "$INSTALL_SHA256  /tmp/install.sh" | sha256sum -c - \\
 && sh /tmp/install.sh && rm /tmp/install.sh
\`\`\`

To keep it: \`# dockhand ignore=DH503 -- reason\`.`,
  equivalents: [],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructions) {
      if (!runTextMatches(instruction, MENTIONS_DOWNLOADER)) continue;
      let downloader: string | undefined;
      for (const command of posixRunCommands(dockerfile, instruction)) {
        if (command.before !== '|') downloader = undefined;
        const program = programOf(command)?.program ?? '';
        const piped = downloader !== undefined && isPosixShellProgram(program);
        const substituted =
          isPosixShellProgram(program) && command.words.some((w) => SUBSTITUTED_DOWNLOAD.test(w));
        if (piped || substituted) {
          findings.push({
            line: instruction.line,
            message: `\`${piped ? `${downloader} … | ${program}` : `${program} $(curl …)`}\` runs a downloaded script unchecked; download it to a file, verify its checksum, then run it.`,
          });
          break;
        }
        if (DOWNLOADERS.has(program)) downloader = program;
      }
    }
    return findings;
  },
};
