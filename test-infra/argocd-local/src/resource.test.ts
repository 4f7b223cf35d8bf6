/* GET /api/v1/applications/{name}/resource: the live manifest of one of an app's resources. */
import { application } from './applications';
import { stopSchemaWorker } from './schema';
import { LocalArgoCD } from './server';
import { responseProblems } from './specs';

const TOKEN = 'test-argocd-token';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'ollama-phi', namespace: 'ml-workloads' },
  spec: { replicas: 2 },
  status: { replicas: 2, readyReplicas: 1, updatedReplicas: 2 },
};

describe('LocalArgoCD: an application resource', () => {
  let argo: LocalArgoCD;
  const get = (path: string) =>
    fetch(`${argo.url}${path}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
  const query = (extra: Record<string, string> = {}) =>
    new URLSearchParams({
      namespace: 'ml-workloads',
      resourceName: 'ollama-phi',
      version: 'v1',
      group: 'apps',
      kind: 'Deployment',
      ...extra,
    });

  beforeEach(async () => {
    argo = await LocalArgoCD.start({ tokens: [TOKEN] });
    await argo.upsert(
      application({
        name: 'ml-inference.dev.ollama-phi',
        labels: {},
        repoURL: 'https://github.example.com/acme/catalog.git',
        path: 'charts/ollama-inference-load',
        destination: { namespace: 'ml-workloads' },
      }),
    );
  });
  afterEach(async () => {
    await argo.stop();
  });
  afterAll(async () => {
    await stopSchemaWorker();
  });

  it('answers the live manifest as a JSON string, as Argo CD does', async () => {
    argo.setLiveResource('ml-inference.dev.ollama-phi', deployment);
    const res = await get(
      `/api/v1/applications/ml-inference.dev.ollama-phi/resource?${query()}`,
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(['manifest']);
    expect(JSON.parse(body.manifest)).toEqual(deployment);
    expect(responseProblems('applications/resource', 200, body)).toEqual([]);
    expect(argo.violations).toEqual([]);
  });

  it('is 400 (InvalidArgument) for a resource not part of the application', async () => {
    const res = await get(
      `/api/v1/applications/ml-inference.dev.ollama-phi/resource?${query({ kind: 'StatefulSet' })}`,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error:
        'StatefulSet apps ollama-phi not found as part of application ml-inference.dev.ollama-phi',
      code: 3,
      message:
        'StatefulSet apps ollama-phi not found as part of application ml-inference.dev.ollama-phi',
    });
  });

  it('hides a missing application (403) and needs a session (401)', async () => {
    const res = await get(`/api/v1/applications/nope/resource?${query()}`);
    expect(res.status).toBe(403);
    const anonymous = await fetch(
      `${argo.url}/api/v1/applications/ml-inference.dev.ollama-phi/resource?${query()}`,
    );
    expect(anonymous.status).toBe(401);
  });

  it('records a query parameter the API does not declare', async () => {
    argo.setLiveResource('ml-inference.dev.ollama-phi', deployment);
    await get(
      `/api/v1/applications/ml-inference.dev.ollama-phi/resource?${query({ replicas: '1' })}`,
    );
    expect(argo.violations.join('\n')).toMatch(/replicas/);
  });

  it('is scripted by other processes through /_local', async () => {
    const put = await fetch(
      `${argo.url}/_local/applications/ml-inference.dev.ollama-phi/resources`,
      { method: 'PUT', body: JSON.stringify(deployment) },
    );
    expect(put.status).toBe(200);
    const res = await get(
      `/api/v1/applications/ml-inference.dev.ollama-phi/resource?${query()}`,
    );
    expect(JSON.parse((await res.json()).manifest).status.readyReplicas).toBe(
      1,
    );
  });
});
