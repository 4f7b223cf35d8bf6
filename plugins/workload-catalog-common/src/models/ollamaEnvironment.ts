/**
 * Ollama's runtime settings (its envconfig package) that a leaf may tune through
 * `container.environment`, with the value each accepts. Ollama ignores unknown variables
 * silently, so a misspelt OLLAMA_* name would change nothing: the leaf check rejects it
 * with a suggestion instead. `chartDefault` is what the Ollama chart sets when the leaf
 * does not (generated into the chart, see charts/).
 */

export type OllamaEnvKind =
  'duration' | 'positiveInt' | 'nonNegativeInt' | 'boolean' | 'enum' | 'string';

export interface OllamaEnvSetting {
  kind: OllamaEnvKind;
  description: string;
  values?: readonly string[];
  chartDefault?: string;
}

export const OLLAMA_ENVIRONMENT: Record<string, OllamaEnvSetting> = {
  OLLAMA_KEEP_ALIVE: {
    kind: 'duration',
    description:
      'how long a model stays loaded after its last request ("-1" keeps it loaded, so the first request after a pause is not slow)',
    chartDefault: '-1',
  },
  OLLAMA_NUM_PARALLEL: {
    kind: 'positiveInt',
    description: 'requests each loaded model serves at the same time',
    chartDefault: '4',
  },
  OLLAMA_MAX_QUEUE: {
    kind: 'positiveInt',
    description: 'requests waiting before the server answers 503 "server busy"',
    chartDefault: '512',
  },
  OLLAMA_MAX_LOADED_MODELS: {
    kind: 'nonNegativeInt',
    description: 'models loaded at the same time (0: as many as fit)',
  },
  OLLAMA_CONTEXT_LENGTH: {
    kind: 'positiveInt',
    description: 'default context window in tokens',
  },
  OLLAMA_FLASH_ATTENTION: {
    kind: 'boolean',
    description: 'use flash attention where supported',
  },
  OLLAMA_KV_CACHE_TYPE: {
    kind: 'enum',
    values: ['f16', 'q8_0', 'q4_0'],
    description: 'quantisation of the KV cache (needs flash attention)',
  },
  OLLAMA_LOAD_TIMEOUT: {
    kind: 'duration',
    description: 'how long loading a model may stall',
  },
  OLLAMA_GPU_OVERHEAD: {
    kind: 'nonNegativeInt',
    description: 'GPU memory (bytes) to leave free',
  },
  OLLAMA_SCHED_SPREAD: {
    kind: 'boolean',
    description: 'spread a model over all GPUs',
  },
  OLLAMA_MULTIUSER_CACHE: {
    kind: 'boolean',
    description: 'optimise prompt caching for many users',
  },
  OLLAMA_NOPRUNE: {
    kind: 'boolean',
    description: 'do not prune unused model blobs at start',
  },
  OLLAMA_DEBUG: {
    kind: 'string',
    description: 'debug logging ("1", or a level such as "2")',
  },
  OLLAMA_ORIGINS: {
    kind: 'string',
    description: 'extra allowed CORS origins, comma separated',
  },
  OLLAMA_NEW_ENGINE: {
    kind: 'boolean',
    description: 'use the new Ollama engine',
  },
};

/** Variables the chart owns: setting them in a leaf would break the deployment. */
export const OLLAMA_MANAGED_ENVIRONMENT: Record<string, string> = {
  OLLAMA_HOST:
    'the chart binds the server to 0.0.0.0:11434 for its Service and probes',
  OLLAMA_MODELS: 'the chart points it at the model volume (modelStorage)',
  HOME: 'the chart points it at a writable volume (/home/ollama)',
  WC_OLLAMA_CONFIG:
    'the chart points the model preparation at its configuration (/opt/workload-catalog)',
  WC_OLLAMA_REFRESH:
    'the chart sets it from the platform setting ollama.refreshModels',
  WC_OLLAMA_START_SECONDS:
    'the chart sets it from the platform setting ollama.serverStartSeconds',
  CUDA_VISIBLE_DEVICES: 'the NVIDIA device plugin assigns GPUs from gpu.count',
  NVIDIA_VISIBLE_DEVICES:
    'the NVIDIA device plugin assigns GPUs from gpu.count',
};

const DURATION_RE = /^-?(([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+|[0-9]+)$/;
const BOOLEAN_VALUES = ['true', 'false', '1', '0'];

/** Why a value is not acceptable for the setting, or undefined when it is. */
export function checkOllamaEnvValue(
  setting: OllamaEnvSetting,
  raw: unknown,
): string | undefined {
  const value = String(raw);
  switch (setting.kind) {
    case 'duration':
      return DURATION_RE.test(value)
        ? undefined
        : `must be a duration such as "5m", "24h", "-1" (forever) or a number of seconds; got ${JSON.stringify(value)}`;
    case 'positiveInt':
      return /^[1-9][0-9]*$/.test(value)
        ? undefined
        : `must be a whole number of at least 1; got ${JSON.stringify(value)}`;
    case 'nonNegativeInt':
      return /^[0-9]+$/.test(value)
        ? undefined
        : `must be a whole number of at least 0; got ${JSON.stringify(value)}`;
    case 'boolean':
      return BOOLEAN_VALUES.includes(value.toLowerCase())
        ? undefined
        : `must be true or false; got ${JSON.stringify(value)}`;
    case 'enum':
      return setting.values!.includes(value)
        ? undefined
        : `must be one of ${setting.values!.join(', ')}; got ${JSON.stringify(value)}`;
    default:
      return undefined;
  }
}
