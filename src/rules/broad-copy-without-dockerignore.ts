import { linearRegExp, type LinearRegExp } from '../core/linear-regex.js';
import type { Instruction } from '../dockerfile/types.js';
import type { Rule, RuleFinding } from './types.js';

/** Sources that copy the whole build context. */
const WHOLE_CONTEXT = new Set(['.', './', '.\\']);
/** Paths that must be excluded, with how to name them in messages. */
const MUST_EXCLUDE: { label: string; paths: string[] }[] = [
  { label: '.git', paths: ['.git'] },
  { label: '.env*', paths: ['.env', '.env.local', '.env.production'] },
];

export const rule: Rule = {
  id: 'DH102',
  slug: 'broad-copy-without-dockerignore',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Exclude .git and .env files before copying the whole build context',
  docs: `\`COPY . …\` copies everything in the build context into the image, including the \`.git\` directory (the
full history, sometimes with credentials in \`.git/config\`) and local \`.env\` files with secrets, unless a
\`.dockerignore\` next to the context excludes them. They also invalidate the layer cache on every commit.

The rule reports \`COPY .\`/\`ADD .\` (also \`./\`) from the build context — not \`COPY --from=…\` — when the
context has no \`.dockerignore\`, or when its patterns leave \`.git\` or \`.env*\` files in. Patterns are read
the way Docker does: one per line, \`#\` comments, \`!\` re-includes, \`*\`, \`?\` and \`**\`, the last matching line
wins. It only runs when the scanner knows the build context (a Dockerfile scanned on its own is skipped).

Bad: \`COPY . /app\` with no \`.dockerignore\`.

Good, a \`.dockerignore\` next to the Dockerfile:

\`\`\`text
.git
.env*
node_modules
\`\`\`

To keep it: \`# dockhand ignore=DH102 -- context is a generated directory\`.`,
  equivalents: [],
  check(dockerfile, context) {
    if (context.dockerignore === undefined) return [];
    const broad = dockerfile.instructions.filter(copiesWholeContext);
    if (broad.length === 0) return [];
    let problem: string;
    if (context.dockerignore === null) {
      problem = 'there is no .dockerignore; add one that excludes .git and .env*';
    } else {
      const patterns = parseDockerignore(context.dockerignore);
      const missing = MUST_EXCLUDE.filter(({ paths }) => paths.some((p) => !isExcluded(patterns, p))).map(
        (m) => m.label,
      );
      if (missing.length === 0) return [];
      problem = `.dockerignore does not exclude ${missing.join(' and ')}; add ${missing.map((m) => `\`${m}\``).join(' and ')} to it`;
    }
    return broad.map((instruction) => ({
      line: instruction.line,
      message: `\`${instruction.keyword} ${wholeContextSource(instruction)} …\` copies the whole build context but ${problem}.`,
    })) satisfies RuleFinding[];
  },
};

function copiesWholeContext(instruction: Instruction): boolean {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return false;
  if (instruction.flags.some((f) => f.name === 'from')) return false;
  return wholeContextSource(instruction) !== undefined;
}

function wholeContextSource(instruction: Instruction): string | undefined {
  const words = instruction.json ?? instruction.words.map((w) => w.text.replace(/^(["'])(.*)\1$/, '$2'));
  return words.slice(0, -1).find((w) => WHOLE_CONTEXT.has(w));
}

export interface IgnorePattern {
  regex: LinearRegExp;
  negated: boolean;
}

/** `.dockerignore` lines → patterns, in order (Docker's syntax: Go filepath.Match plus `**`). */
export function parseDockerignore(content: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  for (const raw of content.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1).trim();
    line = line
      .replace(/^\/+/, '')
      .replace(/\/+$/, '')
      .replace(/^(\.\/)+/, '');
    if (line === '' || line === '.') continue;
    patterns.push({ regex: globToRegex(line), negated });
  }
  return patterns;
}

function globToRegex(glob: string): LinearRegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      // `**/` matches any number of directories (including none); a trailing `**` matches everything.
      i++;
      if (glob[i + 1] === '/') {
        i++;
        out += '(?:.*/)?';
      } else out += '.*';
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        out += `[${glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (ch === '\\' && i + 1 < glob.length) out += escapeRegex(glob[++i]!);
    else out += escapeRegex(ch);
  }
  // A pattern that matches a directory also excludes everything inside it.
  return linearRegExp(`^${out}(?:/.*)?$`);
}

function escapeRegex(ch: string): string {
  return /[.+^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** Whether a context path is excluded: the last pattern that matches it decides. */
export function isExcluded(patterns: IgnorePattern[], path: string): boolean {
  let excluded = false;
  for (const p of patterns) if (p.regex.test(path)) excluded = !p.negated;
  return excluded;
}
