import type { Instruction } from '../dockerfile/types.js';
import { runCommands, type ShellCommand } from '../dockerfile/shell.js';
import { programOf } from './support/packages.js';
import type { Rule, RuleFinding } from './types.js';

/** Dependency installs driven by a manifest, and the manifest files to copy before them. */
interface Installer {
  /** Program, then the words that must follow it (options skipped); `-r` for pip means "has -r". */
  program: RegExp;
  words: string[];
  manifests: string;
  /** Installs with the same key share a cache: one run before the broad COPY covers the others. */
  key: string;
}

const INSTALLERS: Installer[] = [
  { program: /^npm$/, words: ['ci'], manifests: 'package.json and package-lock.json', key: 'npm' },
  { program: /^npm$/, words: ['install'], manifests: 'package.json and package-lock.json', key: 'npm' },
  { program: /^npm$/, words: ['i'], manifests: 'package.json and package-lock.json', key: 'npm' },
  { program: /^pnpm$/, words: ['fetch'], manifests: 'pnpm-lock.yaml', key: 'pnpm' },
  { program: /^yarn$/, words: ['install'], manifests: 'package.json and yarn.lock', key: 'yarn' },
  { program: /^pnpm$/, words: ['install'], manifests: 'package.json and pnpm-lock.yaml', key: 'pnpm' },
  { program: /^pnpm$/, words: ['i'], manifests: 'package.json and pnpm-lock.yaml', key: 'pnpm' },
  { program: /^pip[\d.]*$/, words: ['install', '-r'], manifests: 'the requirements file', key: 'pip' },
  { program: /^poetry$/, words: ['install'], manifests: 'pyproject.toml and poetry.lock', key: 'poetry' },
  { program: /^go$/, words: ['mod', 'download'], manifests: 'go.mod and go.sum', key: 'go' },
  { program: /^bundle$/, words: ['install'], manifests: 'Gemfile and Gemfile.lock', key: 'bundle' },
  {
    program: /^composer$/,
    words: ['install'],
    manifests: 'composer.json and composer.lock',
    key: 'composer',
  },
  { program: /^cargo$/, words: ['fetch'], manifests: 'Cargo.toml and Cargo.lock', key: 'cargo' },
];
const PYTHON = /^python[\d.]*$/;
/** Cheap test before tokenizing a RUN: does it mention any installer at all? */
const MENTIONS_INSTALLER = /\b(npm|yarn|pnpm|pip[\d.]*|poetry|go|bundle|composer|cargo)\b/;

/** The installer a command runs, as `npm ci`-style text and its data; null for other commands. */
function installerOf(command: ShellCommand): { text: string; installer: Installer } | null {
  const run = programOf(command);
  if (!run) return null;
  let { program, args } = run;
  if (PYTHON.test(program) && args[0] === '-m' && args[1] === 'pip') {
    program = 'pip';
    args = args.slice(2);
  }
  const positional = args.filter((a) => !a.startsWith('-'));
  for (const installer of INSTALLERS) {
    if (!installer.program.test(program)) continue;
    const [first, ...rest] = installer.words;
    if (positional[0] !== first) continue;
    if (
      rest[0] === '-r'
        ? !args.some((a) => a === '-r' || a.startsWith('--requirement'))
        : rest.some((w, i) => positional[i + 1] !== w)
    ) {
      continue;
    }
    // `npm install express` adds a package; only a bare install reads the manifest.
    if (
      (program === 'npm' || program === 'yarn' || program === 'pnpm') &&
      positional.length > installer.words.length
    )
      continue;
    return { text: `${program} ${installer.words.filter((w) => w !== '-r').join(' ')}`, installer };
  }
  return null;
}

/** True for `COPY . <dest>` / `ADD . <dest>` from the build context (the whole context). */
function isBroadCopy(instruction: Instruction): boolean {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return false;
  if (instruction.flags.some((f) => f.name === 'from')) return false;
  const operands = instruction.json ?? instruction.words.map((w) => w.text);
  return operands.slice(0, -1).some((s) => s === '.' || s === './' || s === '"."');
}

export const rule: Rule = {
  id: 'DH606',
  slug: 'cache-unfriendly-order',
  severity: 'info',
  enabledByDefault: true,
  title: 'Copy dependency manifests and install before copying the source',
  docs: `Docker reuses a cached layer only while everything before it is unchanged. After \`COPY . .\`, any edit to any source file invalidates the cache, so a dependency install that follows (\`npm ci\`, \`pip install -r requirements.txt\`, \`go mod download\`, \`bundle install\`, \`composer install\`…) runs again on every build, even though the dependencies did not change. Copy only the manifest and lock file first, install, and then copy the rest.

The rule reports a dependency install that runs after \`COPY . …\` (or \`ADD . …\`) in the same stage. An install whose tool already ran before the broad copy is not reported: the second run is cheap (\`poetry install\` for the project itself after \`poetry install --no-root\`, \`pnpm install --offline\` after \`pnpm fetch\`). Installing named packages (\`npm install express\`, \`pip install .\`) is not a manifest install and is not judged.

Bad:

\`\`\`dockerfile
WORKDIR /app
COPY . .
RUN npm ci
\`\`\`

Good:

\`\`\`dockerfile
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
\`\`\`

To keep the order: \`# dockhand ignore=DH606 -- reason\`.`,
  equivalents: [],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const stage of dockerfile.stages) {
      let broad: Instruction | undefined;
      const before = new Set<string>();
      for (const instruction of stage.instructions) {
        if (!broad && isBroadCopy(instruction)) {
          broad = instruction;
          continue;
        }
        if (instruction.keyword !== 'RUN') continue;
        if (
          !MENTIONS_INSTALLER.test(instruction.args) &&
          !instruction.heredocs.some((h) => MENTIONS_INSTALLER.test(h.body))
        ) {
          continue;
        }
        for (const command of runCommands(instruction)) {
          const found = installerOf(command);
          if (!found) continue;
          if (!broad) {
            before.add(found.installer.key);
            continue;
          }
          if (before.has(found.installer.key)) continue;
          before.add(found.installer.key);
          findings.push({
            line: instruction.line,
            endLine: instruction.endLine,
            message: `\`${found.text}\` runs after \`${broad.keyword} ${broad.args}\` (line ${broad.line}), so every source change reinstalls dependencies; copy ${found.installer.manifests} first, install, then copy the rest.`,
          });
          break;
        }
      }
    }
    return findings;
  },
};
