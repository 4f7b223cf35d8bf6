import { cleanLeaf } from './cleanLeaf';

describe('cleanLeaf', () => {
  it('drops cleared fields and sections left empty', () => {
    expect(
      cleanLeaf({
        workloadType: 'OLLAMA_INFERENCE_LOAD',
        serviceName: 'ollama-phi',
        description: undefined,
        ingress: { tls: {} },
        container: { resources: { requests: {} }, replicas: 0 },
        additionalModels: [],
        gpu: { count: 0 },
      }),
    ).toEqual({
      workloadType: 'OLLAMA_INFERENCE_LOAD',
      serviceName: 'ollama-phi',
      container: { replicas: 0 },
      gpu: { count: 0 },
    });
  });

  it('keeps empty objects inside lists, where they mean something', () => {
    expect(
      cleanLeaf({
        rollout: {
          canary: { steps: [{ setWeight: 10 }, { pause: {} }, undefined] },
        },
      }),
    ).toEqual({
      rollout: { canary: { steps: [{ setWeight: 10 }, { pause: {} }] } },
    });
  });

  it('gives an empty leaf for nothing', () => {
    expect(cleanLeaf(undefined)).toEqual({});
    expect(cleanLeaf(['a'])).toEqual({});
    expect(cleanLeaf({ a: {} })).toEqual({});
  });
});
