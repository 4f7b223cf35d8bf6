import * as local from '@workload-catalog/argocd-local';
import { ArgoCdClient, healthMessage, toArgoCdInfo } from './argocd';

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
});
