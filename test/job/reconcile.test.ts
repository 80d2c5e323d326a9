import { describe, expect, test } from 'vitest';
import type { PullRequestSettings } from '../../src/config/schema.js';
import type { DependencyUpdate, PackageFile } from '../../src/core/types.js';
import { planBranches } from '../../src/job/branches.js';
import { renderMarker } from '../../src/job/marker.js';
import { reconcile, type Action, type ReconcileInput } from '../../src/job/reconcile.js';
import type { BranchPlan, IgnoreMarker, PullMarker, PullRequest } from '../../src/job/types.js';
import { manager } from '../../src/managers/dockerfile/index.js';

const SETTINGS: PullRequestSettings = {
  grouping: 'major-line',
  labels: ['dependencies'],
  prConcurrentLimit: 10,
  prHourlyLimit: 0,
  rebaseWhen: 'behind-base-branch',
};
const NOW = Date.parse('2026-11-23T12:00:00Z');
const BASE = 'base'.padEnd(40, '0');
const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const minor = (newValue: string): DependencyUpdate => ({ type: 'minor', newValue, newDigest: null });
const major = (newValue: string): DependencyUpdate => ({ type: 'major', newValue, newDigest: null });

function file(text: string, updates: Record<string, DependencyUpdate[]>): PackageFile {
  const deps = manager
    .extract(text, 'Dockerfile')
    .deps.map((dep) => ({ ...dep, updates: updates[dep.value] ?? [] }));
  return { path: 'Dockerfile', manager: 'dockerfile', deps };
}

/** node:22.1.0 → 22.12.0 (dockhand/node-22.x), redis:7.2 → 7.4.1 (dockhand/redis-7.x), nginx pin. */
const PLANS = planBranches(
  [
    file('FROM node:22.1.0\nFROM redis:7.2\nFROM nginx:1.27\n', {
      'node:22.1.0': [minor('22.12.0')],
      'redis:7.2': [minor('7.4.1')],
      'nginx:1.27': [{ type: 'pin', newValue: null, newDigest: d(1) }],
    }),
  ],
  SETTINGS,
);
const plan = (branch: string): BranchPlan => PLANS.find((p) => p.branch === branch)!;
const NODE = plan('dockhand/node-22.x');
const REDIS = plan('dockhand/redis-7.x');
const PINS = plan('dockhand/pin-digests');

interface PullSpec {
  number: number;
  head: string;
  state?: 'open' | 'closed';
  merged?: boolean;
  marker?: Partial<PullMarker> | null;
  headSha?: string;
  createdAt?: string;
}

/** A Dockhand PR: by default open, current (same fingerprint, base and head as Dockhand left them). */
function pull(spec: PullSpec): PullRequest {
  const existing = PLANS.find((p) => p.branch === spec.head);
  const marker: PullMarker = {
    branch: spec.head,
    fingerprint: existing?.fingerprint ?? `docker.io/library/${spec.head.slice('dockhand/'.length)}:1.0`,
    commit: `commit-${spec.number}`,
    base: BASE,
    ...spec.marker,
  };
  return {
    number: spec.number,
    state: spec.state ?? 'open',
    merged: spec.merged ?? false,
    title: `PR ${spec.number}`,
    body: spec.marker === null ? 'A person wrote this.' : `Body\n\n${renderMarker(marker)}`,
    head: spec.head,
    headSha: spec.headSha ?? `commit-${spec.number}`,
    base: 'main',
    createdAt: spec.createdAt ?? '2026-11-01T00:00:00Z',
    closedAt: spec.state === 'closed' ? '2026-11-02T00:00:00Z' : null,
    labels: [],
    nodeId: `PR_${spec.number}`,
    mergeableState: null,
    autoMerge: false,
  };
}

function run(input: Partial<ReconcileInput>): Action[] {
  return reconcile({
    plans: PLANS,
    pulls: [],
    baseSha: BASE,
    settings: SETTINGS,
    now: NOW,
    erroredImages: new Set(),
    ...input,
  });
}

/** Actions as short lines: `create dockhand/node-22.x`, `close #4 superseded by dockhand/x`… */
function summary(actions: Action[]): string[] {
  return actions.map((a) => {
    switch (a.kind) {
      case 'create':
        return `create ${a.plan.branch}${a.recreateOf ? ` recreating #${a.recreateOf}` : ''}`;
      case 'update':
        return `update #${a.pull.number} ${a.reason}`;
      case 'keep':
        return `keep #${a.pull.number} ${a.reason}${a.plan ? '' : ' (no plan)'}`;
      case 'close':
        return `close #${a.pull.number} ${a.reason}${a.by ? ` by ${a.by}` : ''}`;
      case 'ignored':
        return `ignored ${a.plan.branch} by #${a.pull.number}`;
      case 'notify':
        return `notify #${a.pull.number}`;
      case 'pending':
        return `pending ${a.plan.branch} ${a.reason}`;
    }
  });
}

describe('reconcile', () => {
  test('first run: every plan is created, in branch order', () => {
    expect(summary(run({ plans: [...PLANS].reverse() }))).toEqual([
      'create dockhand/node-22.x',
      'create dockhand/pin-digests',
      'create dockhand/redis-7.x',
    ]);
  });

  test('a rerun with nothing changed keeps every PR', () => {
    const pulls = PLANS.map((p, i) => pull({ number: i + 1, head: p.branch }));
    expect(summary(run({ pulls }))).toEqual([
      'keep #1 up-to-date',
      'keep #2 up-to-date',
      'keep #3 up-to-date',
    ]);
  });

  test.each<[string, Partial<PullSpec>, Partial<ReconcileInput>, string]>([
    ['newer version', { marker: { fingerprint: 'docker.io/library/node:22.11.0' } }, {}, 'update #7 changed'],
    ['base moved', { marker: { base: 'old-base' } }, {}, 'update #7 behind'],
    [
      'base moved, rebaseWhen conflicted',
      { marker: { base: 'old-base' } },
      { settings: { ...SETTINGS, rebaseWhen: 'conflicted' } },
      'keep #7 up-to-date',
    ],
    [
      'base moved, rebaseWhen never',
      { marker: { base: 'old-base' } },
      { settings: { ...SETTINGS, rebaseWhen: 'never' } },
      'keep #7 up-to-date',
    ],
    [
      'newer version, rebaseWhen conflicted',
      { marker: { fingerprint: 'x' } },
      { settings: { ...SETTINGS, rebaseWhen: 'conflicted' } },
      'update #7 changed',
    ],
    [
      'someone pushed',
      { headSha: 'user-commit', marker: { base: 'old-base' } },
      {},
      'keep #7 pushed-by-others',
    ],
    [
      'someone pushed, newer version',
      { headSha: 'user-commit', marker: { fingerprint: 'x' } },
      {},
      'keep #7 pushed-by-others',
    ],
    [
      'someone pushed, rebase command',
      { headSha: 'user-commit' },
      { command: { kind: 'rebase', number: 7 } },
      'update #7 command',
    ],
    ['rebase command on another PR', {}, { command: { kind: 'rebase', number: 8 } }, 'keep #7 up-to-date'],
    ['marker without a commit', { marker: { commit: undefined } }, {}, 'keep #7 up-to-date'],
  ])('open PR on the planned branch: %s', (_, spec, input, expected) => {
    const actions = run({
      plans: [NODE],
      pulls: [pull({ number: 7, head: NODE.branch, ...spec })],
      ...input,
    });
    expect(summary(actions)).toEqual([expected]);
  });

  test('an update carries the PR and its marker', () => {
    const open = pull({ number: 7, head: NODE.branch, marker: { base: 'old-base' } });
    const [action] = run({ plans: [NODE], pulls: [open] });
    expect(action).toEqual({
      kind: 'update',
      plan: NODE,
      pull: open,
      marker: { branch: NODE.branch, fingerprint: NODE.fingerprint, commit: 'commit-7', base: 'old-base' },
      reason: 'behind',
    });
  });

  test('a PR the user closed unmerged is not recreated, and gets one comment', () => {
    const closed = pull({ number: 4, head: NODE.branch, state: 'closed' });
    expect(summary(run({ plans: [NODE], pulls: [closed] }))).toEqual([
      'ignored dockhand/node-22.x by #4',
      'notify #4',
    ]);
    const notified = pull({ number: 4, head: NODE.branch, state: 'closed', marker: { notified: true } });
    expect(summary(run({ plans: [NODE], pulls: [notified] }))).toEqual(['ignored dockhand/node-22.x by #4']);
  });

  test('a newer proposal on the branch of a closed PR is created (the refusal was for that version)', () => {
    const closed = pull({
      number: 4,
      head: NODE.branch,
      state: 'closed',
      marker: { fingerprint: 'docker.io/library/node:22.11.0', notified: true },
    });
    expect(summary(run({ plans: [NODE], pulls: [closed] }))).toEqual(['create dockhand/node-22.x']);
  });

  test('recreate: the command on the closed PR brings the proposal back, past the limits', () => {
    const closed = pull({ number: 4, head: NODE.branch, state: 'closed', marker: { notified: true } });
    const full = { ...SETTINGS, prConcurrentLimit: 1 };
    const other = pull({ number: 9, head: REDIS.branch });
    const actions = run({
      plans: [NODE, REDIS],
      pulls: [closed, other],
      settings: full,
      command: { kind: 'recreate', number: 4 },
    });
    expect(summary(actions)).toEqual(['create dockhand/node-22.x recreating #4', 'keep #9 up-to-date']);
    expect(summary(run({ plans: [NODE], pulls: [closed], recreate: new Set([4]) }))).toEqual([
      'create dockhand/node-22.x recreating #4',
    ]);
  });

  test('a recreated PR blocks nothing and is not notified', () => {
    const closed = pull({ number: 4, head: NODE.branch, state: 'closed', marker: { recreated: true } });
    expect(summary(run({ plans: [NODE], pulls: [closed] }))).toEqual(['create dockhand/node-22.x']);
  });

  test('recreated, then closed again: the newer closed PR refuses it', () => {
    const first = pull({
      number: 4,
      head: NODE.branch,
      state: 'closed',
      marker: { recreated: true, notified: true },
    });
    const second = pull({ number: 12, head: NODE.branch, state: 'closed', marker: { notified: true } });
    expect(summary(run({ plans: [NODE], pulls: [first, second] }))).toEqual([
      'ignored dockhand/node-22.x by #12',
    ]);
  });

  test('PRs Dockhand closed itself block nothing and are not notified', () => {
    const closed = pull({ number: 4, head: NODE.branch, state: 'closed', marker: { closedBy: 'dockhand' } });
    expect(summary(run({ plans: [NODE], pulls: [closed] }))).toEqual(['create dockhand/node-22.x']);
  });

  test('merged PRs are history: neither a refusal nor a notification', () => {
    const merged = pull({ number: 4, head: NODE.branch, state: 'closed', merged: true });
    expect(summary(run({ plans: [NODE], pulls: [merged] }))).toEqual(['create dockhand/node-22.x']);
  });

  describe('ignore scopes', () => {
    // node:20.11.0 with a major (22.12.0) and a minor (20.18.1): two branches.
    const lines = planBranches(
      [file('FROM node:20.11.0\n', { 'node:20.11.0': [major('22.12.0'), minor('20.18.1')] })],
      SETTINGS,
    );
    const closedWith = (ignore: IgnoreMarker) =>
      pull({
        number: 30,
        head: 'dockhand/node-old',
        state: 'closed',
        marker: { fingerprint: 'unrelated', ignore, notified: true },
      });
    const node = 'docker.io/library/node';

    test.each<[string, IgnoreMarker, string[]]>([
      [
        'image',
        { scope: 'image', image: node },
        ['ignored dockhand/node-20.x by #30', 'ignored dockhand/node-22.x by #30'],
      ],
      [
        'other image',
        { scope: 'image', image: 'docker.io/library/redis' },
        ['create dockhand/node-20.x', 'create dockhand/node-22.x'],
      ],
      [
        'major 22',
        { scope: 'major', image: node, version: '22' },
        ['create dockhand/node-20.x', 'ignored dockhand/node-22.x by #30'],
      ],
      [
        'major 20',
        { scope: 'major', image: node, version: '20' },
        ['ignored dockhand/node-20.x by #30', 'create dockhand/node-22.x'],
      ],
      [
        'minor 20.18',
        { scope: 'minor', image: node, version: '20.18' },
        ['ignored dockhand/node-20.x by #30', 'create dockhand/node-22.x'],
      ],
      [
        'minor 20.17',
        { scope: 'minor', image: node, version: '20.17' },
        ['create dockhand/node-20.x', 'create dockhand/node-22.x'],
      ],
      [
        'version 22.12.0',
        { scope: 'version', image: node, version: '22.12.0' },
        ['create dockhand/node-20.x', 'ignored dockhand/node-22.x by #30'],
      ],
      [
        'version 22.12',
        { scope: 'version', image: node, version: '22.12' },
        ['create dockhand/node-20.x', 'create dockhand/node-22.x'],
      ],
    ])('%s', (_, ignore, expected) => {
      expect(summary(run({ plans: lines, pulls: [closedWith(ignore)] }))).toEqual(expected);
    });

    test('a version scope does not cover digest pins; the image scope does', () => {
      const pins = planBranches(
        [file('FROM node:22\n', { 'node:22': [{ type: 'pin', newValue: null, newDigest: d(2) }] })],
        SETTINGS,
      );
      const major22 = closedWith({ scope: 'major', image: node, version: '22' });
      expect(summary(run({ plans: pins, pulls: [major22] }))).toEqual(['create dockhand/pin-digests']);
      const image = closedWith({ scope: 'image', image: node });
      expect(summary(run({ plans: pins, pulls: [image] }))).toEqual(['ignored dockhand/pin-digests by #30']);
    });

    test('a recreate command on the ignoring PR lifts it', () => {
      const ignoring = closedWith({ scope: 'image', image: node });
      expect(
        summary(run({ plans: lines, pulls: [ignoring], command: { kind: 'recreate', number: 30 } })),
      ).toEqual(['create dockhand/node-20.x recreating #30', 'create dockhand/node-22.x recreating #30']);
    });

    test('an `all` branch is ignored only when every change is covered', () => {
      const all = planBranches(
        [
          file('FROM node:22.1.0\nFROM redis:7.2\n', {
            'node:22.1.0': [minor('22.12.0')],
            'redis:7.2': [minor('7.4.1')],
          }),
        ],
        { ...SETTINGS, grouping: 'all' },
      );
      const nodeIgnored = closedWith({ scope: 'image', image: node });
      expect(summary(run({ plans: all, pulls: [nodeIgnored] }))).toEqual(['create dockhand/all']);
      const redisIgnored = pull({
        number: 31,
        head: 'dockhand/redis-old',
        state: 'closed',
        marker: {
          fingerprint: 'unrelated',
          ignore: { scope: 'image', image: 'docker.io/library/redis' },
          notified: true,
        },
      });
      expect(summary(run({ plans: all, pulls: [nodeIgnored, redisIgnored] }))).toEqual([
        'ignored dockhand/all by #31',
      ]);
    });
  });

  describe('closing', () => {
    test('superseded: another plan now carries the same image', () => {
      const old = pull({
        number: 3,
        head: 'dockhand/node-20.x',
        marker: { fingerprint: 'docker.io/library/node:20.18.1' },
      });
      expect(summary(run({ plans: [NODE], pulls: [old] }))).toEqual([
        'close #3 superseded by dockhand/node-22.x',
        'create dockhand/node-22.x',
      ]);
    });

    test('superseded by a change of grouping', () => {
      const image = planBranches([file('FROM node:22.1.0\n', { 'node:22.1.0': [minor('22.12.0')] })], {
        ...SETTINGS,
        grouping: 'image',
      });
      const old = pull({ number: 3, head: 'dockhand/node-22.x' });
      expect(summary(run({ plans: image, pulls: [old] }))).toEqual([
        'close #3 superseded by dockhand/node',
        'create dockhand/node',
      ]);
    });

    test('obsolete: nothing wants the image any more', () => {
      const old = pull({
        number: 3,
        head: 'dockhand/postgres-16.x',
        marker: { fingerprint: 'docker.io/library/postgres:16.6' },
      });
      expect(summary(run({ plans: [NODE], pulls: [old] }))).toEqual([
        'close #3 obsolete',
        'create dockhand/node-22.x',
      ]);
    });

    test('a PR of an image whose lookup failed stays open', () => {
      const old = pull({
        number: 3,
        head: 'dockhand/postgres-16.x',
        marker: { fingerprint: 'docker.io/library/postgres:16.6' },
      });
      const actions = run({
        plans: [NODE],
        pulls: [old],
        erroredImages: new Set(['docker.io/library/postgres']),
      });
      expect(summary(actions)).toEqual(['keep #3 lookup-failed (no plan)', 'create dockhand/node-22.x']);
    });

    test('the pin branch with one errored image among several stays open', () => {
      const pins = pull({
        number: 5,
        head: 'dockhand/pin-digests',
        marker: { fingerprint: 'docker.io/library/nginx:1.27@pin ghcr.io/acme/app:1.0@pin' },
      });
      expect(
        summary(run({ plans: [], pulls: [pins], erroredImages: new Set(['ghcr.io/acme/app']) })),
      ).toEqual(['keep #5 lookup-failed (no plan)']);
      expect(summary(run({ plans: [], pulls: [pins] }))).toEqual(['close #5 obsolete']);
    });

    test('closed PRs and PRs without a marker are never closed', () => {
      const foreign = pull({ number: 6, head: 'dockhand/postgres-16.x', marker: null });
      const closed = pull({
        number: 7,
        head: 'dockhand/mysql-8.x',
        state: 'closed',
        marker: { notified: true },
      });
      expect(summary(run({ plans: [], pulls: [foreign, closed] }))).toEqual([]);
    });

    test('an open PR without a marker on a planned branch: the branch is left alone', () => {
      const foreign = pull({ number: 6, head: NODE.branch, marker: null });
      expect(summary(run({ plans: [NODE], pulls: [foreign] }))).toEqual([]);
    });
  });

  describe('limits', () => {
    const many = planBranches(
      [
        file('FROM alpine:3.19\nFROM node:22.1.0\nFROM postgres:16.1\nFROM python:3.12.1\nFROM redis:7.2\n', {
          'alpine:3.19': [minor('3.21')],
          'node:22.1.0': [minor('22.12.0')],
          'postgres:16.1': [minor('16.6')],
          'python:3.12.1': [minor('3.12.8')],
          'redis:7.2': [minor('7.4.1')],
        }),
      ],
      SETTINGS,
    );

    test('concurrent limit counts open Dockhand PRs after closes', () => {
      const open = [
        pull({
          number: 1,
          head: 'dockhand/alpine-3.x',
          marker: { fingerprint: 'docker.io/library/alpine:3.21' },
        }),
        pull({
          number: 2,
          head: 'dockhand/mysql-8.x',
          marker: { fingerprint: 'docker.io/library/mysql:8.4' },
        }),
      ];
      const [alpine] = many;
      const actions = run({
        plans: many,
        pulls: [...open],
        settings: { ...SETTINGS, prConcurrentLimit: 3 },
      });
      expect(alpine!.fingerprint).toBe('docker.io/library/alpine:3.21');
      expect(summary(actions)).toEqual([
        'close #2 obsolete',
        'keep #1 up-to-date',
        'create dockhand/node-22.x',
        'create dockhand/postgres-16.x',
        'pending dockhand/python-3.x concurrent-limit',
        'pending dockhand/redis-7.x concurrent-limit',
      ]);
    });

    test('hourly limit counts Dockhand PRs opened in the last hour, whatever their state', () => {
      const recent = [
        pull({
          number: 1,
          head: 'dockhand/mysql-8.x',
          state: 'closed',
          merged: true,
          createdAt: '2026-11-23T11:30:00Z',
        }),
        pull({
          number: 2,
          head: 'dockhand/ruby-3.x',
          state: 'closed',
          merged: true,
          createdAt: '2026-11-23T10:59:00Z',
        }),
        pull({ number: 3, head: 'dockhand/go-1.x', marker: null, createdAt: '2026-11-23T11:50:00Z' }),
      ];
      const actions = run({ plans: many, pulls: recent, settings: { ...SETTINGS, prHourlyLimit: 3 } });
      expect(summary(actions)).toEqual([
        'create dockhand/alpine-3.x',
        'create dockhand/node-22.x',
        'pending dockhand/postgres-16.x hourly-limit',
        'pending dockhand/python-3.x hourly-limit',
        'pending dockhand/redis-7.x hourly-limit',
      ]);
    });

    test('approved branches bypass the limits and still count', () => {
      const actions = run({
        plans: many,
        settings: { ...SETTINGS, prConcurrentLimit: 2 },
        approved: new Set(['dockhand/python-3.x', 'dockhand/redis-7.x']),
      });
      expect(summary(actions)).toEqual([
        'create dockhand/alpine-3.x',
        'create dockhand/node-22.x',
        'pending dockhand/postgres-16.x concurrent-limit',
        'create dockhand/python-3.x',
        'create dockhand/redis-7.x',
      ]);
    });

    test('0 means no limit', () => {
      const actions = run({ plans: many, settings: { ...SETTINGS, prConcurrentLimit: 0, prHourlyLimit: 0 } });
      expect(actions.every((a) => a.kind === 'create')).toBe(true);
      expect(actions).toHaveLength(5);
    });
  });

  test('notifications come last, oldest PR first; Dockhand-closed and merged ones are skipped', () => {
    const pulls = [
      pull({ number: 9, head: 'dockhand/mysql-8.x', state: 'closed' }),
      pull({ number: 2, head: 'dockhand/ruby-3.x', state: 'closed' }),
      pull({ number: 5, head: 'dockhand/go-1.x', state: 'closed', marker: { closedBy: 'dockhand' } }),
      pull({ number: 6, head: 'dockhand/php-8.x', state: 'closed', merged: true }),
      pull({ number: 8, head: 'dockhand/perl-5.x', state: 'closed', marker: { closedBy: 'user' } }),
    ];
    expect(summary(run({ plans: [PINS], pulls }))).toEqual([
      'create dockhand/pin-digests',
      'notify #2',
      'notify #8',
      'notify #9',
    ]);
  });
});
