/*
 * GitHub API calls and wall time per catalog pull request: our workload:catalog:pull-request
 * against Backstage's publish:github:pull-request (@backstage/plugin-scaffolder-backend-module-github),
 * both on the same local GitHub with the same added latency per call, one leaf each.
 *
 *   node bench/pull-request.cjs [--runs N] [--latency MS] [--leaves N]
 *
 * With --leaves, the catalog repo holds N leaves already (the seed leaf under other names,
 * 50 catalogs, three environments), which our action reads on the base branch for the
 * catalog-wide rules.
 *
 * Timings live here, never in tests.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { LocalGitHub, type CallRecord } from '@workload-catalog/github-local';
import { createCatalogPullRequestAction } from '@workload-catalog/plugin-scaffolder-backend-module-workload-catalog';
import { createDefaultGithubClientFactory } from '@workload-catalog/plugin-workload-catalog-node';
import {
  leafPath,
  parseLeafFile,
  printLeaf,
  pullRequestBody,
  pullRequestTitle,
  type WorkloadLeaf,
} from '@workload-catalog/plugin-workload-catalog-common';

const ROOT = path.resolve(__dirname, '..');
const OWNER = 'acme';
const REPO = 'gitops-catalog';
const TOKEN = 'bench-token';
const PATTERN = 'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml';

interface Sample {
  ms: number;
  calls: CallRecord[];
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a number`);
  return value;
}

const silentLogger: any = {
  info: () => {},
  warn: (m: string) => process.stderr.write(`warn: ${m}\n`),
  error: (m: string) => process.stderr.write(`error: ${m}\n`),
  debug: () => {},
  child: () => silentLogger,
};

/** A minimal scaffolder context: what both actions use. */
async function context(
  input: Record<string, unknown>,
  workspacePath: string,
  taskId: string,
) {
  const store = new Map<string, unknown>();
  return {
    logger: silentLogger,
    workspacePath,
    input,
    task: { id: taskId },
    user: { ref: 'user:default/bench' },
    isDryRun: false,
    output: () => {},
    createTemporaryDirectory: () =>
      fs.mkdtemp(path.join(os.tmpdir(), 'bench-')),
    getInitiatorCredentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/bench' },
    }),
    checkpoint: async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<unknown>;
    }) => {
      if (!store.has(key)) store.set(key, await fn());
      return store.get(key);
    },
  };
}

async function measure(
  gh: LocalGitHub,
  run: () => Promise<void>,
): Promise<Sample> {
  const before = gh.calls.length;
  const start = process.hrtime.bigint();
  await run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, calls: gh.calls.slice(before) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)
  ];

async function main() {
  const runs = arg('runs', 10);
  const latencyMs = arg('latency', 50);
  const leaves = arg('leaves', 0);
  const seedText = await fs.readFile(
    path.join(ROOT, 'examples/catalog/valid/ml-inference/dev/ollama-phi.yaml'),
    'utf8',
  );
  const seed = parseLeafFile(seedText).leaf as WorkloadLeaf;
  const files: Record<string, string> = { 'README.md': '# GitOps catalog\n' };
  for (let i = 0; i < leaves; i++) {
    const existing = {
      ...seed,
      serviceName: `svc-${i}`,
      serviceCatalog: `team-${i % 50}`,
      environment: ['dev', 'staging', 'prod'][i % 3],
    } as WorkloadLeaf;
    files[leafPath(existing, PATTERN)] = printLeaf(existing);
  }
  const catalogBytes = Object.values(files).reduce(
    (n, text) => n + Buffer.byteLength(text),
    0,
  );
  const gh = await LocalGitHub.start({
    tokens: [TOKEN],
    latencyMs,
    repos: [{ owner: OWNER, repo: REPO, files }],
  });
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [{ host: gh.host, apiBaseUrl: gh.apiUrl, token: TOKEN }],
      },
    }),
  );
  const ours = createCatalogPullRequestAction({
    githubClientFactory: createDefaultGithubClientFactory({
      integrations,
      timeoutMs: 60_000,
      maxRetries: 3,
    }),
    catalogRepo: {
      host: gh.host,
      owner: OWNER,
      repo: REPO,
      url: `${gh.url}/${OWNER}/${REPO}`,
      baseBranch: 'main',
      leafPathPattern: PATTERN,
      branchPrefix: 'workload-catalog',
    },
    policy: {},
  }) as TemplateAction<any, any, any>;
  const backstage = createPublishGithubPullRequestAction({
    integrations,
    config: new ConfigReader({}),
  } as any) as TemplateAction<any, any, any>;

  const results: Record<'ours' | 'backstage', Sample[]> = {
    ours: [],
    backstage: [],
  };
  // One warm-up run of each (module loading, validator compilation), not counted.
  for (let i = -1; i < runs; i++) {
    for (const which of ['ours', 'backstage'] as const) {
      const leaf = {
        ...seed,
        serviceName: `${which}-${i + 1}`,
      } as WorkloadLeaf;
      const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-ws-'));
      try {
        let sample: Sample;
        if (which === 'ours') {
          const ctx = await context({ leaf }, workspace, `bench-ours-${i}`);
          sample = await measure(gh, () => ours.handler(ctx as any));
        } else {
          // Backstage's action publishes the workspace: the same leaf file, the same text.
          const file = leafPath(leaf, PATTERN);
          await fs.mkdir(path.join(workspace, path.dirname(file)), {
            recursive: true,
          });
          await fs.writeFile(path.join(workspace, file), printLeaf(leaf));
          const ctx = await context(
            {
              repoUrl: `${gh.host}?owner=${OWNER}&repo=${REPO}`,
              branchName: `backstage/${leaf.serviceName}`,
              title: pullRequestTitle(leaf),
              description: pullRequestBody(leaf, {
                leafPath: file,
                yaml: printLeaf(leaf),
              }),
            },
            workspace,
            `bench-backstage-${i}`,
          );
          sample = await measure(gh, () => backstage.handler(ctx as any));
        }
        if (i >= 0) results[which].push(sample);
      } finally {
        await fs.rm(workspace, { recursive: true, force: true });
      }
    }
  }
  const pulls = gh.repo(OWNER, REPO).pulls.length;
  const violations = [...gh.violations];
  await gh.stop();

  const rows = (['ours', 'backstage'] as const).map(which => {
    const samples = results[which];
    const calls = samples.map(s => s.calls.length);
    const ms = samples.map(s => s.ms);
    return {
      which,
      name:
        which === 'ours'
          ? 'workload:catalog:pull-request'
          : 'publish:github:pull-request',
      calls: median(calls),
      callsMax: Math.max(...calls),
      writes: median(
        samples.map(
          s =>
            s.calls.filter(c => c.method !== 'GET' && c.operation !== 'graphql')
              .length,
        ),
      ),
      median: median(ms),
      p90: pct(ms, 90),
      sequence: samples[0].calls.map(c => c.operation).join(', '),
    };
  });
  const pad = (s: string | number, n: number) => String(s).padEnd(n);
  process.stdout.write(
    `\nCatalog pull request, one leaf: ${runs} runs each, ${latencyMs} ms added to every GitHub call, ${leaves} leaves in the catalog repo${leaves ? ` (${(catalogBytes / 1024 / 1024).toFixed(1)} MiB of leaf text)` : ''} (local GitHub, ${os.cpus().length} cores)\n\n`,
  );
  process.stdout.write(
    `${pad('action', 32)}${pad('API calls/PR', 14)}${pad('writes/PR', 11)}${pad('median ms', 11)}${pad('p90 ms', 9)}\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      `${pad(r.name, 32)}${pad(r.calls === r.callsMax ? r.calls : `${r.calls} (max ${r.callsMax})`, 14)}${pad(r.writes, 11)}${pad(r.median.toFixed(0), 11)}${pad(r.p90.toFixed(0), 9)}\n`,
    );
  }
  const [a, b] = rows;
  process.stdout.write(
    `\nworkload:catalog:pull-request: ${b.calls - a.calls} fewer calls, ${(b.median - a.median).toFixed(0)} ms (${((1 - a.median / b.median) * 100).toFixed(0)}%) faster per pull request (median)\n\n`,
  );
  for (const r of rows)
    process.stdout.write(`${r.name} calls:\n  ${r.sequence}\n`);
  process.stdout.write(
    `\n${pulls} pull requests opened; OpenAPI violations: ${violations.length === 0 ? 'none' : violations.join('\n')}\n`,
  );
  if (violations.length > 0) process.exitCode = 1;
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
