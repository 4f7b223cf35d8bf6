/*
 * The contract between the workload-catalog backend plugin and the form: model suggestions
 * and the platform policy the form checks against, plus the estimate of what a model needs
 * (GPU memory, GPUs, a resource preset) that both sides show.
 */
import { GPU_COUNT_LIMIT } from '../schema/inference';
import {
  RESOURCE_PRESETS,
  presetForWeights,
  type ResourcePresetName,
} from '../models/presets';
import {
  describeGpuFit,
  modelGpuMemory,
  type GpuMemoryEstimate,
} from '../models/gpuMemory';
import type {
  ModelArchitecture,
  ModelFacts,
} from '../models/modelArchitectures';
import type { LeafPolicy } from '../validation/validate';

/** The parts of the GPU-memory estimate the picker shows. */
export interface GpuMemoryBreakdown {
  weightsBytes: number;
  kvCacheBytes: number;
  overheadBytes: number;
  /** Context per slot and slots the KV cache is for (the chart's defaults). */
  contextLength: number;
  parallel: number;
  /** False: the architecture is unknown and the KV cache an assumption. */
  architectureKnown: boolean;
}

/** What a model needs to run: GPU memory (weights, KV cache, runtime), GPUs, a preset. */
export interface ModelNeeds {
  /** Estimated GPU memory in bytes at `gpuCount` GPUs (see the common package's gpuMemory). */
  gpuMemoryBytes: number;
  /** The fewest GPUs of `gpuMemoryPerGpuBytes` each that hold the model (at most the schema's limit). */
  gpuCount: number;
  /** False when even `gpuCount` (the limit) GPUs are too small. */
  fits: boolean;
  /** "fits on 1 GPU of 24 GiB". */
  fit: string;
  breakdown: GpuMemoryBreakdown;
  /** The smallest resource preset sized for the model; absent when even "large" is too small. */
  preset?: ResourcePresetName;
  /** The preset's memory request and limit ("2Gi", "6Gi"), for display. */
  memoryRequest?: string;
  memoryLimit?: string;
}

const GiB = 2 ** 30;

/** Default memory of one GPU when the platform does not configure it (an NVIDIA L4: 24 GiB). */
export const DEFAULT_GPU_MEMORY_BYTES = 24 * GiB;

/** The ModelNeeds of an estimate (one model). */
export function needsOf(e: GpuMemoryEstimate): ModelNeeds {
  const m = e.models[0];
  const preset = presetForWeights(e.weightsBytes);
  return {
    gpuMemoryBytes: e.totalBytes,
    gpuCount: e.gpuCount,
    fits: e.fits,
    fit: describeGpuFit(e),
    breakdown: {
      weightsBytes: e.weightsBytes,
      kvCacheBytes: e.kvCacheBytes,
      overheadBytes: e.overheadBytes,
      contextLength: m?.contextLength ?? 0,
      parallel: m?.parallel ?? 0,
      architectureKnown: m?.architectureKnown ?? false,
    },
    ...(preset
      ? {
          preset,
          memoryRequest: RESOURCE_PRESETS[preset].requests.memory,
          memoryLimit: RESOURCE_PRESETS[preset].limits.memory,
        }
      : {}),
  };
}

/**
 * Estimates what a model needs on a server with the chart's defaults (see
 * `leafGpuMemory` for a whole leaf): the facts are the model's size on disk and, when known,
 * its architecture (from /api/show or the shipped table).
 */
export function modelNeeds(
  ref: string,
  facts: ModelFacts,
  gpuMemoryPerGpuBytes: number = DEFAULT_GPU_MEMORY_BYTES,
): ModelNeeds {
  const perGpu =
    gpuMemoryPerGpuBytes > 0 ? gpuMemoryPerGpuBytes : DEFAULT_GPU_MEMORY_BYTES;
  return needsOf(modelGpuMemory(ref, facts, perGpu, GPU_COUNT_LIMIT));
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
  /** Layers, KV heads, head dimension, context (from /api/show's model_info or the shipped table). */
  architecture?: ModelArchitecture;
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
