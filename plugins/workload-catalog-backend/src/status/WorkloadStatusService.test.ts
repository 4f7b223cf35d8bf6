import { mockServices } from '@backstage/backend-test-utils';
import {
  loadApplicationSet,
  renderApplications,
  sourcesContext,
  states,
  stopSchemaWorker,
  type ApplicationStatus,
  type ArgoApplication,
} from '@workload-catalog/argocd-local';
import { LocalTgi } from '@workload-catalog/tgi-local';
import type { WorkloadStatusResponse } from '@workload-catalog/plugin-workload-catalog-common';
import type { StatusConfig } from './config';
import { WorkloadStatusService } from './WorkloadStatusService';
import {
  ARGOCD_TOKEN,
  SEED_PATH,
  seedLeaf,
  startStatusStack,
  type StatusStack,
} from './__testUtils__/statusStack';

const stepsOf = (s: WorkloadStatusResponse) =>
  Object.fromEntries(s.steps.map(step => [step.id, step.state]));
const step = (s: WorkloadStatusResponse, id: string) =>
  s.steps.find(x => x.id === id)!;

// Three local servers, the ApplicationSet rendered by Go and CRD checks: more than jest's
// default 5 s for the first test on a busy 2-core machine.
jest.setTimeout(60_000);

describe('WorkloadStatusService', () => {
  let stack: StatusStack;
  let clock: number;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  const service = (over: Partial<StatusConfig> = {}) =>
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
        ...over,
      },
      catalogRepo: {
        host: stack.gh.host,
        ...stack.repo,
        webUrl: stack.webUrl,
        baseBranch: 'main',
      },
      githubClientFactory: stack.githubClientFactory,
      logger,
      now: () => clock,
    });

  beforeEach(async () => {
    stack = await startStatusStack();
    clock = Date.parse('2026-11-27T12:00:00Z');
    logger = mockServices.logger.mock();
  });
  afterEach(async () => {
    const violations = [
      ...stack.gh.violations,
      ...stack.argo.violations,
      ...stack.ollama.violations,
    ];
    await stack.stop();
    if (violations.length)
      throw new Error(`API violations:\n${violations.join('\n')}`);
  });
  afterAll(() => stopSchemaWorker());

  it('follows a workload from "PR open" to "Ready"', async () => {
    const status = service();
    const pull = await stack.openPull(seedLeaf());
    const proposed = await stack.entity('proposed', pull.number);

    const open = await status.getStatus(proposed);
    expect(open.summary).toBe('PR open');
    expect(open.sources).toEqual({
      github: { state: 'ok' },
      argocd: { state: 'ok' },
      ollama: { state: 'ok' },
    });
    expect(open.pullRequest).toMatchObject({
      number: pull.number,
      state: 'open',
      kind: 'create',
      author: 'workload-catalog-bot',
      url: `${stack.webUrl}/pull/${pull.number}`,
    });
    expect(open.argocd).toBeNull();
    expect(open.workload).toMatchObject({
      serviceName: 'ollama-phi',
      leafPath: SEED_PATH,
      source: 'proposed',
      models: ['phi:latest'],
    });

    await stack.review(pull.number, 'APPROVE');
    const mergeSha = await stack.merge(pull.number);
    const merged = await stack.entity('merged');
    clock += 60_000; // past the cache
    const waiting = await status.getStatus(merged);
    expect(waiting.phase).toBe('deploying');
    expect(stepsOf(waiting)).toMatchObject({
      'pr-opened': 'done',
      'pr-reviewed': 'done',
      'pr-merged': 'done',
      'argocd-synced': 'active',
    });
    expect(step(waiting, 'pr-merged').link?.url).toBe(
      `${stack.webUrl}/commit/${mergeSha}`,
    );

    const ctx = {
      revision: mergeSha,
      workload: 'ollama-phi',
      namespace: 'ml-workloads',
    };
    await stack.setApp(
      states.progressing(
        ctx,
        'Waiting for rollout to finish: 0 of 1 updated replicas are available...',
      ),
    );
    clock += 60_000;
    const starting = await status.getStatus(merged);
    expect(starting.summary).toBe(
      'Deploying: Deployment ollama-phi: Waiting for rollout to finish: 0 of 1 updated replicas are available...',
    );
    expect(starting.argocd).toMatchObject({
      name: 'ml-inference.dev.ollama-phi',
      url: 'https://argocd.example.com/applications/argocd/ml-inference.dev.ollama-phi',
      deploysPullRequest: true,
    });
    expect(step(starting, 'model-pulled')).toMatchObject({
      state: 'active',
      message: 'Waiting for phi:latest',
    });

    await stack.setApp(states.healthy(ctx));
    stack.ollama.pull('phi:latest');
    clock += 60_000;
    const ready = await status.getStatus(merged);
    expect(ready.summary).toBe('Ready');
    expect(ready.phase).toBe('ready');
    expect(ready.models).toEqual([
      expect.objectContaining({
        ref: 'phi:latest',
        pulled: true,
        loaded: false,
      }),
    ]);
    stack.ollama.load('phi:latest');
    clock += 60_000;
    const loaded = await status.getStatus(merged);
    expect(step(loaded, 'model-pulled').message).toBe(
      'phi:latest on the server; in memory: phi:latest',
    );
    expect(loaded.models![0].expiresAt).toMatch(/^\d{4}-/);
  });

  it('shows a degraded app with the reason Argo CD 3 puts on the resource', async () => {
    const pull = await stack.openPull(seedLeaf());
    const sha = await stack.merge(pull.number);
    await stack.setApp(
      states.degraded(
        { revision: sha, workload: 'ollama-phi', namespace: 'ml-workloads' },
        'Deployment "ollama-phi" exceeded its progress deadline',
      ),
    );
    const s = await service().getStatus(await stack.entity('merged'));
    expect(s.phase).toBe('degraded');
    expect(s.summary).toBe(
      'Degraded: Deployment ollama-phi: Deployment "ollama-phi" exceeded its progress deadline',
    );
    expect(step(s, 'model-pulled')).toMatchObject({ state: 'failed' });
  });

  it('compares the digest the leaf pins with the one the server has', async () => {
    const pulled = stack.ollama.pull('phi:latest').digest;
    const other = pulled.startsWith('0') ? '1'.repeat(12) : '0'.repeat(12);
    const ctx = { workload: 'ollama-phi', namespace: 'ml-workloads' };
    const first = await stack.openPull(seedLeaf(`phi:latest@sha256:${other}`));
    await stack.setApp(
      states.healthy({ ...ctx, revision: await stack.merge(first.number) }),
    );
    const moved = await service().getStatus(await stack.entity('merged'));
    expect(moved.models).toEqual([
      expect.objectContaining({
        ref: 'phi:latest',
        digest: pulled,
        pinnedDigest: other,
      }),
    ]);
    expect(moved.phase).toBe('degraded');
    expect(step(moved, 'model-pulled')).toMatchObject({
      state: 'failed',
      message: `phi:latest on the server is sha256:${pulled.slice(0, 12)}, the leaf pins sha256:${other}: the tag has moved since it was pinned (pull the pinned model again, or pin the new digest in the leaf)`,
    });

    const fixed = await stack.openPull(
      seedLeaf(`phi:latest@sha256:${pulled.slice(0, 16)}`),
      'Update ollama-phi in dev: pin phi:latest',
    );
    await stack.setApp(
      states.healthy({ ...ctx, revision: await stack.merge(fixed.number) }),
    );
    clock += 60_000;
    const ok = await service().getStatus(await stack.entity('merged'));
    expect(ok.phase).toBe('ready');
    expect(step(ok, 'model-pulled').message).toBe(
      'phi:latest on the server (pinned digests match); not in memory yet',
    );
  });

  it('follows a Text Generation Inference workload through its /info and /health', async () => {
    const sha = '0e9e39f249a16976918f6564b8830bc894c89659';
    const tgiLeaf = (revision: string) => `workloadType: ML_INFERENCE_LOAD
serviceName: ollama-phi
serviceCatalog: ml-inference
namespace: ml-workloads
environment: dev
model:
  id: microsoft/phi-2
  revision: "${revision}"
gpu:
  count: 1
`;
    const pull = await stack.openPull(tgiLeaf(sha.slice(0, 12)));
    const merged = await stack.merge(pull.number);
    const ctx = { workload: 'ollama-phi', namespace: 'ml-workloads' };
    await stack.setApp(states.progressing({ ...ctx, revision: merged }));
    const entity = await stack.entity('merged');
    // Before TGI's router listens: the source says why, the step waits on Argo CD's health.
    const closed = await LocalTgi.start({ modelId: 'microsoft/phi-2' });
    const closedUrl = closed.url;
    await closed.stop();
    const starting = await service({
      tgi: { urlPattern: closedUrl },
    }).getStatus(entity);
    expect(starting.sources.tgi).toMatchObject({ state: 'unavailable' });
    expect(starting.sources.tgi?.message).toContain(`${closedUrl}/info`);
    expect(step(starting, 'model-pulled').state).toBe('pending');

    const tgi = await LocalTgi.start({
      modelId: 'microsoft/phi-2',
      modelSha: sha,
      healthy: false,
    });
    try {
      const s = () => service({ tgi: { urlPattern: tgi.url } });
      const loading = await s().getStatus(entity);
      expect(loading.sources.tgi).toEqual({ state: 'ok' });
      expect(step(loading, 'model-pulled')).toMatchObject({
        state: 'active',
        message:
          'microsoft/phi-2 at 0e9e39f249a1 is loading (TGI /health does not answer yet)',
      });
      tgi.setHealthy(true);
      await stack.setApp(states.healthy({ ...ctx, revision: merged }));
      clock += 60_000;
      const ready = await s().getStatus(entity);
      expect(ready.phase).toBe('ready');
      expect(step(ready, 'model-pulled').message).toBe(
        'microsoft/phi-2 at 0e9e39f249a1 loaded; the server answers (TGI /info, /health)',
      );
      // The server still runs another revision than the one the leaf pins.
      tgi.serve('microsoft/phi-2', 'f'.repeat(40));
      clock += 60_000;
      const moved = await s().getStatus(entity);
      expect(moved.phase).toBe('degraded');
      expect(step(moved, 'model-pulled').message).toBe(
        'microsoft/phi-2 is loaded at revision ffffffffffff, the leaf pins 0e9e39f249a1',
      );
      expect(stack.ollama.countCalls()).toBe(0);
      // Turned off: the step follows Argo CD's health again, and says so.
      const off = await service({ tgi: undefined }).getStatus(entity);
      expect(off.sources.tgi).toEqual({
        state: 'unconfigured',
        message: 'turned off (workloadCatalog.status.tgi.enabled: false)',
      });
      expect(step(off, 'model-pulled').state).toBe('done');
    } finally {
      await tgi.stop();
    }
  });

  it('tells whether the revision Argo CD deployed has the merged leaf', async () => {
    const first = await stack.openPull(seedLeaf());
    const before = await stack.merge(first.number);
    const update = await stack.openPull(
      seedLeaf('phi:latest', 2),
      'Update ollama-phi in dev: phi:latest on 2 GPUs',
    );
    const after = await stack.merge(update.number);
    const entity = await stack.entity('merged');
    const ctx = { workload: 'ollama-phi', namespace: 'ml-workloads' };
    await stack.setApp(states.healthy({ ...ctx, revision: before }));
    const s = service();
    const old = await s.getStatus(entity);
    expect(old.pullRequest).toMatchObject({
      number: update.number,
      kind: 'update',
      state: 'merged',
    });
    expect(old.argocd?.deploysPullRequest).toBe(false);
    expect(step(old, 'argocd-synced').message).toBe(
      `Synced to ${before.slice(0, 7)}, which does not have the change of #${update.number} yet`,
    );
    // A later commit that leaves this leaf alone still deploys the change.
    const later = await stack.commitOther(
      'catalog/shop/dev/other.yaml',
      'x: 1\n',
    );
    await stack.setApp(states.healthy({ ...ctx, revision: later }));
    clock += 60_000;
    const current = await s.getStatus(entity);
    expect(current.argocd?.deploysPullRequest).toBe(true);
    expect(step(current, 'argocd-synced').state).toBe('done');
    void after;
  });

  it("reads a multi-source Application as Argo CD writes it for deploy/argocd's ApplicationSet: synced before the merge is not Ready", async () => {
    const first = await stack.openPull(seedLeaf());
    const before = await stack.merge(first.number);
    const update = await stack.openPull(
      seedLeaf('phi:latest', 2),
      'Update ollama-phi in dev: phi:latest on 2 GPUs',
    );
    const merged = await stack.merge(update.number);
    const entity = await stack.entity('merged');
    // The Application the ApplicationSet generates from the merged leaf (argocd-local
    // renders deploy/argocd/applicationset.yaml over the catalog repo's file).
    const leaf = await stack.octokit.rest.repos.getContent({
      ...stack.repo,
      path: SEED_PATH,
      ref: merged,
    });
    const appSet = loadApplicationSet({
      catalogRepoURL: `${stack.webUrl}.git`,
    });
    const [rendered] = await renderApplications(appSet, [
      {
        path: SEED_PATH,
        content: Buffer.from(
          (leaf.data as { content: string }).content,
          'base64',
        ).toString('utf8'),
      },
    ]);
    const app = (rendered as { application: ArgoApplication }).application;
    expect(app.spec.sources).toHaveLength(2);
    const CHART_SHA = 'c'.repeat(40);
    const at = (catalogSha: string): ApplicationStatus =>
      states.healthy({
        revision: catalogSha,
        workload: 'ollama-phi',
        namespace: 'ml-workloads',
        // The chart repo first, the catalog repo (the `ref` source) second.
        ...sourcesContext(app, src => (src.ref ? catalogSha : CHART_SHA)),
      });
    stack.ollama.pull('phi:latest');
    const s = service();

    await stack.argo.upsert({ ...app, status: at(before) });
    const served = (
      await (
        await fetch(
          `${stack.argo.url}/api/v1/applications/${app.metadata.name}`,
          {
            headers: { authorization: `Bearer ${ARGOCD_TOKEN}` },
          },
        )
      ).json()
    ).status;
    // What Argo CD's controller writes: no singular revision anywhere in sync or history.
    expect(served.sync.revision).toBeUndefined();
    expect(served.sync.revisions).toEqual([CHART_SHA, before]);
    expect(served.history[0].revision).toBeUndefined();
    const old = await s.getStatus(entity);
    expect(old.argocd).toMatchObject({
      revision: before,
      deploysPullRequest: false,
      operation: { revision: before },
    });
    expect(old.summary).not.toBe('Ready');
    expect(old.phase).not.toBe('ready');
    expect(step(old, 'argocd-synced')).toMatchObject({
      state: 'active',
      message: `Synced to ${before.slice(0, 7)}, which does not have the change of #${update.number} yet`,
    });

    await stack.argo.upsert({ ...app, status: at(merged) });
    clock += 60_000;
    const now = await s.getStatus(entity);
    expect(now.argocd).toMatchObject({
      revision: merged,
      deploysPullRequest: true,
    });
    expect(now.summary).toBe('Ready');
    expect(now.argocd?.revision).not.toBe(CHART_SHA);
    expect(stack.argo.violations).toEqual([]);
  });

  it('never fails as a whole: each source that is down says why', async () => {
    const pull = await stack.openPull(seedLeaf());
    await stack.merge(pull.number);
    const entity = await stack.entity('merged');
    stack.gh.faults.serverError('pulls/list', { status: 500, times: 1 });
    stack.argo.addFault({ route: 'applications/list', status: 503 });
    stack.ollama.addFault({ route: 'tags', kind: 'drop' });
    const s = await service().getStatus(entity);
    expect(s.sources.github).toEqual({
      state: 'unavailable',
      message: expect.stringMatching(/^GitHub answered 500: /),
    });
    expect(s.sources.argocd).toEqual({
      state: 'unavailable',
      message: 'Argo CD answered 503: service unavailable',
    });
    expect(s.sources.ollama).toEqual({
      state: 'unavailable',
      message: expect.stringMatching(
        /\/api\/tags is not reachable: fetch failed/,
      ),
    });
    expect(stepsOf(s)).toMatchObject({
      'pr-opened': 'unknown',
      'pr-merged': 'done',
      'argocd-synced': 'unknown',
      ready: 'unknown',
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('GitHub answered 500'),
    );
  });

  it('says when Argo CD or Ollama do not answer in time, or refuse the token', async () => {
    const pull = await stack.openPull(seedLeaf());
    await stack.merge(pull.number);
    const entity = await stack.entity('merged');
    stack.argo.addFault({ route: 'applications/list', kind: 'hang' });
    stack.ollama.addFault({ route: 'tags', kind: 'hang' });
    const slow = await service({ timeoutMs: 200 }).getStatus(entity);
    expect(slow.sources.argocd.message).toBe(
      `Argo CD at ${stack.argo.url} did not answer within 200 ms`,
    );
    expect(slow.sources.ollama.message).toBe(
      `${stack.ollama.url}/api/tags did not answer within 200 ms`,
    );
    const wrong = await service({
      argocd: {
        baseUrl: stack.argo.url,
        token: 'wrong',
        uiUrl: stack.argo.url,
      },
    }).getStatus(entity);
    expect(wrong.sources.argocd.message).toBe(
      'Argo CD rejected the token (401: invalid session: token signature is invalid); check workloadCatalog.status.argocd.token',
    );
    stack.ollama.addFault({
      route: 'ps',
      status: 500,
      body: { error: 'boom' },
    });
    stack.ollama.pull('phi');
    const noPs = await service().getStatus(entity);
    expect(noPs.sources.ollama).toEqual({
      state: 'ok',
      message: `which models are in memory is not known: ${stack.ollama.url}/api/ps answered 500: {"error":"boom"}`,
    });
    expect(noPs.models![0]).toMatchObject({ pulled: true, loaded: false });
  });

  it('says which source is not configured', async () => {
    const pull = await stack.openPull(seedLeaf());
    await stack.merge(pull.number);
    const entity = await stack.entity('merged');
    const s = await new WorkloadStatusService({
      config: { cacheTtlMs: 0, timeoutMs: 1000 },
      logger,
    }).getStatus(entity);
    expect(s.sources).toEqual({
      github: {
        state: 'unconfigured',
        message:
          'the catalog repo is not configured (workloadCatalog.catalogRepo.url)',
      },
      argocd: {
        state: 'unconfigured',
        message:
          'not configured (workloadCatalog.status.argocd.baseUrl and token)',
      },
      ollama: {
        state: 'unconfigured',
        message: 'turned off (workloadCatalog.status.ollama.enabled: false)',
      },
    });
    expect(s.summary).toBe(
      'Merged; deployment status unknown (Argo CD: not configured (workloadCatalog.status.argocd.baseUrl and token))',
    );
  });

  it('caches each source briefly, and concurrent requests share one call', async () => {
    const pull = await stack.openPull(seedLeaf());
    const sha = await stack.merge(pull.number);
    await stack.setApp(
      states.healthy({ revision: sha, workload: 'ollama-phi' }),
    );
    const entity = await stack.entity('merged');
    const s = service();
    stack.gh.resetCalls();
    await Promise.all([
      s.getStatus(entity),
      s.getStatus(entity),
      s.getStatus(entity),
    ]);
    await s.getStatus(entity);
    expect(stack.gh.countCalls('pulls/list')).toBe(1);
    expect(stack.gh.countCalls('pulls/list-reviews')).toBe(1);
    expect(stack.argo.countCalls('applications/list')).toBe(1);
    expect(stack.ollama.countCalls('tags')).toBe(1);
    clock += 10_001;
    await s.getStatus(entity);
    expect(stack.gh.countCalls('pulls/list')).toBe(2);
    expect(stack.argo.countCalls('applications/list')).toBe(2);
    // What a commit contains never changes: not read again.
    expect(stack.gh.countCalls('repos/get-content')).toBe(0);
    // A failure is cached too (a down server is not asked again at once).
    stack.argo.addFault({ route: 'applications/list', status: 502 });
    clock += 10_001;
    expect((await s.getStatus(entity)).sources.argocd.state).toBe(
      'unavailable',
    );
    expect((await s.getStatus(entity)).sources.argocd.state).toBe(
      'unavailable',
    );
    expect(stack.argo.countCalls('applications/list')).toBe(3);
  });

  it('only reads the configured catalog repo, and only DNS labels go into the Ollama URL', async () => {
    const pull = await stack.openPull(seedLeaf());
    await stack.merge(pull.number);
    const entity = await stack.entity('merged');
    entity.metadata.annotations!['workload-catalog.dev/catalog-repo'] =
      'https://github.com/secret/repo';
    entity.metadata.annotations!['workload-catalog.dev/namespace'] =
      'evil.example.com:80/x#';
    const s = await service({
      ollama: { urlPattern: 'http://{serviceName}.{namespace}:11434' },
    }).getStatus(entity);
    expect(s.sources.github).toEqual({
      state: 'unavailable',
      message: `the entity's leaf is in https://github.com/secret/repo, not in the configured catalog repo ${stack.webUrl}`,
    });
    expect(s.sources.ollama.message).toBe(
      'cannot build the Ollama URL: the workload\'s namespace is "evil.example.com:80/x#", not a DNS label',
    );
  });

  it('refuses entities that are not workloads', async () => {
    await expect(
      service().getStatus({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'web', namespace: 'default' },
        spec: {},
      }),
    ).rejects.toThrow(
      'component:default/web is not a Workload Catalog workload (no workload-catalog.dev/leaf-path annotation)',
    );
  });

  it('does not look up Ollama for other workload types', async () => {
    const pull = await stack.openPull(seedLeaf());
    await stack.merge(pull.number);
    const entity = await stack.entity('merged');
    entity.metadata.annotations!['workload-catalog.dev/workload-type'] =
      'BASIC_CONTAINER_LOAD';
    const s = await service().getStatus(entity);
    expect(s.sources.ollama).toEqual({ state: 'not-applicable' });
    expect(stack.ollama.countCalls()).toBe(0);
  });
});
