import {
  application,
  states,
  type ArgoApplication,
  type StateContext,
} from './applications';
import { stopSchemaWorker } from './schema';
import { InvalidApplicationError, LocalArgoCD } from './server';
import { responseProblems } from './specs';

const TOKEN = 'test-argocd-token';
const REV = '1f0c2e8b7d6a5948372615049382716051a2b3c4';

function app(
  name: string,
  labels: Record<string, string>,
  extra: Partial<Parameters<typeof application>[0]> = {},
): ArgoApplication {
  return application({
    name,
    labels,
    repoURL: 'https://github.example.com/acme/catalog.git',
    path: 'charts/ollama-inference-load',
    valueFiles: [`$values/catalog/ml/dev/${name}.yaml`],
    destination: { namespace: 'ml-workloads' },
    ...extra,
  });
}

const labels = (service: string, environment = 'dev', catalog = 'ml') => ({
  'workload-catalog.dev/service-name': service,
  'workload-catalog.dev/catalog': catalog,
  'workload-catalog.dev/environment': environment,
});

describe('LocalArgoCD', () => {
  let argo: LocalArgoCD;
  const get = (path: string, init: RequestInit = {}) =>
    fetch(`${argo.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, ...init.headers },
    });

  beforeEach(async () => {
    argo = await LocalArgoCD.start({ tokens: [TOKEN] });
  });
  afterEach(async () => {
    await argo.stop();
  });
  afterAll(async () => {
    await stopSchemaWorker();
  });

  it('lists Applications by label selector, sorted by name, as an ApplicationList', async () => {
    await argo.upsert(app('phi-dev', labels('phi')));
    await argo.upsert(app('phi-prod', labels('phi', 'prod')));
    await argo.upsert(app('llama-dev', labels('llama')));

    const res = await get(
      `/api/v1/applications?selector=${encodeURIComponent('workload-catalog.dev/service-name=phi,workload-catalog.dev/environment in (dev, staging)')}`,
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(body.items.map((a: ArgoApplication) => a.metadata.name)).toEqual([
      'phi-dev',
    ]);
    // As argocd-server serves them: no apiVersion/kind (its API's Application message).
    expect(body.items[0]).not.toHaveProperty('apiVersion');
    expect(body.items[0]).not.toHaveProperty('kind');
    expect(body.items[0]).toMatchObject({
      metadata: { namespace: 'argocd', generation: 1 },
      spec: { project: 'default' },
    });
    expect(body.items[0].metadata.uid).toMatch(/^[0-9a-f-]{36}$/);

    const all = await (await get('/api/v1/applications')).json();
    expect(all.items.map((a: ArgoApplication) => a.metadata.name)).toEqual([
      'llama-dev',
      'phi-dev',
      'phi-prod',
    ]);
    const none = await (
      await get(
        '/api/v1/applications?selector=workload-catalog.dev/catalog=other',
      )
    ).json();
    expect(none.items).toEqual([]);
    const notIn = await (
      await get(
        `/api/v1/applications?selector=${encodeURIComponent('workload-catalog.dev/environment!=dev,!missing-label')}`,
      )
    ).json();
    expect(notIn.items.map((a: ArgoApplication) => a.metadata.name)).toEqual([
      'phi-prod',
    ]);
  });

  it('filters the list by name, project, repo and appNamespace', async () => {
    await argo.upsert(app('a', labels('a')));
    await argo.upsert(app('b', labels('b'), { project: 'ml' }));
    await argo.upsert(app('c', labels('c'), { namespace: 'team-apps' }));
    const names = async (query: string) =>
      (await (await get(`/api/v1/applications?${query}`)).json()).items.map(
        (x: ArgoApplication) => x.metadata.name,
      );
    expect(await names('name=a')).toEqual(['a']);
    expect(await names('projects=ml')).toEqual(['b']);
    expect(await names('projects=ml&projects=default')).toEqual(['a', 'b']);
    expect(
      await names(
        `repo=${encodeURIComponent('https://github.example.com/acme/catalog.git')}`,
      ),
    ).toEqual(['a', 'b']);
    expect(await names('appNamespace=team-apps')).toEqual(['c']);
  });

  it('gets one Application; a missing one is 403 unless the project is named (then 404)', async () => {
    await argo.upsert(app('phi-dev', labels('phi')));
    const res = await get('/api/v1/applications/phi-dev?refresh=normal');
    expect(res.status).toBe(200);
    expect((await res.json()).metadata.name).toBe('phi-dev');

    const hidden = await get('/api/v1/applications/nope');
    expect(hidden.status).toBe(403);
    expect(await hidden.json()).toEqual({
      error: 'permission denied',
      code: 7,
      message: 'permission denied',
    });
    const missing = await get('/api/v1/applications/nope?project=default');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: 'applications.argoproj.io "nope" not found',
      code: 5,
      message: 'applications.argoproj.io "nope" not found',
    });
    const otherProject = await get('/api/v1/applications/phi-dev?project=ml');
    expect(otherProject.status).toBe(404);
  });

  it('needs a session: bearer token or argocd.token cookie; /api/version does not', async () => {
    await argo.upsert(app('phi-dev', labels('phi')));
    const anonymous = await fetch(`${argo.url}/api/v1/applications`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      error: 'no session information',
      code: 16,
      message: 'no session information',
    });
    const wrong = await fetch(`${argo.url}/api/v1/applications/phi-dev`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).message).toMatch(/^invalid session/);
    const cookie = await fetch(`${argo.url}/api/v1/applications/phi-dev`, {
      headers: { cookie: `other=1; argocd.token=${TOKEN}` },
    });
    expect(cookie.status).toBe(200);
    const version = await fetch(`${argo.url}/api/version`);
    expect(version.status).toBe(200);
    expect(await version.json()).toEqual({ Version: 'v3.1.0+local' });
  });

  it('runs without authentication when no tokens are configured', async () => {
    const open = await LocalArgoCD.start({ tokens: [] });
    try {
      const res = await fetch(`${open.url}/api/v1/applications`);
      expect(res.status).toBe(200);
    } finally {
      await open.stop();
    }
  });

  it('rejects objects that Argo CD would not have, naming every problem', async () => {
    const broken = app('phi-dev', labels('phi'));
    delete broken.spec.project;
    await expect(argo.upsert(broken)).rejects.toThrow(InvalidApplicationError);
    await expect(argo.upsert(broken)).rejects.toThrow(
      /\/spec must have required property project/,
    );
    const badState = app('phi-dev', labels('phi'), {
      status: {
        sync: { status: 'Done' as any },
        health: { status: 'Fine' as any },
        operationState: { phase: 'Running' } as any,
      },
    });
    const error: InvalidApplicationError = await argo
      .upsert(badState)
      .catch(e => e);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        '/status/operationState must have required property operation',
        '/status/operationState must have required property startedAt',
        '/status/sync/status must be one of Synced, OutOfSync, Unknown; got "Done"',
        expect.stringMatching(/^\/status\/health\/status must be one of/),
      ]),
    );
    expect(argo.list()).toEqual([]);
  });

  it('every scripted state is a valid Application status', async () => {
    const ctx: StateContext = {
      revision: REV,
      workload: 'phi',
      namespace: 'ml-workloads',
      at: new Date('2026-11-27T10:00:00Z'),
    };
    const all = {
      created: states.created(ctx),
      outOfSync: states.outOfSync(ctx),
      syncing: states.syncing(ctx),
      progressing: states.progressing(ctx),
      healthy: states.healthy(ctx),
      degraded: states.degraded(
        ctx,
        'Deployment "phi" exceeded its progress deadline',
      ),
      syncFailed: states.syncFailed(ctx, 'one or more objects failed to apply'),
      comparisonError: states.comparisonError(ctx, 'helm template failed'),
      rollout: states.healthy({ ...ctx, kind: 'Rollout' }),
    };
    for (const [state, status] of Object.entries(all)) {
      const stored = await argo.upsert(
        app(`app-${state.toLowerCase()}`, labels(state.toLowerCase()), {
          status,
        }),
      );
      expect(stored.status).toEqual(status);
    }
    expect(all.healthy).toMatchObject({
      sync: { status: 'Synced', revision: REV },
      health: { status: 'Healthy', lastTransitionTime: '2026-11-27T10:00:00Z' },
      operationState: {
        phase: 'Succeeded',
        finishedAt: '2026-11-27T10:00:00Z',
      },
    });
    // Argo CD 3 keeps the reason on the resource, not on the application's health.
    expect(all.degraded.health).toEqual({
      status: 'Degraded',
      lastTransitionTime: '2026-11-27T10:00:00Z',
    });
    expect(all.degraded.resources).toContainEqual(
      expect.objectContaining({
        kind: 'Deployment',
        name: 'phi',
        health: {
          status: 'Degraded',
          message: 'Deployment "phi" exceeded its progress deadline',
        },
      }),
    );
  });

  it('setStatus replaces the given keys, keeps the others, and bumps resourceVersion', async () => {
    const first = await argo.upsert(
      app('phi-dev', labels('phi'), {
        status: states.progressing({ revision: REV, workload: 'phi' }),
      }),
    );
    const next = await argo.setStatus('phi-dev', {
      health: { status: 'Healthy' },
      operationState: null as any,
    });
    expect(next.status?.health).toEqual({ status: 'Healthy' });
    expect(next.status?.sync).toEqual(first.status?.sync);
    expect(next.status?.operationState).toBeUndefined();
    expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(
      Number(first.metadata.resourceVersion),
    );
    expect(next.metadata.uid).toBe(first.metadata.uid);
    expect(next.metadata.generation).toBe(2);
    await expect(argo.setStatus('nope', {})).rejects.toThrow(
      'no Application "nope" in argocd',
    );
    expect(argo.remove('phi-dev')).toBe(true);
    expect(argo.get('phi-dev')).toBeUndefined();
  });

  it('answers a malformed selector as Argo CD does (500, gRPC Unknown)', async () => {
    const res = await get(
      `/api/v1/applications?selector=${encodeURIComponent('a in (b')}`,
    );
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.code).toBe(2);
    expect(body.message).toMatch(/^error parsing the selector/);
    const badKey = await get(`/api/v1/applications?selector=-bad=1`);
    expect(badKey.status).toBe(500);
  });

  it('injects faults: a status for some calls, dropped connections, calls that never answer', async () => {
    await argo.upsert(app('phi-dev', labels('phi')));
    argo.addFault({ route: 'applications/list', status: 503, times: 2 });
    expect((await get('/api/v1/applications')).status).toBe(503);
    expect((await get('/api/v1/applications/phi-dev')).status).toBe(200);
    expect((await get('/api/v1/applications')).status).toBe(503);
    expect((await get('/api/v1/applications')).status).toBe(200);

    argo.addFault({ route: 'applications/get', kind: 'drop', after: 1 });
    expect((await get('/api/v1/applications/phi-dev')).status).toBe(200);
    await expect(get('/api/v1/applications/phi-dev')).rejects.toThrow(
      'fetch failed',
    );

    argo.addFault({ kind: 'hang' });
    await expect(
      get('/api/v1/applications', { signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow(/aborted|timeout/i);

    expect(argo.calls.map(c => [c.route, c.status, c.fault ?? ''])).toEqual([
      ['applications/list', 503, 'status'],
      ['applications/get', 200, ''],
      ['applications/list', 503, 'status'],
      ['applications/list', 200, ''],
      ['applications/get', 200, ''],
      ['applications/get', 0, 'drop'],
      ['applications/list', 0, 'hang'],
    ]);
    expect(argo.countCalls('applications/get')).toBe(3);
    argo.clearFaults();
    argo.resetCalls();
    expect((await get('/api/v1/applications')).status).toBe(200);
    expect(argo.countCalls()).toBe(1);
  });

  it("checks Applications against Argo CD's CRD, and requests and responses against its API description", async () => {
    expect(argo.checksSpecs).toBe(true);
    // A field the CRD does not have (Kubernetes would drop it; Argo CD never writes it).
    const invented = app('phi-dev', labels('phi'), {
      status: { ...states.healthy({ revision: REV }), deployedRevision: REV },
    });
    const error: InvalidApplicationError = await argo
      .upsert(invented)
      .catch(e => e);
    expect(error.problems).toContain(
      'CRD: /status must NOT have additional properties ("deployedRevision")',
    );
    await argo.upsert(
      app('phi-dev', labels('phi'), {
        status: states.healthy({ revision: REV }),
      }),
    );
    expect((await get('/api/v1/applications/phi-dev')).status).toBe(200);
    expect((await get('/api/v1/applications?selector=a%3Db')).status).toBe(200);
    expect((await get('/api/v1/applications/nope')).status).toBe(403);
    expect((await get('/api/version')).status).toBe(200);
    expect(argo.violations).toEqual([]);
    // A query parameter Argo CD's API does not have.
    await get('/api/v1/applications?labelSelector=a%3Db');
    expect(argo.violations).toEqual([
      expect.stringContaining(
        'request GET /api/v1/applications?labelSelector=a%3Db: ApplicationService_List: query parameter "labelSelector" is not in Argo CD\'s API (allowed: name, refresh, projects, resourceVersion, selector, repo, appNamespace, project)',
      ),
    ]);
    // What a response that does not follow the description is told.
    expect(
      responseProblems('applications/get', 500, { code: 'Unknown' }),
    ).toEqual(['ApplicationService_Get 500: /code must be integer']);
    expect(
      responseProblems('applications/list', 200, { items: [{ spec: 1 }] }),
    ).toEqual(
      expect.arrayContaining([
        'ApplicationService_List 200: /items/0/spec must be object',
      ]),
    );
  });

  it('records requests for routes it does not implement', async () => {
    const res = await get('/api/v1/applications/phi-dev/resource-tree');
    expect(res.status).toBe(404);
    expect(argo.violations).toEqual([
      'not implemented: GET /api/v1/applications/phi-dev/resource-tree',
    ]);
  });

  it('is scripted by other processes through /_local control endpoints', async () => {
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${argo.url}/_local${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect(
      (
        await control(
          'PUT',
          '/applications/phi-dev',
          app('phi-dev', labels('phi')),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await control(
          'PUT',
          '/applications/other',
          app('phi-dev', labels('phi')),
        )
      ).status,
    ).toBe(400);
    const patched = await control(
      'PATCH',
      '/applications/phi-dev/status',
      states.healthy({ revision: REV, workload: 'phi-dev' }),
    );
    expect(patched.status).toBe(200);
    expect((await patched.json()).status.health.status).toBe('Healthy');
    const invalid = await control('PATCH', '/applications/phi-dev/status', {
      operationState: { phase: 'Running' },
    });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).problems).toContain(
      '/status/operationState must have required property operation',
    );
    expect(
      (await control('PATCH', '/applications/nope/status', {})).status,
    ).toBe(404);
    expect(
      (
        await control('POST', '/faults', {
          route: 'applications/get',
          status: 500,
        })
      ).status,
    ).toBe(200);
    expect((await get('/api/v1/applications/phi-dev')).status).toBe(500);
    const calls = await (await control('GET', '/calls')).json();
    expect(calls.at(-1)).toMatchObject({
      route: 'applications/get',
      status: 500,
    });
    expect((await control('DELETE', '/faults')).status).toBe(200);
    expect((await control('GET', '/applications')).status).toBe(200);
    expect((await control('DELETE', '/applications/phi-dev')).status).toBe(200);
    expect((await control('DELETE', '/applications/phi-dev')).status).toBe(404);
    expect((await control('GET', '/nothing')).status).toBe(404);
    expect(await (await control('GET', '/violations')).json()).toEqual([]);
  });

  it('refuses to start with an invalid Application', async () => {
    const broken = app('x', labels('x'));
    delete broken.spec.destination;
    await expect(LocalArgoCD.start({ applications: [broken] })).rejects.toThrow(
      /must have required property destination/,
    );
  });
});
