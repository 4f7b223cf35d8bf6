import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import type { ApiHolder } from '@backstage/core-plugin-api';
import {
  formatPath,
  validateLeaf,
} from '@workload-catalog/plugin-workload-catalog-common';
import { workloadCatalogApiRef } from '../../api';
import { fakeApi } from '../../__testUtils__/fakeApi';
import { workloadConfigValidation } from './validation';

const holder = (api: unknown): ApiHolder => ({
  get: ref => (ref === workloadCatalogApiRef ? (api as any) : undefined),
});

const LEAF = {
  workloadType: 'OLLAMA_INFERENCE_LOAD',
  serviceName: 'Ollama_Phi',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'staging',
  model: 'phi:latest',
  gpu: { count: 6 },
  ingress: { enabled: true, host: 'https://x/' },
};

describe('workloadConfigValidation', () => {
  it('adds every problem as "FIELD.PATH: message", with the platform policy from the backend', async () => {
    const v = createFieldValidation();
    await workloadConfigValidation(LEAF, v, {
      apiHolder: holder(fakeApi().api),
    });
    const expected = validateLeaf(LEAF, {
      maxGpuCount: 4,
      environments: ['dev', 'prod'],
    }).issues.map(i => `${formatPath(i.path)}: ${i.message}`);
    expect(expected.map(e => e.split(':')[0])).toEqual([
      'serviceName',
      'ingress.host',
      'gpu.count',
      'environment',
    ]);
    expect(v.__errors).toEqual(expected);
  });

  it('uses the schema’s rules alone when the backend does not answer or the API is missing', async () => {
    const v = createFieldValidation();
    await workloadConfigValidation(LEAF, v, {
      apiHolder: holder(fakeApi({ options: new Error('down') }).api),
    });
    expect(v.__errors).toEqual(
      validateLeaf(LEAF).issues.map(i => `${formatPath(i.path)}: ${i.message}`),
    );
    const w = createFieldValidation();
    await workloadConfigValidation(LEAF, w);
    expect(w.__errors).toEqual(v.__errors);
  });

  it('finds nothing wrong with a valid leaf and reports an empty one', async () => {
    const ok = createFieldValidation();
    await workloadConfigValidation(
      {
        ...LEAF,
        serviceName: 'ollama-phi',
        environment: 'dev',
        gpu: { count: 1 },
        ingress: {},
      },
      ok,
      {
        apiHolder: holder(fakeApi().api),
      },
    );
    expect(ok.__errors).toEqual([]);
    const empty = createFieldValidation();
    await workloadConfigValidation(undefined, empty);
    expect(empty.__errors).toEqual([
      expect.stringMatching(/^workloadType: is required: one of /),
    ]);
  });
});
