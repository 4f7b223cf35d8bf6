// The package's own entry point (not ../status): the types stay where the API report has them.
import type { WorkloadStatusFacts } from '@workload-catalog/plugin-workload-catalog-common';

/**
 * What the status backend gathered for the seed's Ollama workload (phi:latest in dev, merged),
 * every source answering; `over` replaces whole top-level fields (the pull request, Argo CD,
 * models, replicas, sources).
 *
 * @public
 */
export function workloadStatusFacts(
  over: Partial<WorkloadStatusFacts> = {},
): WorkloadStatusFacts {
  return {
    entityRef: 'component:default/ollama-phi-dev',
    workload: {
      workloadType: 'OLLAMA_INFERENCE_LOAD',
      serviceName: 'ollama-phi',
      serviceCatalog: 'ml-inference',
      environment: 'dev',
      namespace: 'ml-workloads',
      leafPath: 'catalog/ml-inference/dev/ollama-phi.yaml',
      source: 'merged',
      models: ['phi:latest'],
    },
    sources: {
      github: { state: 'ok' },
      argocd: { state: 'ok' },
      ollama: { state: 'ok' },
    },
    generatedAt: '2026-11-27T10:29:00Z',
    ...over,
  };
}
