// Writes docs/rules.md from the compiled rule catalog (`npm run docs` builds first).
import { writeFileSync } from 'node:fs';
import { rules } from '../dist/rules/index.js';
import { renderRulesMarkdown } from '../dist/rules/docs.js';

writeFileSync(new URL('../docs/rules.md', import.meta.url), renderRulesMarkdown(rules));
