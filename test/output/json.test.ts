import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/output/json.js';
import { sampleResult } from './sample.js';

describe('JSON output', () => {
  it('has a stable shape with keys in a fixed order and optional keys only when set', () => {
    const report = JSON.parse(renderJson(sampleResult()));
    expect(Object.keys(report)).toEqual(['version', 'files', 'findings', 'skipped']);
    expect(report.version).toBe(1);
    const [pinned, unresolved] = report.files[0].deps;
    expect(Object.keys(pinned)).toEqual([
      'depName',
      'registry',
      'repository',
      'tag',
      'digest',
      'value',
      'line',
      'source',
      'tagRange',
      'digestRange',
      'stage',
      'platform',
    ]);
    expect(Object.keys(unresolved)).toEqual([
      'depName',
      'registry',
      'repository',
      'tag',
      'digest',
      'value',
      'line',
      'source',
      'skipReason',
      'arg',
    ]);
    expect(Object.keys(report.files[0])).toEqual(['path', 'manager', 'deps']);
    expect(report.files[1]).toEqual({
      path: 'compose.yaml',
      manager: 'compose',
      deps: [],
      errors: [{ line: 4, message: 'Nested mappings are not allowed in compact mappings' }],
    });
    expect(Object.keys(report.findings[1])).toEqual([
      'rule',
      'slug',
      'severity',
      'path',
      'line',
      'endLine',
      'message',
    ]);
    expect(Object.keys(report.findings[0])).toEqual(['rule', 'slug', 'severity', 'path', 'line', 'message']);
    expect(report.skipped).toEqual([
      { path: 'big/Dockerfile', reason: 'too-large' },
      { path: 'link.Dockerfile', reason: 'symlink' },
    ]);
  });

  it('does not depend on the key order of the values it is given', () => {
    const shuffled = sampleResult();
    shuffled.files[0]!.deps = shuffled.files[0]!.deps.map(
      (dep) => Object.fromEntries(Object.entries(dep).reverse()) as typeof dep,
    );
    expect(renderJson(shuffled)).toBe(renderJson(sampleResult()));
  });
});
