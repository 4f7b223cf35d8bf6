import {
  KNOWN_MODELS,
  modelNeeds,
  type FormOptionsResponse,
  type ModelSuggestionsResponse,
  type WorkloadConfigurationCurrent,
  type WorkloadConfigurationResponse,
  type WorkloadStatusResponse,
} from '@workload-catalog/plugin-workload-catalog-common';
import type { WorkloadCatalogApi } from '../api';

const GB = 1e9;

export const SUGGESTIONS: ModelSuggestionsResponse = {
  models: [
    {
      ref: 'phi:latest',
      source: 'config',
      sizeBytes: 1.6 * GB,
      description: 'Small and fast',
      architecture: KNOWN_MODELS['phi:latest'].architecture,
      needs: modelNeeds('phi:latest', { sizeBytes: 1.6 * GB }),
    },
    {
      ref: 'llama3.1:8b',
      source: 'ollama',
      sizeBytes: 4.9 * GB,
      parameterSize: '8.0B',
      quantization: 'Q4_K_M',
      architecture: KNOWN_MODELS['llama3.1:8b'].architecture,
      needs: modelNeeds('llama3.1:8b', { sizeBytes: 4.9 * GB }),
    },
    {
      ref: 'qwen2.5:72b',
      source: 'ollama',
      sizeBytes: 47.4 * GB,
      architecture: KNOWN_MODELS['qwen2.5:72b'].architecture,
      needs: modelNeeds('qwen2.5:72b', { sizeBytes: 47.4 * GB }),
    },
  ],
  sources: { config: { status: 'ok' }, ollama: { status: 'ok' } },
};

export const FORM_OPTIONS: FormOptionsResponse = {
  policy: { maxGpuCount: 4, environments: ['dev', 'prod'] },
  gpuMemoryPerGpuBytes: 24 * 2 ** 30,
};

/** A WorkloadCatalogApi that answers from memory (or fails, when told to), counting calls. */
export function fakeApi(
  overrides: {
    suggestions?: ModelSuggestionsResponse | Error;
    options?: FormOptionsResponse | Error;
    /** Answers of getWorkloadStatus, one per call (the last one repeats). */
    status?: Array<WorkloadStatusResponse | Error>;
    configuration?: WorkloadConfigurationCurrent | Error;
    propose?: (leaf: unknown) => Promise<WorkloadConfigurationResponse>;
  } = {},
) {
  const calls = { suggestions: 0, options: 0, status: 0, configuration: 0 };
  const answer = <T>(v: T | Error) =>
    v instanceof Error ? Promise.reject(v) : Promise.resolve(v);
  const api: WorkloadCatalogApi = {
    getModelSuggestions: () => {
      calls.suggestions++;
      return answer(overrides.suggestions ?? SUGGESTIONS);
    },
    getFormOptions: () => {
      calls.options++;
      return answer(overrides.options ?? FORM_OPTIONS);
    },
    getWorkloadStatus: () => {
      const list = overrides.status ?? [new Error('no status scripted')];
      const next = list[Math.min(calls.status, list.length - 1)];
      calls.status++;
      return answer(next);
    },
    getWorkloadConfiguration: () => {
      calls.configuration++;
      return answer(
        overrides.configuration ?? new Error('no configuration scripted'),
      );
    },
    proposeWorkloadConfiguration: (_entity, leaf) =>
      overrides.propose
        ? overrides.propose(leaf)
        : Promise.reject(new Error('no proposal scripted')),
  };
  return { api, calls };
}
