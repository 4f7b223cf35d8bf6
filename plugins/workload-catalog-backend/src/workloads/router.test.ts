import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { states, stopSchemaWorker } from '@workload-catalog/argocd-local';
import { readWorkloadCatalogConfig } from '@workload-catalog/plugin-workload-catalog-node';
import { ConfigReader } from '@backstage/config';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { WorkloadConfigurationService } from '../configuration/WorkloadConfigurationService';
import { WorkloadStatusService } from '../status/WorkloadStatusService';
import {
  ARGOCD_TOKEN,
  SEED_BRANCH,
  SEED_PATH,
  seedLeaf,
  startStatusStack,
  type StatusStack,
} from '../status/__testUtils__/statusStack';
import { createWorkloadsRouter } from './router';

// Each test starts the local GitHub and Argo CD; the first answer of Argo CD's schema worker
// (it compiles the swagger description) takes seconds on a loaded machine.
jest.setTimeout(30_000);

describe('workload routes', () => {
  let stack: StatusStack;
  let merged: Entity;
  /** Names of the permissions the policy refuses. */
  let denied: string[];

  beforeEach(async () => {
    stack = await startStatusStack({ seeded: true });
    merged = await stack.entity('merged');
    denied = [];
  });
  afterEach(async () => {
    const violations = [...stack.gh.violations];
    await stack.stop();
    if (violations.length) throw new Error(violations.join('\n'));
  });
  afterAll(() => stopSchemaWorker());

  async function start(
    entities: Entity[],
    options: { cacheTtlMs?: number } = {},
  ) {
    const settings = readWorkloadCatalogConfig(
      new ConfigReader({
        workloadCatalog: {
          catalogRepo: { url: stack.webUrl },
          maxGpuCount: 4,
        },
      }),
    );
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result: denied.includes(r.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        })),
      authorizeConditional: async requests =>
        requests.map(r => ({
          result: denied.includes(r.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        })) as any,
    });
    const testPlugin = createBackendPlugin({
      pluginId: 'workload-catalog',
      register(env) {
        env.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
            logger: coreServices.logger,
          },
          async init({ httpRouter, httpAuth, logger }) {
            httpRouter.use(
              createWorkloadsRouter({
                httpAuth,
                permissions,
                catalog: catalogServiceMock({ entities }),
                status: new WorkloadStatusService({
                  config: {
                    cacheTtlMs: options.cacheTtlMs ?? 0,
                    timeoutMs: 2000,
                    argocd: {
                      baseUrl: stack.argo.url,
                      token: ARGOCD_TOKEN,
                      uiUrl: stack.argo.url,
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
                  logger,
                }),
                configuration: new WorkloadConfigurationService({
                  settings,
                  githubClientFactory: stack.githubClientFactory,
                  permissions,
                  logger,
                }),
              }),
            );
          },
        });
      },
    });
    return startTestBackend({
      features: [
        testPlugin,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
  }

  const base =
    '/api/workload-catalog/workloads/default/component/ollama-phi-dev';
  const user = mockCredentials.user.header('user:default/jane');

  it('serves the status of a workload to signed-in users the policy allows', async () => {
    const sha = (
      await stack.octokit.rest.repos.getBranch({
        ...stack.repo,
        branch: 'main',
      })
    ).data.commit.sha;
    await stack.setApp(
      states.healthy({ revision: sha, workload: 'ollama-phi' }),
    );
    stack.ollama.pull('phi');
    const backend = await start([merged]);
    try {
      const res = await request(backend.server)
        .get(`${base}/status`)
        .set('Authorization', user);
      expect(res.status).toBe(200);
      expect(res.body.summary).toBe('Ready');
      expect(res.body.steps.map((s: { state: string }) => s.state)).toEqual([
        'skipped',
        'skipped',
        'done',
        'done',
        'done',
        'done',
        'done',
      ]);
      expect((await request(backend.server).get(`${base}/status`)).status).toBe(
        401,
      );
      const missing = await request(backend.server)
        .get('/api/workload-catalog/workloads/default/component/nope/status')
        .set('Authorization', user);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(
        'No entity component:default/nope',
      );
      denied = ['workload-catalog.status.read'];
      const refused = await request(backend.server)
        .get(`${base}/status`)
        .set('Authorization', user);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        'You may not see the status of component:default/ollama-phi-dev (workload-catalog.status.read)',
      );
    } finally {
      await backend.stop();
    }
  });

  it('gives the current leaf and whether the user may change it', async () => {
    const backend = await start([merged]);
    try {
      const res = await request(backend.server)
        .get(`${base}/configuration`)
        .set('Authorization', user);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        leaf: expect.objectContaining({
          serviceName: 'ollama-phi',
          gpu: { count: 1 },
        }),
        yaml: seedLeaf(),
        leafPath: SEED_PATH,
        ref: 'main',
        canEdit: true,
      });
      denied = ['workload-catalog.configuration.update'];
      const readOnly = await request(backend.server)
        .get(`${base}/configuration`)
        .set('Authorization', user);
      expect(readOnly.body.canEdit).toBe(false);
      denied = ['workload-catalog.status.read'];
      expect(
        (
          await request(backend.server)
            .get(`${base}/configuration`)
            .set('Authorization', user)
        ).status,
      ).toBe(403);
    } finally {
      await backend.stop();
    }
  });

  it('opens an update pull request through the action, with the new GPU count', async () => {
    const backend = await start([merged]);
    try {
      const current = await request(backend.server)
        .get(`${base}/configuration`)
        .set('Authorization', user);
      const leaf = { ...current.body.leaf, gpu: { count: 2 } };
      const res = await request(backend.server)
        .post(`${base}/configuration`)
        .set('Authorization', user)
        .send({ leaf });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        pullRequestUrl: `${stack.webUrl}/pull/1`,
        pullRequestNumber: 1,
        branch: SEED_BRANCH,
        leafPath: SEED_PATH,
        title: 'Update ollama-phi in dev: phi:latest on 2 GPUs',
      });
      const onBranch = execFileSync(
        'git',
        [
          '--git-dir',
          stack.gh.repo('local', 'catalog').git.dir,
          'show',
          `${SEED_BRANCH}:${SEED_PATH}`,
        ],
        { encoding: 'utf8' },
      );
      expect(onBranch).toMatch(/^gpu:\n {2}count: 2$/m);
      const pull = stack.gh.repo('local', 'catalog').pulls[0];
      expect(pull.body).toContain('gpu.count');
      // A second save while that pull request is open is a conflict, not a second PR.
      const again = await request(backend.server)
        .post(`${base}/configuration`)
        .set('Authorization', user)
        .send({ leaf: { ...leaf, gpu: { count: 3 } } });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(
        /^A pull request for catalog\/ml-inference\/dev\/ollama-phi.yaml is already open/,
      );
      expect(stack.gh.repo('local', 'catalog').pulls).toHaveLength(1);
    } finally {
      await backend.stop();
    }
  });

  it('shows the update pull request at once, although status answers are cached', async () => {
    const sha = (
      await stack.octokit.rest.repos.getBranch({
        ...stack.repo,
        branch: 'main',
      })
    ).data.commit.sha;
    await stack.setApp(
      states.healthy({ revision: sha, workload: 'ollama-phi' }),
    );
    stack.ollama.pull('phi');
    const backend = await start([merged], { cacheTtlMs: 10 * 60_000 });
    const status = async () =>
      (
        await request(backend.server)
          .get(`${base}/status`)
          .set('Authorization', user)
      ).body;
    try {
      expect((await status()).summary).toBe('Ready');
      const current = await request(backend.server)
        .get(`${base}/configuration`)
        .set('Authorization', user);
      const saved = await request(backend.server)
        .post(`${base}/configuration`)
        .set('Authorization', user)
        .send({ leaf: { ...current.body.leaf, gpu: { count: 2 } } });
      expect(saved.status).toBe(201);
      const after = await status();
      expect(after.summary).not.toBe('Ready');
      expect(JSON.stringify(after)).toContain(saved.body.pullRequestUrl);
    } finally {
      await backend.stop();
    }
  });

  it('refuses what the action refuses, and what would move the workload', async () => {
    const backend = await start([merged, await stack.entity('merged')]);
    try {
      const current = (
        await request(backend.server)
          .get(`${base}/configuration`)
          .set('Authorization', user)
      ).body.leaf;
      const post = (leaf: unknown) =>
        request(backend.server)
          .post(`${base}/configuration`)
          .set('Authorization', user)
          .send({ leaf });
      const tooMany = await post({ ...current, gpu: { count: 8 } });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toMatch(
        /^The workload leaf is not valid \(1 problem\); nothing was written:\n- gpu\.count: /,
      );
      const moved = await post({ ...current, environment: 'prod' });
      expect(moved.status).toBe(400);
      expect(moved.body.error.message).toBe(
        'environment cannot change here (it is "dev", the leaf says "prod"): it names the workload. To move or rename it, propose a new workload and remove this one.',
      );
      expect((await post(undefined)).status).toBe(400);
      denied = ['workload-catalog.pull-request.create'];
      const policy = await post({ ...current, gpu: { count: 2 } });
      expect(policy.status).toBe(403);
      expect(policy.body.error.message).toMatch(
        /^You are not allowed to propose ollama-phi in environment "dev"/,
      );
      denied = ['workload-catalog.configuration.update'];
      const tab = await post({ ...current, gpu: { count: 2 } });
      expect(tab.status).toBe(403);
      expect(
        (
          await request(backend.server)
            .post(`${base}/configuration`)
            .send({ leaf: current })
        ).status,
      ).toBe(401);
      expect(stack.gh.repo('local', 'catalog').pulls).toHaveLength(0);
    } finally {
      await backend.stop();
    }
  });

  it('points a proposed workload at its open pull request', async () => {
    // A proposed workload's leaf is not on the base branch yet.
    await stack.stop();
    stack = await startStatusStack();
    const pull = await stack.openPull(
      seedLeaf('phi:latest', 2),
      'Update ollama-phi in dev: phi:latest on 2 GPUs',
    );
    const proposed = await stack.entity('proposed', pull.number);
    const backend = await start([proposed]);
    try {
      const current = await request(backend.server)
        .get(`${base}/configuration`)
        .set('Authorization', user);
      expect(current.body).toMatchObject({
        ref: SEED_BRANCH,
        openPullRequest: {
          number: pull.number,
          url: `${stack.webUrl}/pull/${pull.number}`,
        },
      });
      const res = await request(backend.server)
        .post(`${base}/configuration`)
        .set('Authorization', user)
        .send({ leaf: { ...current.body.leaf, gpu: { count: 3 } } });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        `${SEED_PATH} is not merged yet: its pull request #${pull.number} is open. Change it in that pull request, or wait until it is merged.`,
      );
    } finally {
      await backend.stop();
    }
  });

  it('follows a proposed workload once its pull request is merged, before the catalog catches up', async () => {
    const pull = await stack.openPull(
      seedLeaf('phi:latest', 2),
      'Update ollama-phi in dev: phi:latest on 2 GPUs',
    );
    const proposed = await stack.entity('proposed', pull.number);
    await stack.merge(pull.number); // the branch is gone; the entity still says "proposed"
    const backend = await start([proposed]);
    try {
      const current = await request(backend.server)
        .get(`${base}/configuration`)
        .set('Authorization', user);
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({ ref: 'main', canEdit: true });
      expect(current.body.openPullRequest).toBeUndefined();
      const res = await request(backend.server)
        .post(`${base}/configuration`)
        .set('Authorization', user)
        .send({ leaf: { ...current.body.leaf, gpu: { count: 3 } } });
      expect(res.status).toBe(201);
      expect(res.body.title).toBe(
        'Update ollama-phi in dev: phi:latest on 3 GPUs',
      );
    } finally {
      await backend.stop();
    }
  });
});
