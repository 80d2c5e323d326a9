import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/output/text.js';
import { sampleResult } from './sample.js';

describe('text output', () => {
  it('groups by file, lists file errors and skipped files, ends with a summary', () => {
    expect(renderText(sampleResult(), { color: false })).toBe(
      [
        'app/Dockerfile',
        '  1  warning  DH702 base-not-digest-pinned  Pin node:20 by digest.',
        '  3  error    DH201 final-stage-root  Final stage runs as root.',
        '',
        'compose.yaml',
        '  4  file error  Nested mappings are not allowed in compact mappings',
        '',
        'web site/a#b.Dockerfile',
        '  12  info  DH607 consecutive-run  Merge RUNs.',
        '',
        'Skipped',
        '  big/Dockerfile  too-large',
        '  link.Dockerfile  symlink',
        '',
        '2 files, 2 images, 3 findings (1 error, 1 warning, 1 info)',
        '',
      ].join('\n'),
    );
  });

  it('colours severities only when asked', () => {
    const sample = sampleResult();
    expect(renderText(sample, { color: false })).not.toContain('\u001b[');
    const coloured = renderText(sample, { color: true });
    expect(coloured).toContain('\u001b[31merror  \u001b[0m');
    expect(coloured).toContain('\u001b[33mwarning\u001b[0m');
    expect(coloured).toContain('\u001b[36minfo\u001b[0m');
  });

  it('says so when there is nothing to report', () => {
    expect(renderText({ files: [], findings: [], skipped: [] }, { color: false })).toBe(
      '0 files, 0 images, 0 findings (0 errors, 0 warnings, 0 info)\n',
    );
  });
});
