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
    expect(dockerignoreFor('api/Dockerfile', found)).toBe('api own');
    expect(dockerignoreFor('api/worker.Dockerfile', found)).toBe('api shared');
    expect(dockerignoreFor('Dockerfile', found)).toBe('root');
  });

  it('is null when the context has none (not inherited from a parent), undefined when unreadable', () => {
    expect(dockerignoreFor('web/Dockerfile', found)).toBeNull();
    expect(dockerignoreFor('linked/Dockerfile', found)).toBeUndefined();
  });

  it('recognises both kinds of ignore file', () => {
    expect(isDockerignore('a/.dockerignore')).toBe(true);
    expect(isDockerignore('a/Dockerfile.dockerignore')).toBe(true);
    expect(isDockerignore('a/Dockerfile')).toBe(false);
  });
});
