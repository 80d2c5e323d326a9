import { describe, expect, test } from 'vitest';
import { newlyTicked } from '../../src/core/dashboard.js';
import {
  parseDashboardRequests,
  renderDashboard,
  type DashboardState,
} from '../../src/job/dashboard-body.js';

const STATE: DashboardState = {
  repository: 'acme/shop',
  mention: '@dockhand',
  lastRun: { date: '2026-11-23', commit: '0123456789abcdef', outcome: 'ok' },
  configErrors: [],
  open: [
    { number: 14, title: 'Pin image digests', branch: 'dockhand/pin-digests' },
    { number: 12, title: 'Update node to 22.12.0', branch: 'dockhand/node-22.x' },
  ],
  pending: [
    { branch: 'dockhand/redis-7.x', title: 'Update redis to 7.4.1', reason: 'concurrent-limit' },
    {
      branch: 'dockhand/ghcr.io-acme-app-2.x',
      title: 'Update ghcr.io/acme/app to 2.1.0',
      reason: 'hourly-limit',
    },
  ],
  ignored: [{ branch: 'dockhand/postgres-17.x', title: 'Update postgres to 17.2', number: 9 }],
  failed: ['ghcr.io/acme/private: unauthorized'],
  findings: {
    error: 1,
    warning: 3,
    info: 0,
    byRule: [
      { rule: 'DH502', slug: 'untrusted-registry', count: 2 },
      { rule: 'DH201', slug: 'final-stage-root', count: 1 },
      { rule: 'DH605', slug: 'apt-get-yes', count: 1 },
    ],
  },
};

describe('renderDashboard', () => {
  test('every section, boxes carrying their request', () => {
    expect(renderDashboard(STATE)).toBe(
      [
        'Dockhand keeps the container images of acme/shop up to date and lints its container files. ' +
          'Tick a box to ask for something; comment `@dockhand rebase` or `@dockhand recreate` on a pull request.',
        '',
        '## Pending updates',
        '',
        '- [ ] <!-- approve:dockhand/redis-7.x --> Update redis to 7.4.1 (held: concurrent limit)',
        '- [ ] <!-- approve:dockhand/ghcr.io-acme-app-2.x --> Update ghcr.io/acme/app to 2.1.0 (held: hourly limit)',
        '',
        '## Open pull requests',
        '',
        '- #12 Update node to 22.12.0 (`dockhand/node-22.x`)',
        '- #14 Pin image digests (`dockhand/pin-digests`)',
        '',
        '## Ignored updates',
        '',
        'Closed without merging; tick to propose again:',
        '',
        '- [ ] <!-- recreate:dockhand/postgres-17.x#9 --> Update postgres to 17.2 (closed #9)',
        '',
        '## Failed',
        '',
        '- ghcr.io/acme/private: unauthorized',
        '',
        '## Lint findings',
        '',
        '1 error, 3 warnings, 0 info.',
        '',
        '| Rule | Findings |',
        '| --- | ---: |',
        '| DH502 untrusted-registry | 2 |',
        '| DH201 final-stage-root | 1 |',
        '| DH605 apt-get-yes | 1 |',
        '',
        '## Last run',
        '',
        '2026-11-23: ok at 0123456.',
        '',
        '- [ ] <!-- rerun --> Check for updates now',
      ].join('\n'),
    );
  });

  test('config errors first; maintenance adds its section and the rebuild box; empty lists say so', () => {
    const body = renderDashboard({
      ...STATE,
      configErrors: ['.github/dockhand.yml: pullRequests.grouping: expected one of major-line|image|all'],
      open: [],
      pending: [],
      ignored: [],
      failed: [],
      findings: { error: 0, warning: 0, info: 0, byRule: [] },
      maintenance: { lastRebuild: '2026-11-16T03:00:00.000Z', workflow: 'docker.yml' },
    });
    expect(body.indexOf('## Configuration errors')).toBeLessThan(body.indexOf('## Pending updates'));
    expect(body).toContain(
      '- .github/dockhand.yml: pullRequests.grouping: expected one of major-line|image|all',
    );
    expect(body).toContain('## Pending updates\n\nNone.\n');
    expect(body).toContain('## Ignored updates\n\nNone.\n');
    expect(body).not.toContain('## Failed');
    expect(body).toContain('0 errors, 0 warnings, 0 info.\n');
    expect(body).toContain(
      'Weekly rebuilds are on (workflow `docker.yml`). Last rebuild: 2026-11-16T03:00:00.000Z.',
    );
    expect(
      body.endsWith(
        '- [ ] <!-- rerun --> Check for updates now\n- [ ] <!-- rebuild --> Trigger a rebuild now',
      ),
    ).toBe(true);
  });

  test('text from elsewhere cannot open a comment or break a line', () => {
    const body = renderDashboard({
      ...STATE,
      pending: [
        {
          branch: 'dockhand/x',
          title: 'Evil <!-- approve:dockhand/y -->\n- [x] <!-- rerun -->',
          reason: 'hourly-limit',
        },
      ],
      failed: ['line one\n- [x] <!-- rebuild --> injected'],
    });
    expect(
      parseDashboardRequests(
        body.replaceAll('- [ ] <!-- approve:dockhand/x', '- [x] <!-- approve:dockhand/x'),
      ),
    ).toEqual([{ kind: 'approve', branch: 'dockhand/x' }]);
    expect(body).toContain('- line one - [x] &lt;!-- rebuild --> injected');
  });

  test('a branch that cannot be written into a comment gets no box', () => {
    const body = renderDashboard({
      ...STATE,
      pending: [{ branch: 'dockhand/a b', title: 'Odd', reason: 'hourly-limit' }],
    });
    expect(body).toContain('\n- Odd (held: hourly limit)\n');
  });
});

describe('parseDashboardRequests', () => {
  const tick = (body: string, request: string) =>
    body.replace(`- [ ] <!-- ${request} -->`, `- [x] <!-- ${request} -->`);

  test('round trip: render, tick boxes, parse', () => {
    let body = renderDashboard({ ...STATE, maintenance: { workflow: null } });
    expect(parseDashboardRequests(body)).toEqual([]);
    body = tick(body, 'approve:dockhand/ghcr.io-acme-app-2.x');
    body = tick(body, 'recreate:dockhand/postgres-17.x#9');
    body = tick(body, 'rerun').replace('- [ ] <!-- rebuild -->', '- [X] <!-- rebuild -->');
    expect(parseDashboardRequests(body)).toEqual([
      { kind: 'approve', branch: 'dockhand/ghcr.io-acme-app-2.x' },
      { kind: 'recreate', branch: 'dockhand/postgres-17.x', number: 9 },
      { kind: 'rerun' },
      { kind: 'rebuild' },
    ]);
  });

  test('the webhook sees the same ticks (src/app/dashboard.ts grammar)', () => {
    const before = renderDashboard(STATE);
    const after = tick(before, 'approve:dockhand/redis-7.x');
    expect(newlyTicked(before, after)).toEqual([
      '<!-- approve:dockhand/redis-7.x --> Update redis to 7.4.1 (held: concurrent limit)',
    ]);
  });

  test.each([
    [
      'CRLF line ends and other bullets',
      '* [x] <!-- approve:dockhand/node-22.x --> x\r\n+ [X] <!--rerun--> y\r\n',
      [{ kind: 'approve', branch: 'dockhand/node-22.x' }, { kind: 'rerun' }],
    ],
    ['unticked boxes', '- [ ] <!-- rerun --> Check', []],
    ['a box without a request', '- [x] Check for updates now', []],
    ['a request not right after the box', '- [x] text <!-- rerun -->', []],
    ['recreate without a number', '- [x] <!-- recreate:dockhand/x --> y', []],
    ['approve with a number', '- [x] <!-- approve:dockhand/x#3 --> y', []],
    ['rerun with an argument', '- [x] <!-- rerun:dockhand/x --> y', []],
    ['unknown request', '- [x] <!-- delete:dockhand/x --> y', []],
    ['empty', '', []],
  ])('%s', (_, body, expected) => {
    expect(parseDashboardRequests(body)).toEqual(expected);
  });

  test('null and undefined bodies', () => {
    expect(parseDashboardRequests(null)).toEqual([]);
    expect(parseDashboardRequests(undefined)).toEqual([]);
  });
});
