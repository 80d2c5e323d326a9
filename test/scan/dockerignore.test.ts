import { describe, expect, it } from 'vitest';
import { dockerignoreFor, isDockerignore } from '../../src/scan/dockerignore.js';

describe('dockerignoreFor', () => {
  const found = new Map<string, string | undefined>([
    ['.dockerignore', 'root'],
    ['api/Dockerfile.dockerignore', 'api own'],
    ['api/.dockerignore', 'api shared'],
    ['linked/.dockerignore', undefined],
  ]);

  it("prefers BuildKit's <Dockerfile>.dockerignore beside the Dockerfile", () => {
    expect(dockerignoreFor('api/Dockerfile', undefined, found)).toBe('api own');
    expect(dockerignoreFor('api/worker.Dockerfile', undefined, found)).toBe('api shared');
    expect(dockerignoreFor('Dockerfile', undefined, found)).toBe('root');
  });

  it('is null when the context has none (not inherited from a parent), undefined when unreadable', () => {
    expect(dockerignoreFor('web/Dockerfile', undefined, found)).toBeNull();
    expect(dockerignoreFor('linked/Dockerfile', undefined, found)).toBeUndefined();
  });

  it('uses the build context a compose file names for the Dockerfile', () => {
    expect(dockerignoreFor('docker/web.Dockerfile', '.', found)).toBe('root');
    expect(dockerignoreFor('api/Dockerfile', '.', found)).toBe('api own');
  });

  it('recognises both kinds of ignore file', () => {
    expect(isDockerignore('a/.dockerignore')).toBe(true);
    expect(isDockerignore('a/Dockerfile.dockerignore')).toBe(true);
    expect(isDockerignore('a/Dockerfile')).toBe(false);
  });
});
