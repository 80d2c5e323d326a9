import type { ScanResult } from '../../src/scan/scan.js';

/** A small scan result covering every field the renderers print. */
export function sampleResult(): ScanResult {
  return {
    files: [
      {
        path: 'app/Dockerfile',
        manager: 'dockerfile',
        deps: [
          {
            depName: 'docker.io/library/node',
            registry: 'docker.io',
            repository: 'library/node',
            tag: '20',
            digest: null,
            value: 'node:20',
            line: 1,
            source: 'from',
            tagRange: { start: 9, end: 12 },
            digestRange: { start: 12, end: 12 },
            stage: 'build',
            platform: 'linux/amd64',
          },
          {
            depName: '${BASE}',
            registry: null,
            repository: null,
            tag: null,
            digest: null,
            value: '${BASE}',
            line: 2,
            source: 'from',
            arg: 'BASE',
            skipReason: 'unresolved-variable',
          },
        ],
      },
      {
        path: 'compose.yaml',
        manager: 'compose',
        deps: [],
        errors: [{ line: 4, message: 'Nested mappings are not allowed in compact mappings' }],
      },
    ],
    findings: [
      {
        rule: 'DH702',
        slug: 'base-not-digest-pinned',
        severity: 'warning',
        path: 'app/Dockerfile',
        line: 1,
        message: 'Pin node:20 by digest.',
      },
      {
        rule: 'DH201',
        slug: 'final-stage-root',
        severity: 'error',
        path: 'app/Dockerfile',
        line: 3,
        endLine: 5,
        message: 'Final stage runs as root.',
      },
      {
        rule: 'DH607',
        slug: 'consecutive-run',
        severity: 'info',
        path: 'web site/a#b.Dockerfile',
        line: 12,
        message: 'Merge RUNs.',
      },
    ],
    skipped: [
      { path: 'big/Dockerfile', reason: 'too-large' },
      { path: 'link.Dockerfile', reason: 'symlink' },
    ],
  };
}
