import { describe, expect, it } from 'vitest';
import { imagePolicy, isLtsMajor } from '../../../src/versioning/docker/policies.js';
import { suffixKey } from '../../../src/versioning/docker/suffix.js';

const majors = (depName: string): number[] => {
  const series = imagePolicy(depName)?.ltsMajors;
  if (!series) throw new Error(`no LTS policy for ${depName}`);
  return Array.from({ length: 30 }, (_, i) => i + 1).filter((m) => isLtsMajor(series, m));
};

describe('image policies', () => {
  it('Node: even majors from 4', () => {
    expect(majors('docker.io/library/node')).toEqual([4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]);
  });

  it('Java: 8, 11, then every fourth release from 17', () => {
    for (const image of [
      'docker.io/library/eclipse-temurin',
      'docker.io/library/openjdk',
      'docker.io/library/amazoncorretto',
      'public.ecr.aws/amazoncorretto/amazoncorretto',
    ]) {
      expect(majors(image)).toEqual([8, 11, 17, 21, 25, 29]);
    }
  });

  it("official images match on any registry or mirror path, other owners' images do not", () => {
    expect(imagePolicy('mirror.gcr.io/library/node')?.ltsMajors).toBeDefined();
    expect(imagePolicy('harbor.example.com/dockerhub/library/openjdk')?.ltsMajors).toBeDefined();
    expect(imagePolicy('ghcr.io/acme/node')).toBeUndefined();
    expect(imagePolicy('docker.io/library/nodejs')).toBeUndefined();
    expect(imagePolicy(undefined)).toBeUndefined();
  });

  it('Windows base images fix the OS build', () => {
    expect(imagePolicy('mcr.microsoft.com/windows/servercore')?.fixedParts).toBe(3);
    expect(imagePolicy('mcr.microsoft.com/dotnet/sdk')).toBeUndefined();
  });
});

describe('suffix keys (moveSuffix)', () => {
  it.each([
    ['alpine3.19', '<alpine:2>', [[3, 19]]],
    ['slim-bookworm', 'slim-<debian>', [[4]]],
    ['jre-noble', 'jre-<ubuntu-lts>', [[5]]],
    ['alpine', 'alpine', []],
    ['nanoserver-1809', 'nanoserver-1809', []],
    ['windowsservercore-ltsc2022', 'windowsservercore-ltsc2022', []],
    ['artful', 'artful', []],
  ])('%s', (suffix, skeleton, ranks) => {
    expect(suffixKey(suffix)).toEqual({ skeleton, ranks });
  });
});
