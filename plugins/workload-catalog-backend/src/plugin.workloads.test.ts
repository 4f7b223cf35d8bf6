import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { states, stopSchemaWorker } from '@workload-catalog/argocd-local';
import request from 'supertest';
import { workloadCatalogPlugin } from './plugin';
import {
  ARGOCD_TOKEN,
  GITHUB_TOKEN,
  seedLeaf,
  startStatusStack,
  type StatusStack,
} from './status/__testUtils__/statusStack';

// A whole backend with three local servers: more than jest's default 5 s on a busy machine.
jest.setTimeout(60_000);

describe('workloadCatalogPlugin: workload status and configuration', () => {
  let stack: StatusStack;
  beforeEach(async () => {
    stack = await startStatusStack();
  });
  afterEach(() => stack.stop());
  afterAll(() => stopSchemaWorker());

  it('wires the routes, the sources from app-config, and the permissions', async () => {
    const pull = await stack.openPull(seedLeaf());
    const sha = await stack.merge(pull.number);
    await stack.setApp(
      states.healthy({ revision: sha, workload: 'ollama-phi' }),
    );
    stack.ollama.pull('phi:latest');
    const entity = await stack.entity('merged');
    const backend = await startTestBackend({
      features: [
        workloadCatalogPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                {
                  host: stack.gh.host,
                  apiBaseUrl: stack.gh.apiUrl,
                  token: GITHUB_TOKEN,
                },
              ],
            },
            workloadCatalog: {
              catalogRepo: { url: stack.webUrl },
              status: {
                cacheTtlSeconds: 0,
                argocd: {
                  baseUrl: stack.argo.url,
                  token: ARGOCD_TOKEN,
                  uiUrl: 'https://argocd.example.com',
                },
                ollama: { urlPattern: stack.ollama.url },
              },
            },
          },
        }),
      ],
    });
    try {
      const auth = mockCredentials.user.header();
      const status = await request(backend.server)
        .get(
          '/api/workload-catalog/workloads/default/component/ollama-phi-dev/status',
        )
        .set('Authorization', auth);
      expect(status.status).toBe(200);
      expect(status.body.summary).toBe('Ready');
      expect(status.body.argocd.url).toBe(
        'https://argocd.example.com/applications/argocd/ml-inference.dev.ollama-phi',
      );
      const configuration = await request(backend.server)
        .get(
          '/api/workload-catalog/workloads/default/component/ollama-phi-dev/configuration',
        )
        .set('Authorization', auth);
      expect(configuration.status).toBe(200);
      expect(configuration.body.canEdit).toBe(true);
      const metadata = await request(backend.server)
        .get('/api/workload-catalog/.well-known/backstage/permissions/metadata')
        .set('Authorization', mockCredentials.service.header());
      expect(
        metadata.body.permissions.map((p: { name: string }) => p.name),
      ).toEqual(
        expect.arrayContaining([
          'workload-catalog.status.read',
          'workload-catalog.configuration.update',
        ]),
      );
      expect(
        (
          await request(backend.server).get(
            '/api/workload-catalog/workloads/default/component/ollama-phi-dev/status',
          )
        ).status,
      ).toBe(401);
    } finally {
      await backend.stop();
    }
  });

  it('without a catalog repo: status without GitHub, no Configure saves', async () => {
    const pull = await stack.openPull(seedLeaf());
    const proposed = await stack.entity('proposed', pull.number);
    const backend = await startTestBackend({
      features: [
        workloadCatalogPlugin,
        catalogServiceMock.factory({ entities: [proposed] }),
        mockServices.rootConfig.factory({
          data: { workloadCatalog: { status: { ollama: { enabled: false } } } },
        }),
      ],
    });
    try {
      const status = await request(backend.server)
        .get(
          '/api/workload-catalog/workloads/default/component/ollama-phi-dev/status',
        )
        .set('Authorization', mockCredentials.user.header());
      expect(status.status).toBe(200);
      expect(status.body.sources.github).toEqual({
        state: 'unconfigured',
        message:
          'the catalog repo is not configured (workloadCatalog.catalogRepo.url)',
      });
      const save = await request(backend.server)
        .post(
          '/api/workload-catalog/workloads/default/component/ollama-phi-dev/configuration',
        )
        .set('Authorization', mockCredentials.user.header())
        .send({ leaf: {} });
      expect(save.status).toBe(404);
      expect(save.body.error.message).toBe(
        'The catalog repo is not configured',
      );
    } finally {
      await backend.stop();
    }
  });
});
