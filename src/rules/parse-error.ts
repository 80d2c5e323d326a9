import type { Rule } from './types.js';

export const rule: Rule = {
  id: 'DH000',
  slug: 'parse-error',
  severity: 'error',
  enabledByDefault: true,
  title: 'The file must be a valid Dockerfile',
  docs:
    'The file could not be parsed the way BuildKit parses Dockerfiles: an unknown instruction, an instruction ' +
    'before the first `FROM`, a missing argument, an unterminated heredoc or an invalid parser directive. ' +
    '`docker build` would fail on it. Other rules still run on the instructions that could be read.',
  equivalents: ['DL1000'],
  check: (dockerfile) => dockerfile.errors.map((e) => ({ line: e.line, message: e.message })),
};
