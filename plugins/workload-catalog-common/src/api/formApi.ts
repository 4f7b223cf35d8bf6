/*
 * The contract between the workload-catalog backend plugin and the form: model suggestions
 * and the platform policy the form checks against, plus the estimate of what a model needs
 * (GPU memory, GPUs, a resource preset) that both sides show.
 */
import { GPU_COUNT_LIMIT } from '../schema/inference';
import {
  RESOURCE_PRESETS,
  presetForModelSize,
  type ResourcePresetName,
} from '../models/presets';
import type { LeafPolicy } from '../validation/validate';

/** What a model needs to run: GPU memory (weights plus KV cache and runtime), GPUs, a preset. */
export interface ModelNeeds {
  /** Estimated GPU memory in bytes: the weights plus 20% (KV cache, CUDA context) plus 0.5 GiB. */
  gpuMemoryBytes: number;
  /** GPUs of `gpuMemoryPerGpuBytes` each that hold `gpuMemoryBytes`. */
  gpuCount: number;
  /** The smallest resource preset sized for the model; absent when even "large" is too small. */
  preset?: ResourcePresetName;
  /** The preset's memory request and limit ("2Gi", "6Gi"), for display. */
  memoryRequest?: string;
  memoryLimit?: string;
}

const GiB = 2 ** 30;

/** Default memory of one GPU when the platform does not configure it (an NVIDIA L4: 24 GiB). */
export const DEFAULT_GPU_MEMORY_BYTES = 24 * GiB;

/** Estimates what a model of `sizeBytes` on disk needs (see {@link ModelNeeds}). */
export function modelNeeds(
  sizeBytes: number,
  gpuMemoryPerGpuBytes: number = DEFAULT_GPU_MEMORY_BYTES,
): ModelNeeds {
  const gpuMemoryBytes = Math.ceil(sizeBytes * 1.2 + GiB / 2);
  const perGpu =
    gpuMemoryPerGpuBytes > 0 ? gpuMemoryPerGpuBytes : DEFAULT_GPU_MEMORY_BYTES;
  const gpuCount = Math.min(
    Math.max(1, Math.ceil(gpuMemoryBytes / perGpu)),
    GPU_COUNT_LIMIT,
  );
  const preset = presetForModelSize(sizeBytes);
  return {
    gpuMemoryBytes,
    gpuCount,
    ...(preset
      ? {
          preset,
          memoryRequest: RESOURCE_PRESETS[preset].requests.memory,
          memoryLimit: RESOURCE_PRESETS[preset].limits.memory,
        }
      : {}),
  };
}

/** One entry of the model picker. */
export interface ModelSuggestion {
  /** Canonical Ollama reference ("llama3.2:3b"). */
  ref: string;
  /** Where the suggestion comes from: the platform's configured list, or the Ollama server. */
  source: 'config' | 'ollama';
  sizeBytes?: number;
  description?: string;
  /** From Ollama's model details: "3.2B", "Q4_K_M", "llama". */
  parameterSize?: string;
  quantization?: string;
  family?: string;
  /** Present when the size is known. */
  needs?: ModelNeeds;
}

/** State of one suggestion source, so the picker can say why a list is short. */
export interface SuggestionSourceStatus {
  status: 'ok' | 'unconfigured' | 'unavailable';
  message?: string;
}

/** `GET /api/workload-catalog/models` */
export interface ModelSuggestionsResponse {
  models: ModelSuggestion[];
  sources: { config: SuggestionSourceStatus; ollama: SuggestionSourceStatus };
}

/** `GET /api/workload-catalog/form-options`: what the form checks on top of the schema. */
export interface FormOptionsResponse {
  /** The platform policy in force (the catalog repo's policy file, narrowed by config), its GPU maximum spelt out. */
  policy: LeafPolicy & { maxGpuCount: number };
  /** Memory of one GPU in bytes, used for "needs N GPUs" in the picker. */
  gpuMemoryPerGpuBytes: number;
}
