/*
 * Production's shape: Debian's PostgreSQL (started here, in a temporary folder) and two
 * replicas of the real backend on it, both in front of one catalog repo (the local GitHub,
 * each replica through its own pass-through proxy so the test sees who called what).
 *
 * - 20 concurrent submissions of one workload, spread over both replicas: one pull request,
 *   19 tasks failed with a conflict that names the leaf and the open pull request.
 * - A replica killed in the middle of a task (its GitHub call held by the proxy): the
 *   scaffolder's task recovery (scaffolder.taskRecovery) hands the task to a live replica,
 *   the action's checkpoints and branch adoption finish it with one branch, one commit and
 *   one pull request, and no branch is left without a pull request.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalGitHub } from '@workload-catalog/github-local';
import yaml from 'yaml';
import {
  BackendProcess,
  freePort,
  until,
} from './__testUtils__/backendProcess';
import { HoldingProxy, type HoldSpec } from './__testUtils__/holdingProxy';
import {
  startLocalPostgres,
  type LocalPostgres,
} from './__testUtils__/localPostgres';

// Two backends starting on a busy 2-core machine, and task recovery's own clock (a task is
// stale after staleTimeout, and the recovery loop looks every 10 s): generous bounds, the
// waits themselves are on conditions.
jest.setTimeout(300_000);

const TEMPLATE = 'template:default/ollama-inference-service';
const BRANCH_PREFIX = 'workload-catalog/';
const leafOf = (serviceName: string) => ({
  workloadType: 'OLLAMA_INFERENCE_LOAD',
  serviceName,
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'dev',
  model: 'phi:latest',
  gpu: { count: 1 },
  ingress: { enabled: true, host: `${serviceName}.hypermedia.au` },
  container: { replicas: 1, resourcePreset: 'small' },
});
const branchOf = (serviceName: string) =>
  `${BRANCH_PREFIX}catalog/ml-inference/dev/${serviceName}`;

let gh: LocalGitHub;
let pg: LocalPostgres;
let tmp: string;
const proxies: HoldingProxy[] = [];
const replicas: BackendProcess[] = [];

const catalog = () => gh.repo('local', 'catalog');
const alive = () => {
  const replica = replicas.find(r => r.running);
  if (!replica) throw new Error('no backend replica is running');
  return replica;
};
const log = (events: any[]) =>
  events.map(e => e.body?.message ?? '').join('\n');

async function waitForTask(id: string, timeoutMs = 240_000) {
  const task = await until(
    `task ${id} to finish`,
    async () => {
      const t = await alive().api('GET', `/api/scaffolder/v2/tasks/${id}`);
      return ['completed', 'failed', 'cancelled'].includes(t.status)
        ? t
        : undefined;
    },
    { timeoutMs, intervalMs: 500 },
  );
  const events = await alive().api(
    'GET',
    `/api/scaffolder/v2/tasks/${id}/events`,
  );
  return { id, task, events };
}

/** Branches under the prefix, with the commit each points at. */
async function branches(): Promise<Map<string, string>> {
  const out = await catalog().git.git([
    'for-each-ref',
    '--format=%(refname:lstrip=2) %(objectname)',
    `refs/heads/${BRANCH_PREFIX}`,
  ]);
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map(line => line.split(' ') as [string, string]),
  );
}

/** Branches without an open pull request. */
async function orphanBranches(): Promise<string[]> {
  const open = new Set(
    catalog()
      .pulls.filter(p => p.state === 'open')
      .map(p => p.head),
  );
  return [...(await branches()).keys()].filter(b => !open.has(b));
}

/** Commits on `branch` that the base branch does not have. */
async function commitsAhead(branch: string): Promise<string[]> {
  const out = await catalog().git.git([
    'rev-list',
    `refs/heads/main..refs/heads/${branch}`,
  ]);
  return out.split('\n').filter(Boolean);
}

const countAll = (method: string, route: RegExp) =>
  proxies.reduce((n, p) => n + p.count(method, route), 0);

beforeAll(async () => {
  const t0 = Date.now();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'backend-pg-test-'));
  [gh, pg] = await Promise.all([
    LocalGitHub.start({
      tokens: ['local-dev-token'],
      repos: [{ owner: 'local', repo: 'catalog' }],
    }),
    freePort().then(port => startLocalPostgres({ port })),
  ]);
  for (const name of ['replica-a', 'replica-b']) {
    const proxy = await HoldingProxy.start(name, gh.apiUrl);
    proxies.push(proxy);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const config = path.join(tmp, `app-config.${name}.yaml`);
    await fs.writeFile(
      config,
      yaml.stringify({
        backend: {
          baseUrl,
          listen: { port, host: '127.0.0.1' },
          database: { client: 'pg', connection: pg.connection },
        },
        integrations: {
          github: [
            {
              host: proxy.host,
              apiBaseUrl: proxy.apiUrl,
              token: 'local-dev-token',
            },
          ],
        },
        scaffolder: {
          // Backstage's task recovery: a task whose worker stopped sending heartbeats (every
          // second) for staleTimeout is set back to "open" and claimed by a live worker.
          taskRecovery: { enabled: true, staleTimeout: { seconds: 5 } },
        },
        workloadCatalog: {
          catalogRepo: { url: `${proxy.url}/local/catalog` },
          github: { timeoutSeconds: 60, maxRetries: 1 },
        },
      }),
    );
    replicas.push(new BackendProcess(name, port, [config]));
  }
  // One after the other. Started at once on a fresh database, the two race for each
  // plugin's migration lock (knex's lock fails fast): the loser exits (src/index.ts) and a
  // supervisor restarts it, but each plugin migrates its own database, so two replicas that
  // keep restarting can keep losing to each other (CI saw 9 lost races in a row). A rollout
  // does the same: the first replica migrates, the next starts on a migrated database.
  // A replica that still fails to start is started again, as a supervisor would.
  for (const replica of replicas) await replica.start({ restarts: 8 });
  for (const replica of replicas) {
    await until(`the templates in the catalog of ${replica.name}`, async () => {
      const res = await replica.api(
        'GET',
        '/api/catalog/entities/by-query?filter=kind=template',
      );
      return res.items.some(
        (e: any) => e.metadata.name === 'ollama-inference-service',
      )
        ? true
        : undefined;
    });
  }
  // eslint-disable-next-line no-console
  console.log(
    `PostgreSQL and two backend replicas ready in ${Math.round((Date.now() - t0) / 1000)} s (restarts after a failed start: ${replicas.map(r => `${r.name} ${r.restarted}`).join(', ')})`,
  );
}, 300_000);

afterAll(async () => {
  await Promise.all(replicas.map(r => r.stop()));
  await Promise.all(proxies.map(p => p.stop()));
  await gh?.stop();
  await pg?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  for (const proxy of proxies) {
    proxy.clearHolds();
    proxy.resetCalls();
  }
});

describe('two backend replicas on PostgreSQL', () => {
  it('turns 20 concurrent submissions of one workload into one pull request and 19 conflicts', async () => {
    const serviceName = 'ollama-race';
    const leafPath = `catalog/ml-inference/dev/${serviceName}.yaml`;
    const t0 = Date.now();
    const ids: string[] = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const replica = replicas[i % 2];
        const { id } = await replica.api('POST', '/api/scaffolder/v2/tasks', {
          templateRef: TEMPLATE,
          values: { leaf: leafOf(serviceName) },
        });
        return id as string;
      }),
    );
    const results = await Promise.all(ids.map(id => waitForTask(id)));
    // Which replica ran which task is the database's choice (both workers claim from one
    // table); the GitHub writes through each replica's proxy show the split.
    // eslint-disable-next-line no-console
    console.log(
      `20 concurrent tasks finished in ${Math.round((Date.now() - t0) / 1000)} s; GitHub writes ${proxies
        .map(p => `${p.name}: ${p.calls.filter(c => c.write).length}`)
        .join(', ')}`,
    );

    const completed = results.filter(r => r.task.status === 'completed');
    const failed = results.filter(r => r.task.status === 'failed');
    expect(completed).toHaveLength(1);
    expect(failed).toHaveLength(19);

    const pulls = catalog().pulls.filter(p => p.head === branchOf(serviceName));
    expect(pulls).toHaveLength(1);
    expect(pulls[0].body).toContain(`/create/tasks/${completed[0].id}`);
    const prUrl = `${gh.url}/local/catalog/pull/${pulls[0].number}`;
    const completion = completed[0].events.find(
      (e: any) => e.type === 'completion',
    );
    expect(completion.body.output.links[0].url).toBe(prUrl);

    // Each loser says which leaf is taken and by what: the open pull request, or the
    // request still in progress (it lost the branch before the pull request existed).
    const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const branch = esc(branchOf(serviceName));
    const conflict = new RegExp(
      [
        `A pull request for ${esc(leafPath)} is already open: ${esc(prUrl)} \\(branch ${branch}\\)\\. Review or close it first`,
        `Another request for ${esc(leafPath)} is in progress \\(branch ${branch}, task ${completed[0].id}, created \\d+ s ago, no pull request yet\\)\\. Wait for its pull request`,
        `Branch ${branch} keeps changing under this request; another request for ${esc(leafPath)} is in progress`,
      ].join('|'),
    );
    for (const loser of failed) expect(log(loser.events)).toMatch(conflict);

    // One branch, one commit on it (the winner's), and no branch without its pull request.
    expect([...(await branches()).keys()]).toEqual([branchOf(serviceName)]);
    expect(await commitsAhead(branchOf(serviceName))).toHaveLength(1);
    expect(await orphanBranches()).toEqual([]);
    // Only the winner opened a pull request.
    expect(countAll('POST', /\/pulls$/)).toBe(1);
    // Every call the replicas made was one GitHub's API description allows.
    expect(gh.violations).toEqual([]);
  });

  /**
   * Submits one task (to `submitTo`), holds the GitHub call `spec` describes (whichever replica makes it),
   * kills that replica there (SIGKILL), and starts it again, as Kubernetes would. Returns
   * once the task has finished on whichever replica took it over.
   */
  async function killMidTask(
    serviceName: string,
    submitTo: BackendProcess,
    spec: HoldSpec,
  ) {
    const branch = branchOf(serviceName);
    const held = Promise.race(proxies.map(p => p.hold(spec)));
    const { id } = await submitTo.api('POST', '/api/scaffolder/v2/tasks', {
      templateRef: TEMPLATE,
      values: { leaf: leafOf(serviceName) },
    });
    const call = await held;
    for (const proxy of proxies) proxy.clearHolds();
    const victim = replicas.find(r => r.name === call.proxy)!;
    // What the dying replica has done so far, as GitHub has it.
    const before = {
      sha: (await branches()).get(branch),
      orphans: await orphanBranches(),
    };
    const t0 = Date.now();
    for (const proxy of proxies) proxy.resetCalls();
    await victim.kill('SIGKILL');
    call.drop();
    const restarted = victim.start({ restarts: 1 }).then(
      () => undefined,
      (error: Error) => error,
    );
    const result = await waitForTask(id);
    const failedRestart = await restarted;
    if (failedRestart) throw failedRestart;
    // eslint-disable-next-line no-console
    console.log(
      `${serviceName}: killed ${victim.name} during ${call.method} ${call.path}; the task finished ${Math.round((Date.now() - t0) / 1000)} s later, on ${proxies
        .filter(p => p.calls.some(c => c.write))
        .map(p => (p.name === victim.name ? `${p.name} (restarted)` : p.name))
        .join(' and ')}`,
    );
    return { ...result, before, victim: victim.name };
  }

  async function expectOneCleanPullRequest(
    serviceName: string,
    result: Awaited<ReturnType<typeof killMidTask>>,
  ) {
    const branch = branchOf(serviceName);
    expect(result.task.status).toBe('completed');
    // Backstage's recovery ran it again (not a user's retry)...
    expect(result.events.map((e: any) => e.type)).toContain('recovered');
    // ...and the second run finished what the first had done: the same commit on the same
    // branch, one pull request, and no branch left without one.
    expect((await branches()).get(branch)).toBe(result.before.sha);
    expect(await commitsAhead(branch)).toHaveLength(1);
    const pulls = catalog().pulls.filter(p => p.head === branch);
    expect(pulls).toHaveLength(1);
    expect(pulls[0].state).toBe('open');
    expect(pulls[0].body).toContain(`/create/tasks/${result.id}`);
    expect(await orphanBranches()).toEqual([]);
    expect(gh.violations).toEqual([]);
  }

  it('recovers a task whose replica died right after committing the leaf, adopting the commit and the branch', async () => {
    const serviceName = 'ollama-crash-commit';
    const branch = branchOf(serviceName);
    const result = await killMidTask(serviceName, replicas[0], {
      // The call after which the branch carries the leaf's commit; the replica never hears
      // that it succeeded.
      method: 'POST',
      path: /./,
      writesOnly: true,
      when: 'response',
      onlyIf: async () => (await commitsAhead(branch)).length === 1,
    });
    // When the replica died, its branch had a commit and no pull request.
    expect(result.before.sha).toBeDefined();
    expect(result.before.orphans).toEqual([branch]);
    await expectOneCleanPullRequest(serviceName, result);
    expect(log(result.events)).toContain(
      `Branch ${branch} exists from an earlier run of this task; using it`,
    );
  });

  it('recovers a task whose replica died while opening the pull request: no orphan branch', async () => {
    const serviceName = 'ollama-crash-pull';
    const branch = branchOf(serviceName);
    const result = await killMidTask(serviceName, replicas[1], {
      method: 'POST',
      path: /^\/repos\/local\/catalog\/pulls$/,
      when: 'request',
    });
    expect(result.before.orphans).toEqual([branch]);
    await expectOneCleanPullRequest(serviceName, result);
  });
});
