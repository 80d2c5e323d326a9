import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/app/commands.js';
import { newlyTicked } from '../../src/core/dashboard.js';

describe('parseCommand', () => {
  it('reads a command that starts a line, in any case, with any spacing', () => {
    expect(parseCommand('@Dockhand  REBASE', '@dockhand')).toBe('rebase');
    expect(parseCommand('Thanks!\r\n  @dockhand ignore   this minor  \nbye', '@dockhand')).toBe(
      'ignore minor',
    );
  });

  it('takes the first command when there are several', () => {
    expect(parseCommand('@dockhand recreate\n@dockhand rebase', '@dockhand')).toBe('recreate');
  });

  it('rejects quotes, prose, unknown verbs and extra words', () => {
    for (const body of [
      '> @dockhand rebase',
      'please @dockhand rebase',
      '@dockhand merge',
      '@dockhand rebase now',
      '@dockhand ignore major',
      '@dockhand ignore this patch',
      '@dockhandbot rebase',
      '',
    ]) {
      expect(parseCommand(body, '@dockhand'), body).toBeUndefined();
    }
    expect(parseCommand(null, '@dockhand')).toBeUndefined();
  });
});

describe('newlyTicked', () => {
  it('lists lines ticked now and not before, whatever the list marker or x case', () => {
    const before = '- [ ] a\n* [ ] b\n- [x] c\n- [ ] d';
    const after = '- [X] a\n* [x] b\n- [x] c\n- [ ] d';
    expect(newlyTicked(before, after)).toEqual(['a', 'b']);
  });

  it('ignores unticking, moved lines and text that is not a checkbox', () => {
    expect(newlyTicked('- [x] a', '- [ ] a')).toEqual([]);
    expect(newlyTicked('- [x] a\n- [ ] b', '- [ ] b\n- [x] a')).toEqual([]);
    expect(newlyTicked('[ ] a', '[x] a')).toEqual([]);
    expect(newlyTicked(null, undefined)).toEqual([]);
  });
});
