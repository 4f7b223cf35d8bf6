import { normalizeLeaf } from '../leaf/printLeaf';
import {
  argocdAppSelector,
  declaredModels,
  formatModelDigests,
  pinnedModelDigests,
  readWorkloadEntity,
  WORKLOAD_ANNOTATIONS,
  workloadEntityName,
} from './workloadEntity';

const seed = normalizeLeaf({
  workloadType: 'OLLAMA_INFERENCE_LOAD',
  serviceName: 'ollama-phi',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'dev',
  model: 'phi:latest',
  gpu: { count: 1 },
});

describe('workload entities', () => {
  it('names the entity after service and environment, within 63 characters', () => {
    expect(workloadEntityName(seed)).toBe('ollama-phi-dev');
    const long = {
      serviceName: 'a'.repeat(53),
      environment: 'production-eu-west',
    };
    const name = workloadEntityName(long);
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^a{53}-p-[0-9a-z]{7}$/);
    expect(
      workloadEntityName({ ...long, environment: 'production-eu-east' }),
    ).not.toBe(name);
  });

  it('selects the Argo CD Application by the three labels of the chart and ApplicationSet', () => {
    expect(argocdAppSelector(seed)).toBe(
      'workload-catalog.dev/service-name=ollama-phi,workload-catalog.dev/catalog=ml-inference,workload-catalog.dev/environment=dev',
    );
  });

  it('lists declared models in the form Ollama lists them', () => {
    const leaf = normalizeLeaf({
      ...seed,
      model: 'phi',
      additionalModels: [
        'library/mistral:7b',
        `llama3.2:3b@sha256:${'a'.repeat(64)}`,
      ],
      customModels: [
        { name: 'support-bot', from: 'phi:latest', system: 'Be kind' },
      ],
    });
    expect(declaredModels(leaf)).toEqual([
      'phi:latest',
      'mistral:7b',
      'llama3.2:3b',
      'support-bot:latest',
    ]);
    expect(
      declaredModels(
        normalizeLeaf({
          workloadType: 'ML_INFERENCE_LOAD',
          serviceName: 'tgi',
          serviceCatalog: 'ml',
          namespace: 'ml',
          environment: 'dev',
          model: { id: 'org/model', revision: 'abc123' },
        }),
      ),
    ).toEqual(['org/model@abc123']);
    expect(
      declaredModels(
        normalizeLeaf({
          workloadType: 'BASIC_CONTAINER_LOAD',
          serviceName: 'web',
          serviceCatalog: 'shop',
          namespace: 'shop',
          environment: 'dev',
          container: { image: 'nginx:1.27' },
        }),
      ),
    ).toEqual([]);
  });

  it('keeps the digest pins of the Ollama models for the status, and reads them back', () => {
    const leaf = normalizeLeaf({
      ...seed,
      model: `phi@sha256:${'F'.repeat(12)}`,
      additionalModels: [
        'library/mistral:7b',
        `llama3.2:3b@sha256:${'a'.repeat(64)}`,
      ],
    });
    const pins = pinnedModelDigests(leaf);
    expect(pins).toEqual({
      'phi:latest': 'f'.repeat(12),
      'llama3.2:3b': 'a'.repeat(64),
    });
    const annotation = formatModelDigests(pins);
    expect(annotation).toBe(
      `phi:latest@sha256:${'f'.repeat(12)},llama3.2:3b@sha256:${'a'.repeat(64)}`,
    );
    expect(pinnedModelDigests(seed)).toEqual({});
    expect(formatModelDigests({})).toBeUndefined();
    const read = (value: string) =>
      readWorkloadEntity({
        metadata: {
          annotations: {
            [WORKLOAD_ANNOTATIONS.leafPath]: 'catalog/ml/dev/x.yaml',
            [WORKLOAD_ANNOTATIONS.modelDigests]: value,
          },
        },
      })?.modelDigests;
    expect(read(annotation!)).toEqual(pins);
    // what is not a pin is left out, not guessed at
    expect(read('phi:latest,mistral@sha256:xyz,@sha256:abcdefabcdef')).toEqual(
      {},
    );
  });

  it('reads the annotations back; other entities are not workloads', () => {
    expect(readWorkloadEntity({ metadata: {} })).toBeUndefined();
    const info = readWorkloadEntity({
      metadata: {
        annotations: {
          [WORKLOAD_ANNOTATIONS.leafPath]: 'catalog/ml/dev/x.yaml',
          [WORKLOAD_ANNOTATIONS.source]: 'proposed',
          [WORKLOAD_ANNOTATIONS.openPullRequest]: '12',
          [WORKLOAD_ANNOTATIONS.models]: 'phi:latest, mistral:7b',
          [WORKLOAD_ANNOTATIONS.leafErrors]:
            '[{"path":"gpu.count","message":"must be a whole number"}]',
          'argocd/app-selector': 'a=b',
        },
      },
    });
    expect(info).toMatchObject({
      leafPath: 'catalog/ml/dev/x.yaml',
      source: 'proposed',
      openPullRequest: 12,
      models: ['phi:latest', 'mistral:7b'],
      argocdAppSelector: 'a=b',
      leafErrors: [{ path: 'gpu.count', message: 'must be a whole number' }],
    });
    const odd = readWorkloadEntity({
      metadata: {
        annotations: {
          [WORKLOAD_ANNOTATIONS.leafPath]: 'x.yaml',
          [WORKLOAD_ANNOTATIONS.openPullRequest]: 'none',
          [WORKLOAD_ANNOTATIONS.leafErrors]: 'not json',
        },
      },
    });
    expect(odd).toMatchObject({
      source: 'merged',
      openPullRequest: undefined,
      models: [],
      leafErrors: [{ path: '(document)', message: 'not json' }],
    });
  });
});
