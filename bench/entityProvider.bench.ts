/*
 * GitHub calls and wall time per refresh of the catalog module's entity provider on a big
 * catalog repo: N leaves on main and M open pull requests (half change a merged leaf, half
 * propose a new workload), on the local GitHub with an added latency per call. Three
 * refreshes: a cold start (a new provider), an unchanged repository, and one changed leaf
 * (a commit on main that changes one leaf).
 *
 *   node bench/entity-provider.cjs [--leaves 10000] [--pulls 200] [--latency 50]
 *
 * Timings live here, never in tests.
 */
import os from 'node:os';
import { Octokit } from '@octokit/rest';
import { LocalGitHub, type CallRecord } from '@workload-catalog/github-local';
import { WorkloadCatalogEntityProvider } from '@workload-catalog/plugin-catalog-backend-module-workload-catalog';
import { createGithubClient } from '@workload-catalog/plugin-workload-catalog-node';
import { SEED_LEAF_YAML } from '@workload-catalog/plugin-workload-catalog-common/testUtils';

const OWNER = 'acme';
const REPO = 'gitops-catalog';
const TOKEN = 'bench-token';
const PATTERN = 'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml';
const ENVIRONMENTS = ['dev', 'staging', 'prod'];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a number`);
  return value;
}

const quiet: any = {
  info: () => {},
  debug: () => {},
  warn: (m: string) => process.stderr.write(`warn: ${m}\n`),
  error: (m: string) => process.stderr.write(`error: ${m}\n`),
  child: () => quiet,
};

/** The seed leaf under another name, catalog and environment. */
function leaf(i: number, over: Record<string, string> = {}) {
  const fields = {
    serviceName: `svc-${i}`,
    serviceCatalog: `team-${i % 50}`,
    environment: ENVIRONMENTS[i % 3],
    ...over,
  };
  let text = SEED_LEAF_YAML;
  for (const [k, v] of Object.entries(fields))
    text = text.replace(new RegExp(`^${k}: .*$`, 'm'), `${k}: ${v}`);
  return {
    path: `catalog/${fields.serviceCatalog}/${fields.environment}/${fields.serviceName}.yaml`,
    text,
  };
}

async function main() {
  const leaves = arg('leaves', 10_000);
  const pulls = arg('pulls', 200);
  const latencyMs = arg('latency', 50);
  const setupStart = Date.now();
  const files: Record<string, string> = { 'README.md': '# catalog\n' };
  for (let i = 0; i < leaves; i++) {
    const { path, text } = leaf(i);
    files[path] = text;
  }
  const gh = await LocalGitHub.start({
    tokens: [TOKEN],
    repos: [{ owner: OWNER, repo: REPO, files }],
  });
  const octokit = new Octokit({ baseUrl: gh.apiUrl, auth: TOKEN });
  const repo = { owner: OWNER, repo: REPO };
  /** A commit on `branch` (new, from main) or on main itself, changing one file. */
  async function commitFile(path: string, text: string, branch?: string) {
    const base = await octokit.rest.repos.getBranch({
      ...repo,
      branch: 'main',
    });
    const tree = await octokit.rest.git.createTree({
      ...repo,
      base_tree: base.data.commit.commit.tree.sha,
      tree: [{ path, mode: '100644', type: 'blob', content: text }],
    });
    const commit = await octokit.rest.git.createCommit({
      ...repo,
      message: `Change ${path}`,
      tree: tree.data.sha,
      parents: [base.data.commit.sha],
    });
    if (branch)
      await octokit.rest.git.createRef({
        ...repo,
        ref: `refs/heads/${branch}`,
        sha: commit.data.sha,
      });
    else
      await octokit.rest.git.updateRef({
        ...repo,
        ref: 'heads/main',
        sha: commit.data.sha,
      });
  }
  for (let i = 0; i < pulls; i++) {
    // Even: an update of a merged leaf; odd: a new workload.
    const { path, text } =
      i % 2 === 0 ? leaf(i, { model: '"mistral:7b"' }) : leaf(leaves + i);
    const branch = `workload-catalog/${path.replace(/\.yaml$/, '')}`;
    await commitFile(path, text, branch);
    await octokit.rest.pulls.create({
      ...repo,
      head: branch,
      base: 'main',
      title: `Change ${path}`,
    });
  }
  const setupMs = Date.now() - setupStart;
  gh.setLatency(latencyMs);

  let applied = 0;
  const provider = new WorkloadCatalogEntityProvider({
    repo: {
      host: gh.host,
      ...repo,
      webUrl: `${gh.url}/${OWNER}/${REPO}`,
      baseBranch: 'main',
      leafPathPattern: PATTERN,
      branchPrefix: 'workload-catalog',
    },
    entity: {
      defaultOwner: 'group:default/platform-team',
      lifecycles: {},
      argocd: {},
    },
    includeProposed: true,
    systems: true,
    githubClientFactory: async ({ logger }) =>
      createGithubClient({
        baseUrl: gh.apiUrl,
        token: TOKEN,
        timeoutMs: 600_000,
        maxRetries: 3,
        logger,
      }) as any,
    logger: quiet,
  });
  await provider.connect({
    applyMutation: async () => {
      applied++;
    },
    refresh: async () => {},
  });

  const rows: Array<{
    name: string;
    calls: CallRecord[];
    ms: number;
    entities?: number;
  }> = [];
  const measure = async (name: string) => {
    gh.resetCalls();
    const start = process.hrtime.bigint();
    const result = await provider.refresh();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    rows.push({
      name,
      calls: [...gh.calls],
      ms,
      entities: result.entities?.length,
    });
  };
  await measure('cold start');
  await measure('unchanged repository');
  const changed = leaf(7, { model: '"llama3:8b"' });
  gh.setLatency(0);
  await commitFile(changed.path, changed.text);
  gh.setLatency(latencyMs);
  await measure('one changed leaf');
  const violations = [...gh.violations];
  await gh.stop();

  const pad = (s: string | number, n: number) => String(s).padEnd(n);
  const summary = (calls: CallRecord[]) => {
    const by = new Map<string, number>();
    for (const c of calls) {
      const key = `${c.operation}${c.status === 304 ? ' (304)' : ''}`;
      by.set(key, (by.get(key) ?? 0) + 1);
    }
    return [...by].map(([k, n]) => `${n} ${k}`).join(', ');
  };
  process.stdout.write(
    `\nEntity provider refresh: ${leaves} leaves, ${pulls} open pull requests (${pulls / 2} update a merged leaf, ${pulls / 2} propose a new one), ${latencyMs} ms added to every GitHub call (local GitHub, ${os.cpus().length} cores; setup ${(setupMs / 1000).toFixed(1)} s)\n\n`,
  );
  process.stdout.write(
    `${pad('refresh', 24)}${pad('calls', 7)}${pad('304', 6)}${pad('ms', 9)}${pad('entities', 10)}calls by operation\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      `${pad(r.name, 24)}${pad(r.calls.length, 7)}${pad(r.calls.filter(c => c.status === 304).length, 6)}${pad(r.ms.toFixed(0), 9)}${pad(r.entities === undefined ? 'unchanged' : r.entities, 10)}${summary(r.calls)}\n`,
    );
  }
  process.stdout.write(
    `\nReading every leaf blob by REST instead (git/get-blob each) would be ${leaves} calls on the cold start and ${pulls / 2} more for the proposed leaves (repos/get-content).\nCatalog mutations applied: ${applied}; API violations: ${violations.length === 0 ? 'none' : violations.join('\n')}\n`,
  );
  if (violations.length > 0) process.exitCode = 1;
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
