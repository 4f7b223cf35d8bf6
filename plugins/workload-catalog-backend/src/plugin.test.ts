import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { workloadCatalogPlugin } from './plugin';
import { startFakeOllama, TAGS_BODY } from './__testUtils__/fakeOllama';

describe('workloadCatalogPlugin', () => {
  it('serves model suggestions and form options to signed-in users only', async () => {
    const ollama = await startFakeOllama({ kind: 'json', body: TAGS_BODY });
    const backend = await startTestBackend({
      features: [
        workloadCatalogPlugin,
        // requests without credentials are anonymous, as in a real backend
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            workloadCatalog: {
              maxGpuCount: 4,
              environments: ['dev', 'prod'],
              suggestedModels: ['phi'],
              ollama: { baseUrl: ollama.baseUrl },
            },
          },
        }),
      ],
    });
    try {
      const auth = mockCredentials.user.header();
      const models = await request(backend.server)
        .get('/api/workload-catalog/models')
        .set('Authorization', auth);
      expect(models.status).toBe(200);
      expect(models.body.models.map((m: { ref: string }) => m.ref)).toEqual([
        'phi:latest',
        'llama3.1:8b',
        'qwen2.5:72b',
      ]);
      const options = await request(backend.server)
        .get('/api/workload-catalog/form-options')
        .set('Authorization', auth);
      expect(options.body).toEqual({
        policy: { maxGpuCount: 4, environments: ['dev', 'prod'] },
        gpuMemoryPerGpuBytes: 24 * 2 ** 30,
      });
      const anonymous = await request(backend.server).get(
        '/api/workload-catalog/models',
      );
      expect(anonymous.status).toBe(401);
    } finally {
      await backend.stop();
      await ollama.close();
    }
  });

  it('refuses to start with a wrong setting, naming it', async () => {
    await expect(
      startTestBackend({
        features: [
          workloadCatalogPlugin,
          mockServices.rootConfig.factory({
            data: { workloadCatalog: { suggestedModels: ['a b'] } },
          }),
        ],
      }),
    ).rejects.toThrow(
      /workloadCatalog\.suggestedModels\[0\]\.ref must be an Ollama model reference/,
    );
  });
});
