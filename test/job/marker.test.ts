import { describe, expect, test } from 'vitest';
import { parseMarker, renderMarker, withMarker } from '../../src/job/marker.js';
import type { PullMarker } from '../../src/job/types.js';

const FULL: PullMarker = {
  branch: 'dockhand/node-22.x',
  fingerprint: 'docker.io/library/node:22.12.0',
  commit: 'a'.repeat(40),
  base: 'b'.repeat(40),
  ignore: { scope: 'minor', image: 'docker.io/library/node', version: '22.12' },
  notified: true,
  recreated: false,
  closedBy: 'dockhand',
};

describe('marker', () => {
  test('renders one HTML comment', () => {
    expect(renderMarker({ branch: 'dockhand/digests', fingerprint: 'x' })).toBe(
      '<!-- dockhand:pr {"branch":"dockhand/digests","fingerprint":"x"} -->',
    );
  });

  test.each<[string, PullMarker]>([
    ['minimal', { branch: 'dockhand/pin-digests', fingerprint: 'docker.io/library/redis:7.2@pin' }],
    ['every field', FULL],
    [
      'comment end inside values',
      { branch: 'a-->b', fingerprint: '--> <!-- dockhand:pr {"branch":"evil"} -->' },
    ],
    ['markup and quotes', { branch: '<script>alert("x")</script>', fingerprint: 'a & b \\ "c" `d`\n|e|' }],
    ['unicode line separators', { branch: 'x\u2028y\u2029z', fingerprint: '🐳' }],
  ])('round trip: %s', (_, marker) => {
    const rendered = renderMarker(marker);
    expect(rendered.indexOf('-->')).toBe(rendered.length - 3);
    expect(rendered.slice(4)).not.toContain('<');
    expect(parseMarker(`Some text\n\n${rendered}\n`)).toEqual(marker);
  });

  test.each<[string, string | null | undefined]>([
    ['null body', null],
    ['undefined body', undefined],
    ['no marker', 'Updates node.'],
    ['broken JSON', '<!-- dockhand:pr {"branch": -->'],
    ['not an object', '<!-- dockhand:pr ["dockhand/x"] -->'],
    ['missing fingerprint', '<!-- dockhand:pr {"branch":"dockhand/x"} -->'],
    ['wrong type', '<!-- dockhand:pr {"branch":"dockhand/x","fingerprint":"f","notified":"yes"} -->'],
    [
      'unknown ignore scope',
      '<!-- dockhand:pr {"branch":"b","fingerprint":"f","ignore":{"scope":"all","image":"i"}} -->',
    ],
    ['unknown closer', '<!-- dockhand:pr {"branch":"b","fingerprint":"f","closedBy":"bot"} -->'],
    ['unterminated', 'text <!-- dockhand:pr {"branch":"b","fingerprint":"f"}'],
  ])('%s → null', (_, body) => {
    expect(parseMarker(body)).toBeNull();
  });

  test('unknown fields are dropped, whitespace tolerated', () => {
    expect(parseMarker('<!--dockhand:pr\n{"branch":"b","fingerprint":"f","extra":1}\n-->')).toEqual({
      branch: 'b',
      fingerprint: 'f',
    });
  });

  test('the last well-formed marker wins (a garbled later one is skipped)', () => {
    const body = [
      renderMarker({ branch: 'b', fingerprint: 'old' }),
      renderMarker({ branch: 'b', fingerprint: 'new' }),
      '<!-- dockhand:pr {garbled -->',
    ].join('\n');
    expect(parseMarker(body)).toEqual({ branch: 'b', fingerprint: 'new' });
  });

  test('withMarker replaces every marker and puts the new one last', () => {
    const body = `Intro\n\n${renderMarker({ branch: 'b', fingerprint: 'old' })}\n\nA note a person added.\n`;
    const updated = withMarker(body, { branch: 'b', fingerprint: 'new', notified: true });
    expect(updated).toBe(
      'Intro\n\nA note a person added.\n\n<!-- dockhand:pr {"branch":"b","fingerprint":"new","notified":true} -->',
    );
    expect(parseMarker(updated)).toEqual({ branch: 'b', fingerprint: 'new', notified: true });
  });

  test('withMarker on an empty body is the marker alone', () => {
    expect(withMarker(null, { branch: 'b', fingerprint: 'f' })).toBe(
      renderMarker({ branch: 'b', fingerprint: 'f' }),
    );
  });
});
