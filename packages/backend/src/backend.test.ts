/*
 * Starts the real backend (src/index.ts, as `yarn start` does, with app-config.yaml) on a
 * free port, against a local GitHub, and runs the templates through the scaffolder's API:
 * dry runs, real tasks, a failed task retried from its checkpoints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LocalGitHub } from '@workload-catalog/github-local';
import yaml from 'yaml';
import { WORKLOAD_TYPES } from '@workload-catalog/plugin-workload-catalog-common';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');
const BACKEND_DIR = path.resolve(__dirname, '..');
// The templates take the whole leaf as one parameter (the WorkloadConfig form field).
const SEED_LEAF = {
  workloadType: 'OLLAMA_INFERENCE_LOAD',
  serviceName: 'ollama-phi',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'dev',
  model: 'phi:latest',
  gpu: { count: 1 },
  ingress: { enabled: true, host: 'text.hypermedia.au' },
  container: { replicas: 1, resourcePreset: 'small' },
};
const SEED = { leaf: SEED_LEAF };

let gh: LocalGitHub;
let backend: ChildProcess;
let baseUrl: string;
let token: string;
let tmp: string;
const output: string[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Polls until `fn` returns a value (readiness, not timing: the jest timeout bounds it). */
async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  tries = 600,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (backend.exitCode !== null)
      throw new Error(
        `backend exited while waiting for ${what}:\n${output.join('')}`,
      );
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(
    `gave up waiting for ${what}:\n${output.slice(-40).join('')}`,
  );
}

async function api(
  method: string,
  route: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function template(name: string) {
  return yaml.parse(
    await fs.readFile(
      path.join(
        ROOT,
        'plugins/catalog-backend-module-workload-catalog/templates',
        name,
        'template.yaml',
      ),
      'utf8',
    ),
  );
}

async function runTask(
  body: object,
): Promise<{ id: string; task: any; events: any[] }> {
  const { id } = await api('POST', '/api/scaffolder/v2/tasks', body);
  return waitForTask(id);
}

async function waitForTask(id: string) {
  const task = await until(`task ${id}`, async () => {
    const t = await api('GET', `/api/scaffolder/v2/tasks/${id}`);
    return ['completed', 'failed', 'cancelled'].includes(t.status)
      ? t
      : undefined;
  });
  const events = await api('GET', `/api/scaffolder/v2/tasks/${id}/events`);
  return { id, task, events };
}

/** GitHub calls that may write: not a GET, not a GraphQL query (mutations log as graphql/<name>). */
const writes = () =>
  gh.calls.filter(c => c.method !== 'GET' && c.operation !== 'graphql');

const log = (events: any[]) =>
  events.map(e => e.body?.message ?? '').join('\n');

beforeAll(async () => {
  gh = await LocalGitHub.start({
    tokens: ['local-dev-token'],
    repos: [{ owner: 'local', repo: 'catalog' }],
  });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'backend-test-'));
  const testConfig = path.join(tmp, 'app-config.test.yaml');
  await fs.writeFile(
    testConfig,
    yaml.stringify({
      backend: { baseUrl, listen: { port, host: '127.0.0.1' } },
      integrations: {
        github: [
          { host: gh.host, apiBaseUrl: gh.apiUrl, token: 'local-dev-token' },
        ],
      },
      workloadCatalog: {
        catalogRepo: { url: `${gh.url}/local/catalog` },
        github: { timeoutSeconds: 20, maxRetries: 1 },
      },
    }),
  );
  backend = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      testConfig,
    ],
    {
      cwd: BACKEND_DIR,
      env: { ...process.env, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  backend.stdout!.on('data', d => output.push(String(d)));
  backend.stderr!.on('data', d => output.push(String(d)));
  await until('the backend to be ready', async () => {
    const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
    return res.ok ? true : undefined;
  });
  // Guest sign-in, as the frontend does it.
  const session = await until('guest sign-in', async () => {
    const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    return res.ok ? res.json() : undefined;
  });
  token = session.backstageIdentity.token;
  // The templates come from the catalog module's template provider.
  await until('the templates in the catalog', async () => {
    const res = await api(
      'GET',
      '/api/catalog/entities/by-query?filter=kind=template',
    );
    const names = res.items.map((e: any) => e.metadata.name).sort();
    // the two shipped templates and one per workload type
    return names.length === 2 + WORKLOAD_TYPES.length ? names : undefined;
  });
});

afterAll(async () => {
  if (backend && backend.exitCode === null) {
    await new Promise(resolve => {
      backend.once('exit', resolve);
      backend.kill('SIGTERM');
    });
  }
  await gh?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  gh.faults.clear();
  gh.resetCalls();
});

describe('the backend', () => {
  it('has the workload actions, with their examples', async () => {
    const actions = await api('GET', '/api/scaffolder/v2/actions');
    const ours = actions.filter((a: any) => a.id.startsWith('workload:'));
    expect(ours.map((a: any) => a.id).sort()).toEqual([
      'workload:catalog:pull-request',
      'workload:leaf:validate',
    ]);
    for (const action of ours)
      expect(action.examples.length).toBeGreaterThan(0);
  });

  it('runs the Ollama template in the dry-run API: the leaf and its path, nothing written', async () => {
    const result = await api('POST', '/api/scaffolder/v2/dry-run', {
      template: await template('ollama-inference-service'),
      values: SEED,
      secrets: {},
      directoryContents: [],
    });
    const text = log(result.log);
    expect(text).toContain(
      'The leaf is valid; it goes to catalog/ml-inference/dev/ollama-phi.yaml',
    );
    expect(text).toContain('Dry run: nothing is written');
    expect(result.output.links[0].url).toBe(
      `${gh.url}/local/catalog/compare/main...workload-catalog/catalog/ml-inference/dev/ollama-phi`,
    );
    expect(writes()).toEqual([]);
  });

  it('runs the guided template in the dry-run API for a container service', async () => {
    const result = await api('POST', '/api/scaffolder/v2/dry-run', {
      template: await template('workload'),
      values: {
        leaf: {
          workloadType: 'BASIC_CONTAINER_LOAD',
          serviceName: 'orders-api',
          serviceCatalog: 'shop',
          namespace: 'shop',
          environment: 'staging',
          container: {
            image: 'ghcr.io/acme/orders:1.4.2',
            port: 8080,
            replicas: 2,
            resourcePreset: 'small',
          },
        },
      },
      secrets: {},
      directoryContents: [],
    });
    expect(log(result.log)).toContain(
      'The leaf is valid; it goes to catalog/shop/staging/orders-api.yaml',
    );
    expect(result.steps.map((s: any) => s.id)).toContain('validate');
    expect(writes()).toEqual([]);
  });

  it('offers a template per workload type, read from the catalog, that runs', async () => {
    const entity = await api(
      'GET',
      '/api/catalog/entities/by-name/template/default/new-basic-container-load',
    );
    const { metadata, ...rest } = entity;
    const result = await api('POST', '/api/scaffolder/v2/dry-run', {
      template: { ...rest, metadata: { name: metadata.name } },
      values: {
        leaf: {
          workloadType: 'BASIC_CONTAINER_LOAD',
          serviceName: 'orders-api',
          serviceCatalog: 'shop',
          namespace: 'shop',
          environment: 'dev',
          container: { image: 'ghcr.io/acme/orders:1.4.2', port: 8080 },
        },
      },
      secrets: {},
      directoryContents: [],
    });
    expect(log(result.log)).toContain(
      'The leaf is valid; it goes to catalog/shop/dev/orders-api.yaml',
    );
    // the catalog processes the entities of one mutation one by one
    const types = await until('the workload-type entities', async () => {
      const res = await api(
        'GET',
        '/api/catalog/entities/by-query?filter=kind=resource,spec.type=workload-type',
      );
      return res.items.length === WORKLOAD_TYPES.length ? res.items : undefined;
    });
    expect(types.map((e: any) => e.metadata.name).sort()).toEqual(
      WORKLOAD_TYPES.map(
        t => `workload-type-${t.toLowerCase().replace(/_/g, '-')}`,
      ).sort(),
    );
  });

  it('runs the Ollama template as a task: the pull request appears in the catalog repo', async () => {
    const { task, events } = await runTask({
      templateRef: 'template:default/ollama-inference-service',
      values: SEED,
    });
    expect(task.status).toBe('completed');
    const pulls = gh.repo('local', 'catalog').pulls;
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      title: 'Add ollama-phi in dev: phi:latest on 1 GPU',
      labels: ['workload-catalog'],
    });
    expect(pulls[0].body).toContain(`/create/tasks/${task.id}`);
    const leaf = await gh
      .repo('local', 'catalog')
      .git.git([
        'show',
        `${pulls[0].head}:catalog/ml-inference/dev/ollama-phi.yaml`,
      ]);
    expect(leaf).toContain('model: phi:latest');
    const completion = events.find(e => e.type === 'completion');
    expect(completion.body.output.links[0].url).toBe(
      `${gh.url}/local/catalog/pull/1`,
    );
  });

  it('runs the guided template for a Text Generation Inference model', async () => {
    const { task } = await runTask({
      templateRef: 'template:default/workload',
      values: {
        leaf: {
          workloadType: 'ML_INFERENCE_LOAD',
          serviceName: 'mistral-tgi',
          serviceCatalog: 'ml-inference',
          namespace: 'ml-workloads',
          environment: 'prod',
          model: { id: 'mistralai/Mistral-7B-Instruct-v0.3' },
          gpu: { count: 2 },
          container: { replicas: 1, resourcePreset: 'large' },
        },
      },
    });
    expect(task.status).toBe('completed');
    const pr = gh
      .repo('local', 'catalog')
      .pulls.find(p => p.head.endsWith('/prod/mistral-tgi'));
    expect(pr?.title).toBe(
      'Add mistral-tgi in prod: mistralai/Mistral-7B-Instruct-v0.3 on 2 GPUs',
    );
  });

  it('fails an invalid request with the problems by field path, writing nothing', async () => {
    const { task, events } = await runTask({
      templateRef: 'template:default/ollama-inference-service',
      // The template's JSON Schema lets these through; the leaf schema does not.
      values: {
        leaf: {
          ...SEED_LEAF,
          serviceName: 'Ollama_Phi',
          model: 'phi::latest',
          ingress: { enabled: true, host: 'https://text.example.com' },
        },
      },
    });
    expect(task.status).toBe('failed');
    const text = log(events);
    expect(text).toMatch(
      /The workload leaf is not valid \(3 problems\); nothing was written:/,
    );
    expect(text).toMatch(/- serviceName: /);
    expect(text).toMatch(/- model: /);
    expect(text).toMatch(/- ingress.host: /);
    expect(gh.calls).toEqual([]);
  });

  it('retries a failed task from its checkpoints: no step is repeated, one pull request', async () => {
    const values = { leaf: { ...SEED_LEAF, serviceName: 'ollama-retry' } };
    gh.faults.serverError('pulls/create', { times: Infinity });
    const first = await runTask({
      templateRef: 'template:default/ollama-inference-service',
      values,
    });
    expect(first.task.status).toBe('failed');
    expect(log(first.events)).toMatch(
      /Could not open the pull request in .*GitHub kept failing \(502\)/,
    );
    // The failed run removed its branch.
    expect(
      await gh
        .repo('local', 'catalog')
        .git.resolveRef(
          'refs/heads/workload-catalog/catalog/ml-inference/dev/ollama-retry',
        ),
    ).toBeUndefined();

    gh.faults.clear();
    gh.resetCalls();
    await api('POST', `/api/scaffolder/v2/tasks/${first.id}/retry`, {});
    const second = await waitForTask(first.id);
    expect(second.task.status).toBe('completed');
    // The failed run had removed its branch, so the pull request step makes the branch and
    // its commit again, then opens the pull request. Only writes are compared: the catalog's
    // entity provider reads the same repository on its own schedule meanwhile.
    expect(writes().map(c => c.operation)).toEqual([
      'pulls/create',
      'git/create-ref',
      'graphql/createCommitOnBranch',
      'pulls/create',
      'issues/add-labels',
    ]);
    expect(
      gh
        .repo('local', 'catalog')
        .pulls.filter(p => p.head.endsWith('/ollama-retry')),
    ).toHaveLength(1);
  });
});
