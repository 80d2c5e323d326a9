import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { unifiedDiff } from '../../src/edit/diff.js';

describe('unifiedDiff', () => {
  test('no change, no diff', () => {
    expect(unifiedDiff('Dockerfile', 'FROM a\n', 'FROM a\n')).toBe('');
  });

  test('one hunk with context', () => {
    const before = 'l1\nl2\nl3\nl4\nFROM node:20\nl6\nl7\nl8\nl9\n';
    const after = before.replace('node:20', 'node:22');
    expect(unifiedDiff('app/Dockerfile', before, after)).toBe(
      [
        '--- a/app/Dockerfile',
        '+++ b/app/Dockerfile',
        '@@ -2,7 +2,7 @@',
        ' l2',
        ' l3',
        ' l4',
        '-FROM node:20',
        '+FROM node:22',
        ' l6',
        ' l7',
        ' l8',
        '',
      ].join('\n'),
    );
  });

  test('git apply accepts it: far-apart changes in separate hunks, near ones merged', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const before = lines.join('\n') + '\n';
    const changed = [...lines];
    changed[1] = 'FROM a:2';
    changed[4] = 'FROM b:2';
    changed[25] = 'FROM c:2';
    const after = changed.join('\n') + '\n';
    const diff = unifiedDiff('f', before, after);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    const dir = mkdtempSync(join(tmpdir(), 'dockhand-diff-'));
    writeFileSync(join(dir, 'f'), before);
    writeFileSync(join(dir, 'f.patch'), diff);
    execFileSync('git', ['apply', 'f.patch'], { cwd: dir });
    expect(execFileSync('cat', [join(dir, 'f')], { encoding: 'utf8' })).toBe(after);
  });
});
