import { posixRunCommands, type ShellCommand } from '../dockerfile/shell.js';
import type { Instruction } from '../dockerfile/types.js';
import { keyValues } from './support/instructions.js';
import { programIndex } from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const FALSY = /^(0|false|no|off)$/i;
/** curl short options that take a value: a cluster stops at the first of them (`-ok` is `-o k`). */
const CURL_VALUE_LETTERS = 'AbcCdDeEFHKmoPQrtTuUwxXyYz';
const APT_INSECURE_OPTION =
  /(AllowUnauthenticated|AllowInsecureRepositories|AllowDowngradeToInsecureRepositories)=(1|true|yes)|Verify-(Peer|Host)=(0|false|no)/i;
const GPGCHECK_OFF = /gpgcheck=(0|false|no)/i;
/** Configuration text written by a RUN (`echo … >> /etc/apt/apt.conf.d/…`, `~/.curlrc`, `~/.wgetrc`). */
const INSECURE_CONFIG: [RegExp, string][] = [
  [/Verify-(Peer|Host)\s*"?(false|0|no)\b/i, 'apt Acquire::https::Verify-Peer false'],
  [/\b(insecure|-k)\b.*\.curlrc/, 'insecure in .curlrc'],
  [/check_certificate\s*=\s*off/i, 'check_certificate = off in .wgetrc'],
];

/** Cheap test before the INSECURE_CONFIG patterns: each of them contains one of these. */
const MENTIONS_CONFIG = /verify-|\.curlrc|check_certificate/i;

/** Environment variables that switch verification off, with a test of their value. */
const INSECURE_ENV: Record<string, (value: string) => boolean> = {
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v === '0',
  GIT_SSL_NO_VERIFY: (v) => v !== '' && !FALSY.test(v),
  PYTHONHTTPSVERIFY: (v) => v === '0',
  NPM_CONFIG_STRICT_SSL: (v) => FALSY.test(v),
  PIP_TRUSTED_HOST: (v) => v !== '',
};

export const rule: Rule = {
  id: 'DH501',
  slug: 'tls-or-signature-disabled',
  severity: 'error',
  enabledByDefault: true,
  title: 'Do not disable TLS certificate or package signature checks',
  docs: `Switching off certificate verification (\`curl -k\`, \`wget --no-check-certificate\`, \`pip --trusted-host\`,
\`NODE_TLS_REJECT_UNAUTHORIZED=0\`, \`GIT_SSL_NO_VERIFY\`, \`npm config set strict-ssl false\`,
\`PYTHONHTTPSVERIFY=0\`, \`git -c http.sslVerify=false\`) or package signature checks
(\`apk --allow-untrusted\`, \`apt-get --allow-unauthenticated\`, \`--nogpgcheck\`, \`zypper --no-gpg-checks\`,
\`rpm --nosignature\`) lets anyone on the network path, or anyone who can publish to the mirror, put code
into your image. Behind a TLS-intercepting proxy, add its CA certificate to the image
(\`update-ca-certificates\`) instead; for a private repository, import its signing key.

The rule reads RUN scripts (POSIX shell only) and ENV/ARG values.

Bad:

\`\`\`dockerfile
RUN curl -fsSLk https://example.com/tool.tar.gz | tar -xz
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
\`\`\`

Good:

\`\`\`dockerfile
COPY corp-ca.crt /usr/local/share/ca-certificates/
RUN update-ca-certificates && curl -fsSL https://example.com/tool.tar.gz | tar -xz
\`\`\`

For a documented exception: \`# dockhand ignore=DH501 -- reason\`.`,
  equivalents: ['CKV2_DOCKER_2–16'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    const escape = dockerfile.directives.escape;
    for (const instruction of dockerfile.instructions) {
      const target = instruction.onbuild ?? instruction;
      const found = new Set<string>();
      if (target.keyword === 'ENV' || target.keyword === 'ARG') {
        for (const { key, value } of keyValues(target, escape)) {
          if (value !== undefined && INSECURE_ENV[key]?.(value)) found.add(`${key}=${value}`);
        }
      } else {
        const commands = posixRunCommands(dockerfile, instruction);
        for (const command of commands) inspect(command, found);
        if (commands.length > 0) {
          const script = target.heredocs.length
            ? target.args + target.heredocs.map((h) => h.body).join('')
            : target.args;
          if (MENTIONS_CONFIG.test(script)) {
            for (const [pattern, what] of INSECURE_CONFIG) if (pattern.test(script)) found.add(what);
          }
        }
      }
      for (const what of found) findings.push(finding(instruction, what));
    }
    return findings;
  },
};

function finding(instruction: Instruction, what: string): RuleFinding {
  return {
    line: instruction.line,
    message: `\`${what}\` disables TLS or signature verification; remove it and trust the needed CA certificate or signing key instead.`,
  };
}

function inspect(command: ShellCommand, found: Set<string>): void {
  const words = command.words;
  const at = programIndex(words);
  for (let i = 0; i < at; i++) checkAssignment(words[i]!, found);
  const programWord = words[at];
  const program = programWord?.slice(programWord.lastIndexOf('/') + 1);
  if (program === undefined || !CHECKED_PROGRAM.test(program)) return;
  const args = words.slice(at + 1);
  switch (program) {
    case 'export':
    case 'declare':
    case 'env':
      for (const word of args) checkAssignment(word, found);
      break;
    case 'curl':
      for (const word of args) {
        if (word === '--insecure' || word === '-k' || curlClusterHasK(word)) found.add(`curl ${word}`);
      }
      break;
    case 'wget':
      for (const word of args) if (word === '--no-check-certificate') found.add(`wget ${word}`);
      break;
    case 'apk':
      for (const word of args) if (word === '--allow-untrusted') found.add(`apk ${word}`);
      break;
    case 'apt-get':
    case 'apt':
    case 'aptitude':
      for (const word of args) {
        if (
          word === '--allow-unauthenticated' ||
          word === '--allow-insecure-repositories' ||
          word === '--force-yes' ||
          APT_INSECURE_OPTION.test(word)
        )
          found.add(`${program} ${word}`);
      }
      break;
    case 'yum':
    case 'dnf':
    case 'dnf5':
    case 'microdnf':
    case 'tdnf':
      for (const word of args) {
        if (word === '--nogpgcheck' || word === '--no-gpgchecks' || GPGCHECK_OFF.test(word))
          found.add(`${program} ${word}`);
      }
      break;
    case 'zypper':
      for (const word of args) {
        if (word === '--no-gpg-checks' || word === '--no-gpgcheck') found.add(`zypper ${word}`);
      }
      break;
    case 'rpm':
      for (const word of args)
        if (word === '--nosignature' || word === '--nodigest') found.add(`rpm ${word}`);
      break;
    case 'npm':
    case 'yarn':
    case 'pnpm':
      for (let i = 0; i < args.length; i++) {
        if (/^--strict-ssl=(false|0)$/i.test(args[i]!)) found.add(`${program} ${args[i]}`);
        if (args[i] === 'strict-ssl' && FALSY.test(args[i + 1] ?? ''))
          found.add(`${program} ... strict-ssl false`);
        if (/^strict-ssl=(false|0)$/i.test(args[i]!)) found.add(`${program} ... ${args[i]}`);
      }
      break;
    case 'git':
      for (let i = 0; i < args.length; i++) {
        const word = args[i]!.toLowerCase();
        if (/^http(\..*)?\.sslverify=(false|0|no)$/.test(word)) found.add(`git -c ${args[i]}`);
        if (/^http(\..*)?\.sslverify$/.test(word) && FALSY.test(args[i + 1] ?? ''))
          found.add(`git config ${args[i]} false`);
      }
      break;
    default:
      if (program && /^(pip\d*(\.\d+)*|python\d*(\.\d+)*|pipx|uv)$/.test(program)) {
        for (let i = 0; i < args.length; i++) {
          const word = args[i]!;
          if (word === '--trusted-host' || word.startsWith('--trusted-host='))
            found.add(`pip --trusted-host`);
          if (/^global\.trusted-host$/.test(word) || word.startsWith('global.trusted-host='))
            found.add('pip config set global.trusted-host');
        }
      }
  }
}

/** Programs `inspect` looks into (the cases of its switch); others are skipped before any work. */
const CHECKED_PROGRAM =
  /^(export|declare|env|curl|wget|apk|apt-get|apt|aptitude|yum|dnf|dnf5|microdnf|tdnf|zypper|rpm|npm|yarn|pnpm|git|pip\d*(\.\d+)*|python\d*(\.\d+)*|pipx|uv)$/;

function checkAssignment(word: string, found: Set<string>): void {
  const match = ASSIGNMENT.exec(word);
  if (match && INSECURE_ENV[match[1]!]?.(match[2]!)) found.add(word);
}

/** `-fsSLk`: a cluster of curl flags containing `k` before any option that takes a value. */
function curlClusterHasK(word: string): boolean {
  if (!/^-[A-Za-z0-9#:]{2,}$/.test(word)) return false;
  for (const letter of word.slice(1)) {
    if (letter === 'k') return true;
    if (CURL_VALUE_LETTERS.includes(letter)) return false;
  }
  return false;
}
