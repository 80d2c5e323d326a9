// Per-image version policies, as data: which majors an image offers by default, and which release parts
// identify a family that never changes. Patterns are normalised dependency names; `*/library/x` matches
// Docker's official image `x` on any registry or mirror path (`docker.io/library/node`,
// `mirror.gcr.io/library/node`, `public.ecr.aws/docker/library/node`, a Harbor proxy's `…/library/node`).

/** Majors a candidate may move to: those in `list`, and `from`, `from + step`, `from + 2·step`… */
export interface MajorSeries {
  list?: readonly number[];
  from?: number;
  step?: number;
}

export interface ImagePolicy {
  /** Why the policy exists; for messages that explain a held-back major. */
  reason: string;
  /** Long-term-support majors; other majors are not offered unless `allowNonLts` (the current one always is). */
  ltsMajors?: MajorSeries;
  /** Leading release parts that name a family and must not change (Windows `10.0.<build>`). */
  fixedParts?: number;
}

export interface ImagePolicyRule {
  images: readonly string[];
  policy: ImagePolicy;
}

export const IMAGE_POLICIES: readonly ImagePolicyRule[] = [
  {
    images: ['*/library/node', 'docker.io/bitnami/node', 'docker.io/cimg/node'],
    policy: { reason: 'Node.js: only even majors become LTS releases', ltsMajors: { from: 4, step: 2 } },
  },
  {
    images: [
      '*/library/eclipse-temurin',
      '*/library/openjdk',
      '*/library/amazoncorretto',
      '*/library/sapmachine',
      'docker.io/amazoncorretto/amazoncorretto',
      'public.ecr.aws/amazoncorretto/amazoncorretto',
    ],
    // 8 and 11, then every fourth release since 17 (a two-year cadence): 17, 21, 25, 29…
    policy: { reason: 'Java: only LTS releases', ltsMajors: { list: [8, 11], from: 17, step: 4 } },
  },
  {
    images: [
      'mcr.microsoft.com/windows',
      'mcr.microsoft.com/windows/server',
      'mcr.microsoft.com/windows/servercore',
      'mcr.microsoft.com/windows/nanoserver',
    ],
    // `10.0.17763.x` is Windows Server 2019, `10.0.20348.x` 2022: the host decides, only revisions move.
    policy: { reason: 'Windows: the OS build must match the host', fixedParts: 3 },
  },
];

/** The policy for a normalised dependency name, if any. */
export function imagePolicy(depName: string | undefined, rules = IMAGE_POLICIES): ImagePolicy | undefined {
  if (!depName) return undefined;
  return rules.find((rule) => rule.images.some((pattern) => matches(pattern, depName)))?.policy;
}

function matches(pattern: string, depName: string): boolean {
  return pattern.startsWith('*/') ? depName.endsWith(pattern.slice(1)) : depName === pattern;
}

export function isLtsMajor(series: MajorSeries, major: number): boolean {
  if (series.list?.includes(major)) return true;
  if (series.from === undefined || major < series.from) return false;
  return (major - series.from) % (series.step ?? 1) === 0;
}
