import * as local from '@workload-catalog/argocd-local';
import {
  ArgoCdClient,
  catalogSourceIndex,
  healthMessage,
  normalizeRepoUrl,
  toArgoCdInfo,
} from './argocd';

describe('Argo CD applications', () => {
  it("uses the app's own health message (Argo CD 2) before the resources'", () => {
    expect(
      healthMessage({
        status: {
          health: { status: 'Degraded', message: 'app says so' },
          resources: [
            {
              kind: 'Deployment',
              name: 'x',
              health: { status: 'Degraded', message: 'res' },
            },
          ],
        },
      }),
    ).toBe('app says so');
  });

  it('joins the messages of the resources that are not healthy (Argo CD 3)', () => {
    expect(
      healthMessage({
        status: {
          health: { status: 'Progressing' },
          resources: [
            {
              kind: 'Service',
              name: 's',
              health: { status: 'Healthy', message: 'fine' },
            },
            {
              kind: 'Deployment',
              name: 'd',
              health: { status: 'Progressing', message: 'rolling out' },
            },
            {
              kind: 'PersistentVolumeClaim',
              name: 'p',
              health: { status: 'Degraded', message: 'no storage class' },
            },
          ],
        },
      }),
    ).toBe(
      'Deployment d: rolling out; PersistentVolumeClaim p: no storage class',
    );
    expect(
      healthMessage({ status: { health: { status: 'Healthy' } } }),
    ).toBeUndefined();
    expect(healthMessage({})).toBeUndefined();
  });

  it('reduces an Application to what the timeline needs', () => {
    const info = toArgoCdInfo(
      {
        metadata: { name: 'ml.dev.phi', namespace: 'argocd' },
        status: {
          sync: { status: 'Synced', revision: 'abc' },
          health: {
            status: 'Healthy',
            lastTransitionTime: '2026-11-27T10:00:00Z',
          },
          operationState: {
            phase: 'Succeeded',
            startedAt: '2026-11-27T09:59:00Z',
            finishedAt: '2026-11-27T09:59:30Z',
            operation: { sync: { revision: 'abc' } },
          },
          history: [
            { id: 1, revision: 'old', deployedAt: '2026-11-26T00:00:00Z' },
            { id: 2, revision: 'abc', deployedAt: '2026-11-27T09:59:30Z' },
          ],
          conditions: [
            {
              type: 'SyncError',
              message: 'x',
              lastTransitionTime: '2026-11-27T09:00:00Z',
            },
          ],
          reconciledAt: '2026-11-27T10:01:00Z',
        },
      },
      'https://argo.example',
    );
    expect(info).toEqual({
      name: 'ml.dev.phi',
      namespace: 'argocd',
      url: 'https://argo.example/applications/argocd/ml.dev.phi',
      syncStatus: 'Synced',
      revision: 'abc',
      healthStatus: 'Healthy',
      healthSince: '2026-11-27T10:00:00Z',
      operation: {
        phase: 'Succeeded',
        startedAt: '2026-11-27T09:59:00Z',
        finishedAt: '2026-11-27T09:59:30Z',
        revision: 'abc',
      },
      conditions: [
        { type: 'SyncError', message: 'x', at: '2026-11-27T09:00:00Z' },
      ],
      reconciledAt: '2026-11-27T10:01:00Z',
      deployedAt: '2026-11-27T09:59:30Z',
    });
    expect(toArgoCdInfo({ metadata: { name: 'bare' } }, 'https://a')).toEqual({
      name: 'bare',
      namespace: 'argocd',
      url: 'https://a/applications/argocd/bare',
      syncStatus: 'Unknown',
      healthStatus: 'Unknown',
      conditions: [],
    });
  });
});

describe('multi-source Applications (spec.sources)', () => {
  const CATALOG = 'https://github.com/acme/catalog';
  const sources = [
    {
      repoURL: 'https://github.com/acme/workload-catalog.git',
      targetRevision: 'main',
      path: 'charts/ollama-inference-load',
      helm: { valueFiles: ['$catalog/catalog/ml/dev/phi.yaml'] },
    },
    { repoURL: `${CATALOG}.git`, targetRevision: 'main', ref: 'catalog' },
  ];
  // As Argo CD's controller writes it: one revision per source, in spec.sources order,
  // and the singular revision fields empty.
  const multi = (catalogRev: string, chartRev = 'c0ffee') => ({
    metadata: { name: 'ml.dev.phi', namespace: 'argocd' },
    spec: { sources },
    status: {
      sync: {
        status: 'Synced',
        revisions: [chartRev, catalogRev],
        comparedTo: { sources, destination: {} },
      },
      health: { status: 'Healthy' },
      operationState: {
        phase: 'Succeeded',
        startedAt: '2026-11-27T09:59:00Z',
        finishedAt: '2026-11-27T09:59:30Z',
        operation: { sync: { revisions: [chartRev, catalogRev] } },
        syncResult: { revisions: [chartRev, catalogRev], sources },
      },
      history: [
        {
          id: 0,
          revisions: [chartRev, 'older'],
          sources,
          deployedAt: '2026-11-26T00:00:00Z',
        },
        {
          id: 1,
          revisions: [chartRev, catalogRev],
          sources,
          deployedAt: '2026-11-27T09:59:30Z',
        },
      ],
    },
  });

  it("reads the catalog source's entry of the plural revision fields", () => {
    const info = toArgoCdInfo(multi('cat123'), 'https://ui', CATALOG);
    expect(info).toMatchObject({
      revision: 'cat123',
      operation: { revision: 'cat123' },
      deployedAt: '2026-11-27T09:59:30Z',
    });
    // Never the chart repo's revision, which sits first.
    expect(JSON.stringify(info)).not.toContain('c0ffee');
  });

  it('finds the catalog source by repoURL in any spelling, else as the ref source the values read', () => {
    expect(normalizeRepoUrl('https://GitHub.com/acme/catalog.git/')).toBe(
      'github.com/acme/catalog',
    );
    expect(normalizeRepoUrl('git@github.com:acme/catalog.git')).toBe(
      'github.com/acme/catalog',
    );
    // trailing slashes, however many, before and after .git (a linear-time pattern)
    expect(normalizeRepoUrl('https://github.com/acme/catalog///.git//')).toBe(
      'github.com/acme/catalog',
    );
    expect(normalizeRepoUrl('///')).toBe('');
    expect(catalogSourceIndex(sources, 'git@github.com:acme/catalog')).toBe(1);
    const reordered = [sources[1], sources[0]];
    expect(catalogSourceIndex(reordered, CATALOG)).toBe(0);
    // Another URL for the catalog repo (a mirror): the `ref` source $catalog/... reads.
    expect(catalogSourceIndex(sources, 'https://mirror.example/x')).toBe(1);
    expect(catalogSourceIndex(sources)).toBe(1);
    expect(catalogSourceIndex([sources[0]], 'https://mirror.example/x')).toBe(
      -1,
    );
    expect(catalogSourceIndex(undefined, CATALOG)).toBe(-1);
  });

  it("reads a history entry by that entry's own sources (the spec may have changed since)", () => {
    const app = multi('new');
    app.status.history[1] = {
      id: 1,
      revisions: ['new', 'c0ffee'],
      sources: [sources[1], sources[0]],
      deployedAt: '2026-11-27T11:00:00Z',
    };
    expect(toArgoCdInfo(app, 'https://ui', CATALOG).deployedAt).toBe(
      '2026-11-27T11:00:00Z',
    );
  });

  it('does not read the singular fields of a multi-source app, nor the plural ones of a single-source app', () => {
    const app = multi('cat123');
    (app.status.sync as any).revision = 'stale-singular';
    expect(toArgoCdInfo(app, 'https://ui', CATALOG).revision).toBe('cat123');
    const single = {
      metadata: { name: 'a' },
      spec: { source: sources[1] },
      status: { sync: { status: 'Synced', revision: 'one', revisions: ['x'] } },
    };
    expect(toArgoCdInfo(single, 'https://ui', CATALOG).revision).toBe('one');
    const unsynced = multi('');
    expect(toArgoCdInfo(unsynced, 'https://ui', CATALOG)).not.toHaveProperty(
      'revision',
    );
  });
});

describe('ArgoCdClient against the local Argo CD', () => {
  let argo: local.LocalArgoCD;
  const labels = {
    'workload-catalog.dev/service-name': 'phi',
    'workload-catalog.dev/catalog': 'ml',
    'workload-catalog.dev/environment': 'dev',
  };
  const selector =
    'workload-catalog.dev/service-name=phi,workload-catalog.dev/catalog=ml,workload-catalog.dev/environment=dev';
  const client = () =>
    new ArgoCdClient({
      baseUrl: argo.url,
      token: 't',
      uiUrl: 'https://ui',
      timeoutMs: 1000,
    });

  beforeEach(async () => {
    argo = await local.LocalArgoCD.start({ tokens: ['t'] });
  });
  afterEach(() => argo.stop());
  afterAll(() => local.stopSchemaWorker());

  const app = (name: string, namespace?: string) =>
    local.application({
      name,
      namespace,
      labels,
      repoURL: 'https://example.com/c.git',
      destination: { namespace: 'ml' },
    });

  it('prefers the named Application when several carry the labels, and lists the others', async () => {
    await argo.upsert(app('a-copy'));
    await argo.upsert(app('ml.dev.phi'));
    const found = await client().findApplication(selector, 'ml.dev.phi');
    expect(found).toMatchObject({ name: 'ml.dev.phi', others: ['a-copy'] });
    const first = await client().findApplication(selector);
    expect(first).toMatchObject({ name: 'a-copy', others: ['ml.dev.phi'] });
    expect(
      await client().findApplication('workload-catalog.dev/service-name=none'),
    ).toBeNull();
  });

  it('asks for the configured application namespace', async () => {
    await argo.upsert(app('ml.dev.phi', 'team-apps'));
    expect(await client().findApplication(selector)).toBeNull();
    const c = new ArgoCdClient({
      baseUrl: argo.url,
      token: 't',
      uiUrl: 'https://ui',
      appNamespace: 'team-apps',
      timeoutMs: 1000,
    });
    expect(await c.findApplication(selector)).toMatchObject({
      name: 'ml.dev.phi',
      url: 'https://ui/applications/team-apps/ml.dev.phi',
    });
  });

  it('explains a refusal and an answer that is not JSON', async () => {
    argo.addFault({
      route: 'applications/list',
      status: 403,
      body: { message: 'permission denied', code: 7 },
    });
    await expect(client().findApplication(selector)).rejects.toThrow(
      'Argo CD refused to list applications (403: permission denied); the token needs "applications, get" in Argo CD\'s RBAC',
    );
    argo.addFault({ route: 'applications/list', status: 200, body: 'hello' });
    await expect(client().findApplication(selector)).rejects.toThrow(
      'Argo CD did not answer JSON',
    );
    const stopped = await local.LocalArgoCD.start();
    await stopped.stop();
    const gone = new ArgoCdClient({
      baseUrl: stopped.url,
      token: 't',
      uiUrl: 'x',
      timeoutMs: 1000,
    });
    await expect(gone.findApplication(selector)).rejects.toThrow(
      `Argo CD at ${stopped.url} is not reachable: fetch failed (ECONNREFUSED)`,
    );
  });

  it('refuses to guess the revision of a multi-source app without a catalog source', async () => {
    const a = app('ml.dev.phi');
    a.spec = {
      ...a.spec,
      source: undefined,
      sources: [
        {
          repoURL: 'https://example.com/charts.git',
          targetRevision: 'main',
          path: 'charts/x',
        },
        { repoURL: 'https://example.com/other.git', targetRevision: 'main' },
      ],
    };
    delete a.spec.source;
    await argo.upsert(a);
    const c = new ArgoCdClient({
      baseUrl: argo.url,
      token: 't',
      uiUrl: 'https://ui',
      timeoutMs: 1000,
      catalogRepoUrl: 'https://example.com/c',
    });
    await expect(c.findApplication(selector)).rejects.toThrow(
      'Application ml.dev.phi has 2 sources and none is the catalog repo https://example.com/c (by repoURL, or as the ref source its Helm valueFiles read as $<ref>/...), so which catalog commit it deploys is not known',
    );
  });
});
