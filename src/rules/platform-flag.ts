import type { Rule, RuleFinding } from './types.js';

const TARGET_PLATFORM = /^\$(TARGETPLATFORM|\{TARGETPLATFORM\})$/;

export const rule: Rule = {
  id: 'DH803',
  slug: 'platform-flag',
  severity: 'warning',
  enabledByDefault: true,
  title: 'Do not hard-code the platform of a FROM',
  docs: `\`FROM --platform=linux/amd64 …\` pins a stage to one platform whatever the build asks for. On an arm64 machine (Apple silicon, Graviton) the image silently runs under emulation, and \`docker buildx build --platform linux/arm64,linux/amd64\` produces an "arm64" image that contains amd64 binaries. Choose the platform when building (\`docker build --platform …\`, a bake file, the CI job) instead.

\`--platform=$TARGETPLATFORM\` is reported too, as redundant: the target platform is already what FROM uses by default. \`--platform=$BUILDPLATFORM\` is the documented cross-compilation idiom (run the compiler natively, produce binaries for \`$TARGETOS/$TARGETARCH\`) and is fine, as is any other variable the build passes in.

Bad:

\`\`\`dockerfile
FROM --platform=linux/amd64 node:22-slim
\`\`\`

Good:

\`\`\`dockerfile
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
ARG TARGETOS TARGETARCH
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
\`\`\`

If a stage really only exists for one platform (a vendor tool shipped for amd64 only), keep the flag and say why: \`# dockhand ignore=DH803 -- vendor binary is amd64-only\`.`,
  equivalents: ['DL3029', 'DL3065'],
  check(dockerfile) {
    const findings: RuleFinding[] = [];
    for (const stage of dockerfile.stages) {
      const flag = stage.from.flags.find((f) => f.name === 'platform');
      const value = flag?.value?.trim();
      if (!value) continue;
      if (TARGET_PLATFORM.test(value)) {
        findings.push({
          line: stage.from.line,
          message: `\`--platform=${value}\` is redundant: FROM already uses the target platform; remove the flag.`,
        });
      } else if (!value.includes('$')) {
        findings.push({
          line: stage.from.line,
          message: `FROM is pinned to platform ${value}; remove \`--platform\` and choose the platform at build time (\`docker build --platform\`), or use \`$BUILDPLATFORM\` for a cross-compiling stage.`,
        });
      }
    }
    return findings;
  },
};
