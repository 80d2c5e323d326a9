import { describe, expect, it } from 'vitest';
import type { Dependency, PackageFile } from '../../src/core/types.js';
import { Runtimes } from '../../src/scan/runtimes.js';

function from(value: string, repository: string | null, tag: string | null): Dependency {
  return {
    depName: repository ? `docker.io/${repository}` : value,
    registry: repository ? 'docker.io' : null,
    repository,
    tag,
    digest: null,
    value,
    line: 1,
    source: 'from',
  };
}

function dockerfile(path: string, deps: Dependency[]): PackageFile {
  return { path, manager: 'dockerfile', deps };
}

describe('Runtimes', () => {
  it('takes the last node or python image a Dockerfile builds from, for manifests at or below its directory', () => {
    const runtimes = new Runtimes();
    runtimes.addDockerfile(
      dockerfile('api/Dockerfile', [
        from('python:3.12-slim AS build', 'library/python', '3.12-slim'),
        from('python:3.9-slim', 'library/python', '3.9-slim'),
      ]),
      undefined,
    );
    expect(runtimes.for('api/requirements.txt', 'python')).toEqual({
      kind: 'python',
      version: '3.9',
      image: 'python:3.9-slim',
      from: { path: 'api/Dockerfile', line: 1 },
    });
    expect(runtimes.for('api/sub/pyproject.toml', 'python')?.version).toBe('3.9');
    expect(runtimes.for('api/package.json', 'node')).toBeUndefined();
    expect(runtimes.for('web/requirements.txt', 'python')).toBeUndefined();
  });

  it('uses a compose build context over the Dockerfile’s own directory, and the nearest context wins', () => {
    const runtimes = new Runtimes();
    runtimes.addDockerfile(dockerfile('Dockerfile', [from('node:18', 'library/node', '18')]), undefined);
    runtimes.addDockerfile(
      dockerfile('docker/web.Dockerfile', [from('node:22.3.0-alpine', 'library/node', '22.3.0-alpine')]),
      'web',
    );
    expect(runtimes.for('web/package.json', 'node')?.version).toBe('22.3.0');
    expect(runtimes.for('package.json', 'node')?.version).toBe('18');
    expect(runtimes.for('tools/package.json', 'node')?.version).toBe('18');
  });

  it('ignores images that say nothing about a version: latest, variables, other images', () => {
    const runtimes = new Runtimes();
    runtimes.addDockerfile(
      dockerfile('Dockerfile', [
        from('node:latest', 'library/node', 'latest'),
        from('python', 'library/python', null),
        from('${BASE}', null, null),
        from('ghcr.io/acme/python:3.11', 'acme/python', '3.11'),
      ]),
      undefined,
    );
    expect(runtimes.for('package.json', 'node')).toBeUndefined();
    expect(runtimes.for('requirements.txt', 'python')).toBeUndefined();
  });
});
