/* The workload's replicas on the status: its live Deployment read through Argo CD's
 * resource endpoint (argocd-local answers it as Argo CD does). */
import { mockServices } from '@backstage/backend-test-utils';
import { states, stopSchemaWorker } from '@workload-catalog/argocd-local';
import { replicasOf, workloadResourceOf } from './argocd';
import { WorkloadStatusService } from './WorkloadStatusService';
import {
  ARGOCD_TOKEN,
  seedLeaf,
  startStatusStack,
  type StatusStack,
} from './__testUtils__/statusStack';

jest.setTimeout(60_000);

const APP = 'ml-inference.dev.ollama-phi';
const liveDeployment = (
  spec: number | undefined,
  current: number,
  ready: number,
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'ollama-phi', namespace: 'ml-workloads' },
  spec: spec === undefined ? {} : { replicas: spec },
  status: { replicas: current, readyReplicas: ready, updatedReplicas: current },
});

describe('the status reads the replicas of the live workload', () => {
  let stack: StatusStack;
  let clock: number;
  const service = () =>
    new WorkloadStatusService({
      config: {
        cacheTtlMs: 10_000,
        timeoutMs: 1000,
        argocd: {
          baseUrl: stack.argo.url,
          token: ARGOCD_TOKEN,
          uiUrl: 'https://argocd.example.com',
        },
        ollama: { urlPattern: stack.ollama.url },
      },
      catalogRepo: {
        host: stack.gh.host,
        ...stack.repo,
        webUrl: stack.webUrl,
        baseBranch: 'main',
      },
      githubClientFactory: stack.githubClientFactory,
      logger: mockServices.logger.mock(),
      now: () => clock,
    });

  beforeEach(async () => {
    stack = await startStatusStack();
    clock = Date.parse('2026-11-27T12:00:00Z');
    const pull = await stack.openPull(seedLeaf());
    const sha = await stack.merge(pull.number);
    await stack.setApp(
      states.healthy({
        revision: sha,
        workload: 'ollama-phi',
        namespace: 'ml-workloads',
      }),
    );
  });
  afterEach(async () => {
    const violations = [...stack.argo.violations];
    await stack.stop();
    if (violations.length)
      throw new Error(`API violations:\n${violations.join('\n')}`);
  });
  afterAll(() => stopSchemaWorker());

  it('current, ready and desired from the Deployment Argo CD has live', async () => {
    stack.argo.setLiveResource(APP, liveDeployment(3, 2, 1));
    const s = await service().getStatus(await stack.entity('merged'));
    expect(s.argocd?.workloadResource).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'ml-workloads',
      name: 'ollama-phi',
    });
    expect(s.replicas).toEqual({
      kind: 'Deployment',
      name: 'ollama-phi',
      desired: 3,
      current: 2,
      ready: 1,
    });
    expect(s.sources.argocd).toEqual({ state: 'ok' });
    const call = stack.argo.calls.find(
      c => c.route === 'applications/resource',
    );
    expect(call?.path).toBe(
      `/api/v1/applications/${APP}/resource?namespace=ml-workloads&resourceName=ollama-phi&version=v1&group=apps&kind=Deployment&appNamespace=argocd`,
    );
  });

  it('has no replicas while Argo CD has no live object (400), and says nothing', async () => {
    const s = await service().getStatus(await stack.entity('merged'));
    expect(s.replicas).toBeUndefined();
    expect(s.sources.argocd).toEqual({ state: 'ok' });
  });

  it('does not ask Ollama when the workload is scaled to zero, and is ready', async () => {
    stack.argo.setLiveResource(APP, liveDeployment(0, 0, 0));
    const s = await service().getStatus(await stack.entity('merged'));
    expect(s.replicas).toMatchObject({ desired: 0, current: 0, ready: 0 });
    expect(s.sources.ollama).toEqual({
      state: 'not-applicable',
      message: 'scaled to zero: no replica to ask',
    });
    expect(stack.ollama.calls).toEqual([]);
    expect(s.steps.find(x => x.id === 'model-pulled')?.state).toBe('skipped');
    expect(s.phase).toBe('ready');
  });

  it('says why when Argo CD does not answer for the resource', async () => {
    stack.argo.setLiveResource(APP, liveDeployment(1, 1, 1));
    stack.argo.addFault({ route: 'applications/resource', status: 503 });
    const s = await service().getStatus(await stack.entity('merged'));
    expect(s.replicas).toBeUndefined();
    expect(s.sources.argocd).toEqual({
      state: 'ok',
      message: 'replicas not known: Argo CD answered 503: service unavailable',
    });
    expect(s.argocd?.healthStatus).toBe('Healthy');
  });
});

describe('replicasOf and workloadResourceOf', () => {
  it('reads a scaled-to-zero Deployment and a manifest without spec.replicas', () => {
    expect(replicasOf(liveDeployment(0, 0, 0))).toMatchObject({
      desired: 0,
      current: 0,
      ready: 0,
    });
    expect(replicasOf(liveDeployment(undefined, 1, 0)).desired).toBe(1);
  });

  it('finds a StatefulSet or a Rollout among the resources, and nothing in an empty list', () => {
    const app = (kind: string, group: string) => ({
      spec: { destination: { namespace: 'ml' } },
      status: { resources: [{ group, version: 'v1', kind, name: 'x' }] },
    });
    expect(workloadResourceOf(app('StatefulSet', 'apps'))).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'StatefulSet',
      namespace: 'ml',
      name: 'x',
    });
    expect(workloadResourceOf(app('Rollout', 'argoproj.io'))?.kind).toBe(
      'Rollout',
    );
    expect(workloadResourceOf(app('ConfigMap', ''))).toBeUndefined();
    expect(workloadResourceOf({})).toBeUndefined();
  });
});
