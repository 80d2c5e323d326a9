import type { Dockerfile, Instruction } from '../dockerfile/types.js';
import { keyValues } from './support/instructions.js';
import type { Rule, RuleFinding } from './types.js';

/** Names that are secrets whatever their words say. */
const KNOWN_SECRETS = new Set([
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GITLAB_TOKEN',
  'NPM_TOKEN',
  'NODE_AUTH_TOKEN',
  'PYPI_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AZURE_CLIENT_SECRET',
  'GOOGLE_APPLICATION_CREDENTIALS_JSON',
  'DOCKER_PASSWORD',
  'SSH_PRIVATE_KEY',
  'SENTRY_AUTH_TOKEN',
  'HF_TOKEN',
  'OPENAI_API_KEY',
]);
/** Name words (split on `_`, `-`, `.` and camelCase) that make a name a secret. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'secret',
  'token',
  'credentials',
  'credential',
  'apikey',
]);
/** Word pairs that make a name a secret (`API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`). */
const SECRET_PAIRS = new Set([
  'api key',
  'private key',
  'secret key',
  'access key',
  'auth key',
  'client secret',
]);
/** Last words that say the value is not the secret itself (a path, a file, a flag, a version…). */
const SAFE_LAST_WORDS = new Set([
  'file',
  'path',
  'dir',
  'url',
  'uri',
  'endpoint',
  'host',
  'name',
  'version',
  'length',
  'type',
  'header',
  'env',
  'enabled',
  'required',
  'id',
  'mount',
  'location',
  'policy',
]);
/** Values that are switches, not secrets (`MYSQL_ALLOW_EMPTY_PASSWORD=yes`). */
const SWITCH_VALUE = /^(yes|no|true|false|on|off|0|1)$/i;
/** Literal secrets, whatever the instruction: GitHub, GitLab, npm, Slack, Google, Stripe tokens, AWS keys, PEM keys. */
const SECRET_VALUE = new RegExp(
  [
    String.raw`\bgh[pousr]_[A-Za-z0-9]{36,}`,
    String.raw`\bgithub_pat_[A-Za-z0-9_]{50,}`,
    String.raw`\bglpat-[A-Za-z0-9_-]{20,}`,
    String.raw`\bnpm_[A-Za-z0-9]{36}\b`,
    String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`,
    String.raw`\bAIza[0-9A-Za-z_-]{35}`,
    String.raw`\b[sr]k_live_[0-9A-Za-z]{24,}`,
    String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`,
    String.raw`-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----`,
  ].join('|'),
  'g',
);

export const rule: Rule = {
  id: 'DH101',
  slug: 'secret-in-arg-env',
  severity: 'error',
  enabledByDefault: true,
  title: 'Do not pass secrets through ARG or ENV',
  docs: `Build arguments and environment variables are stored in the image: ENV values in its config, ARG
values in the build history (\`docker history\`, provenance attestations) of every layer whose RUN uses
them. Anyone who can pull the image can read them. Pass secrets with BuildKit secret mounts, which
are only visible to the one RUN that needs them and never stored: \`RUN --mount=type=secret,id=npm_token …\`
with \`docker build --secret id=npm_token,env=NPM_TOKEN\`.

The rule reports ARG/ENV names that are well-known secrets (\`GITHUB_TOKEN\`, \`NPM_TOKEN\`,
\`AWS_SECRET_ACCESS_KEY\`…) or whose words include password, secret, token, credentials, api key or
private key — but not names that point at the secret instead of holding it (\`…_FILE\`, \`…_PATH\`, \`…_URL\`,
\`…_VERSION\`…) nor switches (\`MYSQL_ALLOW_EMPTY_PASSWORD=yes\`). It also reports literal secret values
anywhere in an instruction: GitHub/GitLab/npm/Slack/Google/Stripe tokens, AWS access keys and PEM
private keys (AWS's documented \`…EXAMPLE\` keys excepted).

Bad:

\`\`\`dockerfile
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci
\`\`\`

Good:

\`\`\`dockerfile
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\
    echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci && rm .npmrc
\`\`\`

If the name only looks like a secret: \`# dockhand ignore=DH101 -- public token id, not a secret\`.`,
  equivalents: ['DL3064', 'DS-0031', 'BuildKit SecretsUsedInArgOrEnv'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    const escape = dockerfile.directives.escape;
    for (const instruction of dockerfile.instructions) {
      const target = instruction.onbuild ?? instruction;
      if (target.keyword !== 'ARG' && target.keyword !== 'ENV') continue;
      for (const { key, value } of keyValues(target, escape)) {
        if (!isSecretName(key) || (value !== undefined && SWITCH_VALUE.test(value))) continue;
        findings.push({
          line: instruction.line,
          message: `${target.keyword} ${key} looks like a secret and would be stored in the image; pass it with \`RUN --mount=type=secret,id=${key.toLowerCase()}\` instead.`,
        });
      }
    }
    findings.push(...literalSecrets(dockerfile));
    return findings;
  },
};

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_\-.]+/)
    .filter(Boolean);
}

function isSecretName(name: string): boolean {
  if (KNOWN_SECRETS.has(name.toUpperCase())) return true;
  const words = nameWords(name);
  if (words.length === 0 || SAFE_LAST_WORDS.has(words.at(-1)!) || words.includes('public')) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  for (let i = 1; i < words.length; i++) if (SECRET_PAIRS.has(`${words[i - 1]} ${words[i]}`)) return true;
  return false;
}

/** Literal secret values inside instructions (comments are not part of the image and not scanned). */
function literalSecrets(dockerfile: Dockerfile): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const instructions = dockerfile.instructions;
  let index = 0;
  const reported = new Set<Instruction>();
  for (const match of dockerfile.text.matchAll(SECRET_VALUE)) {
    const offset = match.index;
    if (match[0].includes('EXAMPLE')) continue;
    while (index < instructions.length && instructions[index]!.end <= offset) index++;
    const instruction = instructions[index];
    if (!instruction || instruction.start > offset || reported.has(instruction)) continue;
    if (isInCommentLine(dockerfile.text, offset)) continue;
    reported.add(instruction);
    findings.push({
      line: instruction.line,
      message: `A literal secret (\`${match[0].slice(0, 8)}…\`) is written in this ${instruction.keyword}; revoke it and pass it with a BuildKit secret mount instead.`,
    });
  }
  return findings;
}

/** Comment lines inside a continued instruction are dropped by the parser, and by Docker. */
function isInCommentLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^\s*#/.test(text.slice(lineStart, offset));
}
