// The deployment files must pass Dockhand's own scan with nothing to report, and say what they claim:
// digest-pinned external images, a non-root numeric user, COPY sources that exist in the build context,
// Redis configured for queues, probes on the app's health endpoints. No Docker engine runs here, so
// the image is never built: these tests read the files the way the scanner and the builder would.

import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig, type Config } from '../../src/config/index.js';
import { parseOperatorConfig } from '../../src/config/operator.js';
import type { Dependency } from '../../src/core/types.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import type { Dockerfile } from '../../src/dockerfile/types.js';
import { isExcluded, parseDockerignore } from '../../src/rules/broad-copy-without-dockerignore.js';
import { rules } from '../../src/rules/index.js';
import { scanDirectory, type ScanResult } from '../../src/scan/scan.js';
import { eolData } from '../../src/eol/data.js';
import { lintDockerfile } from '../../src/rules/engine.js';
import { eolBaseRule } from '../../src/rules/eol-base.js';
import { freePort } from '../support/free-port.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DEPLOY = join(REPO, 'deploy');
/** The image this repository builds; the manifests name a placeholder that kustomize replaces. */
const OWN_IMAGE = 'registry.example.com/dockhand';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

let config: Config;
let everyRuleOn: Config;
let scan: ScanResult;
let dockerfile: Dockerfile;

beforeAll(async () => {
  ({ config } = await loadConfig(DEPLOY));
  // DH302 depends on the date: it is checked below at a fixed one, so this test never expires by itself.
  config = { ...config, severity: { ...config.severity, DH302: 'off' } };
  // Off-by-default rules too (DH703 OS package pins, DH802 HEALTHCHECK): the files should pass them all.
  const severity: Config['severity'] = Object.fromEntries(
    rules.map((rule) => [rule.id, rule.id === 'DH302' ? 'off' : rule.severity]),
  );
  everyRuleOn = { ...config, severity };
  scan = await scanDirectory(DEPLOY, config);
  dockerfile = parseDockerfile(await readFile(join(DEPLOY, 'Dockerfile'), 'utf8'));
});

function depsOf(path: string): Dependency[] {
  const file = scan.files.find((f) => f.path === path);
  if (!file) throw new Error(`the scan did not report ${path}`);
  return file.deps;
}

/** Every document of a YAML file under deploy/, which must parse without errors (with compose's `<<` merges). */
async function yamlDocuments(path: string): Promise<unknown[]> {
  const docs = parseAllDocuments(await readFile(join(DEPLOY, path), 'utf8'), { merge: true });
  for (const doc of docs) expect(doc.errors, path).toEqual([]);
  return docs.map((doc) => doc.toJS() as unknown);
}

/** COPY sources taken from the build context (not from a stage or an image). */
function contextSources(file: Dockerfile): string[] {
  return file.instructions
    .filter((i) => i.keyword === 'COPY' && !i.flags.some((f) => f.name === 'from'))
    .flatMap((i) => i.words.slice(0, -1).map((w) => w.text.replace(/\/$/, '')));
}

describe('dockhand scan deploy', () => {
  it('reports zero findings, also with every rule switched on', async () => {
    expect(scan.findings).toEqual([]);
    expect((await scanDirectory(DEPLOY, everyRuleOn)).findings).toEqual([]);
  });

  it('bases no image on an end-of-life release (DH302 at the EOL data date)', () => {
    const file = scan.files.find((f) => f.path === 'Dockerfile')!;
    const lint = lintDockerfile(
      dockerfile,
      {
        path: 'Dockerfile',
        deps: file.deps,
        trustedRegistries: [],
        ignore: [],
        severity: {},
        allowInlineIgnores: true,
      },
      [eolBaseRule(() => new Date(`${eolData().updated}T00:00:00Z`))],
    );
    expect(lint).toEqual([]);
  });

  it('reads every file without errors or skips', () => {
    expect(scan.skipped).toEqual([]);
    for (const file of scan.files) expect(file.errors, file.path).toBeUndefined();
    expect(scan.files.map((f) => f.path)).toEqual([
      'Dockerfile',
      'compose.yml',
      'kubernetes/app.yaml',
      'kubernetes/redis.yaml',
      'kubernetes/worker.yaml',
    ]);
  });

  it('parses every image reference and pins every external one by digest', () => {
    const deps = scan.files.flatMap((f) => f.deps);
    expect(deps.length).toBeGreaterThan(0);
    for (const dep of deps) {
      expect(dep.skipReason, dep.value).toBeUndefined();
      expect(dep.tag, dep.value).toMatch(/^(?!latest$)./);
      if (dep.depName === OWN_IMAGE) continue;
      expect(dep.digest, dep.value).toMatch(DIGEST);
    }
  });

  it('names the expected images in each file', () => {
    const names = (path: string) => depsOf(path).map((d) => `${d.source} ${d.depName}`);
    expect(names('Dockerfile')).toEqual([
      'syntax docker.io/docker/dockerfile',
      'from docker.io/library/node',
      'from gcr.io/distroless/nodejs24-debian12',
    ]);
    expect(names('compose.yml')).toEqual(['compose-image docker.io/library/redis']);
    expect(names('kubernetes/app.yaml')).toEqual([`kubernetes-image ${OWN_IMAGE}`]);
    expect(names('kubernetes/worker.yaml')).toEqual([`kubernetes-image ${OWN_IMAGE}`]);
    expect(names('kubernetes/redis.yaml')).toEqual(['kubernetes-image docker.io/library/redis']);
  });

  it('uses one Redis image everywhere and Node 24 on both sides of the build', () => {
    const [composeRedis] = depsOf('compose.yml');
    const [kubeRedis] = depsOf('kubernetes/redis.yaml');
    expect(kubeRedis!.value).toBe(composeRedis!.value);
    const [, build, runtime] = depsOf('Dockerfile');
    expect(build!.tag).toMatch(/^24\.\d+\.\d+-bookworm-slim$/);
    expect(runtime!.repository).toBe('distroless/nodejs24-debian12');
  });

  it('tags the placeholder of the own image with the package version', async () => {
    const { version } = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string };
    for (const path of ['kubernetes/app.yaml', 'kubernetes/worker.yaml']) {
      expect(depsOf(path).map((d) => d.value)).toEqual([`${OWN_IMAGE}:${version}`]);
    }
  });

  it('builds app and worker from the repository root with deploy/Dockerfile, linting it with the root .dockerignore', async () => {
    // The layout of a repository the app scans: deploy/ beside the root .dockerignore.
    const root = await mkdtemp(join(tmpdir(), 'dockhand-deploy-'));
    try {
      await cp(DEPLOY, join(root, 'deploy'), { recursive: true });
      await cp(join(REPO, '.dockerignore'), join(root, '.dockerignore'));
      const result = await scanDirectory(root, everyRuleOn);
      expect(result.findings).toEqual([]);
      const compose = result.files.find((f) => f.path === 'deploy/compose.yml');
      expect(compose?.builds?.map((b) => [b.service, b.context, b.dockerfile, b.remote])).toEqual([
        ['app', '.', 'deploy/Dockerfile', false],
        ['worker', '.', 'deploy/Dockerfile', false],
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('deploy/Dockerfile', () => {
  const finalStage = () => dockerfile.stages.at(-1)!;
  const inFinal = (keyword: string) => finalStage().instructions.filter((i) => i.keyword === keyword);

  it('parses without errors and is multi-stage', () => {
    expect(dockerfile.errors).toEqual([]);
    expect(dockerfile.directives.syntax?.value).toMatch(/^docker\/dockerfile:[\d.]+@sha256:/);
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', null]);
  });

  it('runs the final stage as a numeric non-root user', () => {
    const user = inFinal('USER').at(-1);
    const match = /^(\d+)(?::(\d+))?$/.exec(user?.args ?? '');
    expect(match, user?.args).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
    expect(Number(match![2] ?? 1)).toBeGreaterThan(0);
  });

  it('copies only sources that exist in the repository', () => {
    const sources = contextSources(dockerfile);
    expect(sources).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'src', 'bin', 'config']),
    );
    for (const source of sources) expect(existsSync(join(REPO, source)), source).toBe(true);
  });

  it('copies the build results of its own build stage into the runtime stage', () => {
    const fromBuild = inFinal('COPY').filter((i) => i.flags.some((f) => f.name === 'from'));
    for (const copy of fromBuild) expect(copy.flags.find((f) => f.name === 'from')?.value).toBe('build');
    expect(fromBuild.map((i) => i.words[0]!.text).sort()).toEqual([
      '/app/dist',
      '/app/node_modules',
      '/app/package.json',
      '/usr/local/lib/node_modules/npm',
    ]);
    // The npm that re-locks package-lock.json files, where src/lockfiles/npm-cli.ts looks beside the
    // entrypoint's node (distroless ships none).
    const npm = fromBuild.find((i) => i.words[0]!.text.endsWith('/npm'))!;
    expect(npm.words[1]!.text).toBe('/nodejs/lib/node_modules/npm');
    expect(inFinal('ENTRYPOINT')[0]!.json![0]).toBe('/nodejs/bin/node');
    const build = dockerfile.stages[0]!.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(build.join('\n')).toMatch(/npm ci\b[\s\S]*npm run build[\s\S]*npm prune --omit=dev/);
  });

  it('starts the dockhand CLI in exec form: the app server by default', () => {
    const entrypoint = inFinal('ENTRYPOINT');
    const cmd = inFinal('CMD');
    expect(entrypoint).toHaveLength(1);
    expect(cmd).toHaveLength(1);
    expect(entrypoint[0]!.json).toEqual(['/nodejs/bin/node', '/app/bin/dockhand.js']);
    expect(cmd[0]!.json).toEqual(['serve']);
    expect(existsSync(join(REPO, 'bin/dockhand.js'))).toBe(true);
  });

  it('labels the image with its source', () => {
    const labels = inFinal('LABEL')
      .map((i) => i.args)
      .join(' ');
    expect(labels).toContain('org.opencontainers.image.source=');
  });
});

describe('.dockerignore at the repository root', () => {
  let patterns: ReturnType<typeof parseDockerignore>;
  beforeAll(async () => {
    patterns = parseDockerignore(await readFile(join(REPO, '.dockerignore'), 'utf8'));
  });

  it('keeps history, secrets and local build output out of the context', () => {
    for (const path of [
      '.git',
      '.git/config',
      '.env',
      '.env.local',
      'deploy/.env',
      'deploy/secrets/private-key.pem',
      'node_modules/yaml/package.json',
      'dist/cli.js',
      'coverage/index.html',
    ]) {
      expect(isExcluded(patterns, path), path).toBe(true);
    }
  });

  it('leaves in everything the Dockerfile copies', () => {
    for (const path of [
      ...contextSources(dockerfile),
      'src/cli.ts',
      'config/default.yml',
      'bin/dockhand.js',
    ]) {
      expect(isExcluded(patterns, path), path).toBe(false);
    }
  });
});

describe('HEALTHCHECK', () => {
  let server: Server;
  let port: number;
  let status = 200;

  beforeAll(async () => {
    port = await freePort();
    server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? status : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** Runs the HEALTHCHECK command with this Node, as the container would with its own. */
  function runCheck(env: Record<string, string>): Promise<number | null> {
    const check = dockerfile.instructions.find((i) => i.keyword === 'HEALTHCHECK')!;
    const command = check.json ?? (JSON.parse(check.args.slice(check.args.indexOf('['))) as string[]);
    expect(command.slice(0, 2)).toEqual(['/nodejs/bin/node', '-e']);
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, command.slice(1), { env: { ...env }, stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code) => resolve(code));
    });
  }

  it('passes when /healthz answers 2xx on PORT and fails otherwise', async () => {
    status = 200;
    expect(await runCheck({ PORT: String(port) })).toBe(0);
    status = 503;
    expect(await runCheck({ PORT: String(port) })).toBe(1);
  });

  it('fails when nothing listens', async () => {
    const closed = await freePort();
    expect(await runCheck({ PORT: String(closed) })).toBe(1);
  });
});

describe('deploy/compose.yml', () => {
  let compose: {
    services: Record<string, Record<string, unknown> & { environment?: Record<string, string> }>;
    secrets: Record<string, { file: string }>;
  };
  beforeAll(async () => {
    [compose] = (await yamlDocuments('compose.yml')) as [typeof compose];
  });

  it('runs app, worker and Redis', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'redis', 'worker']);
    expect(compose.services.app!.command).toEqual(['serve']);
    expect(compose.services.worker!.command).toEqual(['worker']);
    expect((compose.services.worker!.deploy as { replicas: number }).replicas).toBeGreaterThan(1);
  });

  it('configures Redis for queues: AOF every second, no eviction, a volume', () => {
    const redis = compose.services.redis!;
    expect((redis.command as string[]).join(' ')).toBe(
      'redis-server --appendonly yes --appendfsync everysec --maxmemory-policy noeviction',
    );
    expect(redis.volumes).toEqual(['redis-data:/data']);
    expect(redis.healthcheck).toBeDefined();
  });

  it('gives app and worker the App credentials, the key as a file, and Redis', () => {
    for (const name of ['app', 'worker']) {
      const env = compose.services[name]!.environment!;
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining(['APP_ID', 'PRIVATE_KEY_PATH', 'WEBHOOK_SECRET', 'REDIS_URL']),
      );
      expect(env.PRIVATE_KEY_PATH).toBe('/run/secrets/github_app_private_key');
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(compose.services[name]!.secrets).toEqual(['github_app_private_key']);
    }
    expect(compose.services.app!.environment!.HOST).toBe('0.0.0.0');
    expect(compose.secrets.github_app_private_key!.file).toBe('./secrets/private-key.pem');
  });
});

describe('deploy/kubernetes', () => {
  interface Container {
    name: string;
    image: string;
    args?: string[];
    ports?: { name: string; containerPort: number }[];
    env?: { name: string; value?: string }[];
    readinessProbe?: { httpGet?: { path: string } };
    livenessProbe?: { httpGet?: { path: string } };
    resources?: { requests?: object; limits?: object };
    securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  }
  interface Workload {
    kind: string;
    metadata: { name: string };
    spec: {
      replicas: number;
      template: {
        metadata: { annotations?: Record<string, string> };
        spec: {
          securityContext: { runAsNonRoot?: boolean; runAsUser?: number };
          containers: Container[];
        };
      };
    };
  }
  const workloads: Record<string, Workload> = {};

  beforeAll(async () => {
    for (const path of ['app.yaml', 'worker.yaml', 'redis.yaml']) {
      const docs = (await yamlDocuments(`kubernetes/${path}`)) as Workload[];
      for (const doc of docs) if (doc.kind !== 'Service') workloads[doc.metadata.name] = doc;
    }
  });

  it('lists every manifest in the kustomization, and the Secret only as a template', async () => {
    const [kustomization] = (await yamlDocuments('kubernetes/kustomization.yaml')) as [
      { resources: string[] },
    ];
    expect(kustomization.resources.sort()).toEqual([
      'app.yaml',
      'namespace.yaml',
      'operator-config.yaml',
      'redis.yaml',
      'worker.yaml',
    ]);
    const [secret] = (await yamlDocuments('kubernetes/secret.example.yaml')) as [
      { kind: string; stringData: Record<string, string> },
    ];
    expect(secret.kind).toBe('Secret');
    for (const value of Object.values(secret.stringData)) expect(value).toMatch(/^REPLACE_WITH_/);
  });

  it('runs every workload as a numeric non-root user on a read-only root filesystem with resources', () => {
    expect(Object.keys(workloads).sort()).toEqual(['dockhand-app', 'dockhand-redis', 'dockhand-worker']);
    for (const workload of Object.values(workloads)) {
      const pod = workload.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot, workload.metadata.name).toBe(true);
      expect(pod.securityContext.runAsUser, workload.metadata.name).toBeGreaterThan(0);
      for (const container of pod.containers) {
        expect(container.securityContext?.readOnlyRootFilesystem, container.name).toBe(true);
        expect(container.securityContext?.allowPrivilegeEscalation, container.name).toBe(false);
        expect(container.resources?.requests, container.name).toBeDefined();
        expect(container.resources?.limits, container.name).toBeDefined();
      }
    }
  });

  it('probes the app on /readyz and /healthz, and scales workers separately', () => {
    const [app] = workloads['dockhand-app']!.spec.template.spec.containers;
    expect(app!.args).toEqual(['serve']);
    expect(app!.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(app!.livenessProbe?.httpGet?.path).toBe('/healthz');
    const worker = workloads['dockhand-worker']!;
    expect(worker.kind).toBe('Deployment');
    expect(worker.spec.replicas).toBeGreaterThan(1);
    expect(worker.spec.template.spec.containers[0]!.args).toEqual(['worker']);
  });

  it('has Prometheus scrape the app on its http port and the workers on DOCKHAND_METRICS_PORT', () => {
    const scraped = (name: string) => {
      const { metadata, spec } = workloads[name]!.spec.template;
      const [container] = spec.containers;
      const annotations = metadata.annotations ?? {};
      expect(annotations['prometheus.io/scrape'], name).toBe('true');
      expect(annotations['prometheus.io/path'], name).toBe('/metrics');
      return { port: Number(annotations['prometheus.io/port']), container: container! };
    };
    const app = scraped('dockhand-app');
    expect(app.container.ports).toEqual([{ name: 'http', containerPort: app.port }]);
    const worker = scraped('dockhand-worker');
    expect(worker.container.ports).toEqual([{ name: 'metrics', containerPort: worker.port }]);
    const env = worker.container.env ?? [];
    expect(env.find((variable) => variable.name === 'DOCKHAND_METRICS_PORT')?.value).toBe(
      String(worker.port),
    );
  });

  it('runs Redis as a StatefulSet with AOF and noeviction', () => {
    const redis = workloads['dockhand-redis']!;
    expect(redis.kind).toBe('StatefulSet');
    expect(redis.spec.template.spec.containers[0]!.args!.join(' ')).toBe(
      'redis-server --appendonly yes --appendfsync everysec --maxmemory-policy noeviction',
    );
  });
});

describe('deploy/README.md', () => {
  /**
   * Variables the processes read by name: `env.NAME`, the worker's `integer(env, 'NAME', …)` and the Redis
   * settings' `read('NAME')`, `flag(env, 'NAME')`, `addresses(env, 'NAME', …)`.
   */
  async function variablesReadBy(path: string): Promise<string[]> {
    const source = await readFile(join(REPO, path), 'utf8');
    const names = [
      ...source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g),
      ...source.matchAll(/integer\(env, '([A-Z][A-Z0-9_]+)'/g),
      ...source.matchAll(/\b(?:read|flag|addresses)\((?:env, )?'([A-Z][A-Z0-9_]+)'/g),
    ].map((match) => match[1]!);
    return [...new Set(names)];
  }

  it('lists every variable the app and the workers read, and probot settings they rely on', async () => {
    const readme = await readFile(join(DEPLOY, 'README.md'), 'utf8');
    const read = [
      ...(await variablesReadBy('src/worker/main.ts')),
      ...(await variablesReadBy('src/app/index.ts')),
      ...(await variablesReadBy('src/queue/connection.ts')),
      ...(await variablesReadBy('src/queue/redis-settings.ts')),
    ];
    expect(read).toEqual(
      expect.arrayContaining([
        'DOCKHAND_CONCURRENCY',
        'REDIS_URL',
        'DOCKHAND_MENTION',
        'DOCKHAND_REDIS_MODE',
        'DOCKHAND_REDIS_NODES',
        'DOCKHAND_REDIS_SENTINELS',
        'DOCKHAND_REDIS_MASTER_NAME',
        'REDIS_USERNAME',
        'REDIS_PASSWORD',
        'DOCKHAND_REDIS_SENTINEL_USERNAME',
        'DOCKHAND_REDIS_SENTINEL_PASSWORD',
        'DOCKHAND_REDIS_TLS',
        'DOCKHAND_QUEUE_PREFIX',
      ]),
    );
    const probot = [
      'APP_ID',
      'PRIVATE_KEY',
      'PRIVATE_KEY_PATH',
      'WEBHOOK_SECRET',
      'GHE_HOST',
      'GHE_PROTOCOL',
    ];
    for (const name of [...read, ...probot, 'LOG_LEVEL', 'LOG_FORMAT', 'HOST', 'PORT'])
      expect(readme, name).toContain(`\`${name}\``);
  });

  it("gives the workers the operator's configuration: a valid file, mounted where the variable says", async () => {
    parseOperatorConfig(await readFile(join(DEPLOY, 'operator.yml'), 'utf8'), 'deploy/operator.yml');
    const [configMap] = (await yamlDocuments('kubernetes/operator-config.yaml')) as [
      { metadata: { name: string }; data: Record<string, string> },
    ];
    parseOperatorConfig(configMap.data['operator.yml']!, 'operator-config.yaml');
    const [worker] = (await yamlDocuments('kubernetes/worker.yaml')) as [
      {
        spec: {
          template: {
            spec: {
              containers: {
                env: { name: string; value?: string }[];
                volumeMounts: { name: string; mountPath: string }[];
              }[];
              volumes: { name: string; configMap?: { name: string } }[];
            };
          };
        };
      },
    ];
    const pod = worker.spec.template.spec;
    const env = pod.containers[0]!.env.find((e) => e.name === 'DOCKHAND_OPERATOR_CONFIG');
    const mount = pod.containers[0]!.volumeMounts.find((m) => m.name === 'operator-config');
    expect(`${mount!.mountPath}/operator.yml`).toBe(env!.value);
    expect(pod.volumes.find((v) => v.name === 'operator-config')!.configMap!.name).toBe(
      configMap.metadata.name,
    );
    const [compose] = (await yamlDocuments('compose.yml')) as [
      { services: Record<string, { environment: Record<string, string>; volumes?: string[] }> },
    ];
    const composeWorker = compose.services.worker!;
    expect(composeWorker.volumes).toEqual([
      `./operator.yml:${composeWorker.environment.DOCKHAND_OPERATOR_CONFIG}:ro`,
    ]);
  });

  it('gives the workers a PID 1 that reaps what a re-locking package manager leaves behind', async () => {
    const [worker] = (await yamlDocuments('kubernetes/worker.yaml')) as [
      { spec: { template: { spec: { shareProcessNamespace?: boolean } } } },
    ];
    expect(worker.spec.template.spec.shareProcessNamespace).toBe(true);
    const [compose] = (await yamlDocuments('compose.yml')) as [
      { services: Record<string, { init?: boolean }> },
    ];
    expect(compose.services.worker!.init).toBe(true);
  });

  it('documents the {dockhand} hash-tag prefix for Redis Cluster and the Redis settings queues need', async () => {
    const readme = await readFile(join(DEPLOY, 'README.md'), 'utf8');
    expect(readme).toContain('`DOCKHAND_QUEUE_PREFIX` to `{dockhand}`');
    expect(readme).toContain('maxmemory-policy noeviction');
    expect(readme).toContain('appendonly yes');
  });
});
