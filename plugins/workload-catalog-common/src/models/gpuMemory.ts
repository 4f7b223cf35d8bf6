/*
 * The GPU-memory estimate: what an Ollama server needs to hold a leaf's models fully on its
 * GPUs, and on how many GPUs that fits. One function for the model picker, the GPU slider's
 * recommendation, the resource presets and the form's breakdown.
 *
 *   weights   the model's size on disk (its GGUF tensors), else parameters × bits per weight;
 *             a mixture-of-experts model loads every expert
 *   KV cache  2 (K and V) × layers × KV heads × head dimension × bytes per element
 *             × context length × parallel slots           (key and value lengths may differ)
 *   overhead  per GPU: the CUDA context and the runtime's reserve (Ollama sets 457 MiB aside
 *             on every GPU, ml/device.go MinimumMemory) + the compute buffer of one batch
 *             (4 bytes × 512 tokens × (hidden size + vocabulary)) + OLLAMA_GPU_OVERHEAD
 *
 * Context length and slots follow Ollama 0.18 (the chart's image): a Modelfile's num_ctx
 * (customModels[].parameters.num_ctx), else OLLAMA_CONTEXT_LENGTH, else a default from the
 * VRAM of the GPUs the server sees (< 23 GiB: 4096, < 47 GiB: 32768, else 262144;
 * server/routes.go), never more than the model's trained context (llm/server.go). Slots:
 * OLLAMA_NUM_PARALLEL (the chart sets 4 when the leaf does not; Ollama's own default is 1),
 * always 1 for an embedding model (server/sched.go). The KV cache is f16 (2 bytes) unless
 * OLLAMA_KV_CACHE_TYPE is q8_0/q4_0 with OLLAMA_FLASH_ATTENTION on.
 *
 * Assumption: flash attention where the GPU supports it (llama.cpp's "auto"), so the
 * attention scores are not materialised; without it, long contexts need a larger compute
 * buffer (see bench/README.md).
 */
import { formatOllamaRef, parseOllamaRef } from './ollamaRef';
import { OLLAMA_ENVIRONMENT } from './ollamaEnvironment';
import {
  BITS_PER_WEIGHT,
  KNOWN_MODELS,
  type ModelArchitecture,
  type ModelFacts,
} from './modelArchitectures';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** What Ollama reserves on each GPU beyond the model (CUDA context, runtime). */
export const GPU_RUNTIME_RESERVE_BYTES = 457 * MiB;
/** Tokens per batch (Ollama's num_batch default): the compute buffer holds one batch. */
export const OLLAMA_BATCH_SIZE = 512;
/** Compute buffer when the model's hidden size and vocabulary are unknown. */
const DEFAULT_COMPUTE_BUFFER_BYTES = 512 * MiB;
/** Ollama's own default for OLLAMA_NUM_PARALLEL (envconfig); the chart sets its own. */
export const OLLAMA_DEFAULT_NUM_PARALLEL = 1;
/** The most GPUs the estimate looks at before it says "does not fit". */
const MAX_GPUS_CONSIDERED = 64;

/** Ollama 0.18's default context length for the VRAM the server sees (server/routes.go). */
export function ollamaDefaultContextLength(totalVramBytes: number): number {
  if (totalVramBytes >= 47 * GiB) return 262144;
  if (totalVramBytes >= 23 * GiB) return 32768;
  return 4096;
}

/** Bytes per KV cache element of OLLAMA_KV_CACHE_TYPE (GGML block sizes: q8_0 34/32, q4_0 18/32). */
export function kvBytesPerElement(cacheType: string | undefined): number {
  switch (cacheType) {
    case 'q8_0':
      return 34 / 32;
    case 'q4_0':
      return 18 / 32;
    default:
      return 2;
  }
}

/**
 * One variable of container.environment, read from either form the leaf may use: a mapping
 * (NAME: value) or a list of \{name, value\}. Undefined when it is not set.
 */
export function environmentValue(
  environment: unknown,
  name: string,
): string | undefined {
  let value: unknown;
  if (Array.isArray(environment)) {
    const item = environment.find(
      e =>
        e && typeof e === 'object' && (e as { name?: unknown }).name === name,
    );
    value = (item as { value?: unknown } | undefined)?.value;
  } else if (environment && typeof environment === 'object') {
    value = (environment as Record<string, unknown>)[name];
  }
  return value === undefined || value === null ? undefined : String(value);
}

function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9]+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n > 0 ? n : undefined;
}

/** The Ollama settings of a leaf's container that change the estimate. */
export interface OllamaMemorySettings {
  /** OLLAMA_CONTEXT_LENGTH, when set. */
  contextLength?: number;
  /** OLLAMA_NUM_PARALLEL as deployed (the leaf's, else the chart's default). */
  numParallel: number;
  /** OLLAMA_KV_CACHE_TYPE when it takes effect (flash attention on), else f16. */
  kvCacheType: 'f16' | 'q8_0' | 'q4_0';
  /** OLLAMA_GPU_OVERHEAD in bytes. */
  gpuOverheadBytes: number;
  /** OLLAMA_MAX_LOADED_MODELS when set above 0: at most this many models at once. */
  maxLoadedModels?: number;
}

/** Reads the settings from container.environment (mapping or list form). */
export function ollamaMemorySettings(
  environment: unknown,
): OllamaMemorySettings {
  const get = (name: string) => environmentValue(environment, name);
  const chartParallel = positiveInt(
    OLLAMA_ENVIRONMENT.OLLAMA_NUM_PARALLEL?.chartDefault,
  );
  const flash = ['1', 'true'].includes(
    (get('OLLAMA_FLASH_ATTENTION') ?? '').toLowerCase(),
  );
  const kvType = get('OLLAMA_KV_CACHE_TYPE');
  const contextLength = positiveInt(get('OLLAMA_CONTEXT_LENGTH'));
  const maxLoaded = positiveInt(get('OLLAMA_MAX_LOADED_MODELS'));
  return {
    ...(contextLength ? { contextLength } : {}),
    numParallel:
      positiveInt(get('OLLAMA_NUM_PARALLEL')) ??
      chartParallel ??
      OLLAMA_DEFAULT_NUM_PARALLEL,
    kvCacheType:
      flash && (kvType === 'q8_0' || kvType === 'q4_0') ? kvType : 'f16',
    gpuOverheadBytes: Number(get('OLLAMA_GPU_OVERHEAD') ?? 0) || 0,
    ...(maxLoaded ? { maxLoadedModels: maxLoaded } : {}),
  };
}

/** A model to estimate: its reference, what is known about it, a Modelfile num_ctx. */
export interface ModelMemoryInput {
  ref: string;
  facts?: ModelFacts;
  /** num_ctx of the model's Modelfile (a custom model's parameters). */
  numCtx?: number;
}

/** The estimate of one loaded model. */
export interface ModelMemoryEstimate {
  ref: string;
  weightsBytes: number;
  kvCacheBytes: number;
  /** Context per slot and slots, as Ollama would allocate them. */
  contextLength: number;
  parallel: number;
  /** Where the context length comes from. */
  contextFrom: 'modelfile' | 'OLLAMA_CONTEXT_LENGTH' | 'vram-default';
  /** True when the trained context capped the requested one. */
  contextCapped: boolean;
  /** Bytes of KV cache per token of context. */
  kvBytesPerToken: number;
  /** The architecture was known (model_info or the shipped table); false: KV cache assumed. */
  architectureKnown: boolean;
  /** The weights came from the size on disk (else from parameters × bits per weight). */
  weightsFrom: 'size' | 'parameters' | 'assumed';
  /** A mixture-of-experts model: every expert's weights are loaded. */
  experts?: number;
  /** Compute buffer of one batch for this model (bytes). */
  computeBufferBytes: number;
}

/** The estimate of a whole server at a number of GPUs. */
export interface GpuMemoryEstimate {
  models: ModelMemoryEstimate[];
  weightsBytes: number;
  kvCacheBytes: number;
  /** Runtime reserve and compute buffer on every GPU used, OLLAMA_GPU_OVERHEAD included. */
  overheadBytes: number;
  totalBytes: number;
  /** The GPUs this estimate is for, of `gpuMemoryBytes` each. */
  gpuCount: number;
  gpuMemoryBytes: number;
  /** totalBytes fits in gpuCount × gpuMemoryBytes. */
  fits: boolean;
}

/** The facts the shipped table has for a reference, if any. */
export function knownModelFacts(ref: string): ModelFacts | undefined {
  const key = canonicalModelRef(ref);
  return key ? KNOWN_MODELS[key] : undefined;
}

/** The reference without a digest, as Ollama names a pulled model ("phi" → "phi:latest"). */
export function canonicalModelRef(ref: string): string | undefined {
  const r = parseOllamaRef(ref);
  return r.ok ? formatOllamaRef(r.ref, { digest: false }) : undefined;
}

/** The given facts, completed from the shipped table where they say nothing. */
export function withKnownFacts(
  ref: string,
  facts: ModelFacts | undefined,
): ModelFacts | undefined {
  const known = knownModelFacts(ref);
  if (!known) return facts;
  if (!facts) return known;
  return {
    sizeBytes: facts.sizeBytes ?? known.sizeBytes,
    quantization: facts.quantization ?? known.quantization,
    architecture: facts.architecture ?? known.architecture,
  };
}

/** Weights in bytes: size on disk, else parameters × bits per weight of the quantization. */
export function weightsBytes(facts: ModelFacts | undefined): {
  bytes: number;
  from: ModelMemoryEstimate['weightsFrom'];
} {
  if (facts?.sizeBytes !== undefined && facts.sizeBytes > 0)
    return { bytes: facts.sizeBytes, from: 'size' };
  const params = facts?.architecture?.parameterCount;
  if (params) {
    const bits =
      BITS_PER_WEIGHT[(facts?.quantization ?? '').toUpperCase()] ??
      BITS_PER_WEIGHT.Q4_K_M;
    return { bytes: Math.ceil((params * bits) / 8), from: 'parameters' };
  }
  return { bytes: 0, from: 'assumed' };
}

/**
 * KV cache bytes per token when the architecture is not known: a grouped-query model of
 * this size (8 KV heads of 128, about 11 × √(billions of parameters) layers), rounded up.
 */
function assumedKvBytesPerToken(weights: number, perElement: number) {
  const billions = Math.max(1, (weights * 8) / 4.85 / 1e9);
  const layers = Math.ceil(11 * Math.sqrt(billions));
  return 2 * layers * 8 * 128 * perElement;
}

function estimateModel(
  input: ModelMemoryInput,
  settings: OllamaMemorySettings,
  totalVramBytes: number,
): ModelMemoryEstimate {
  const facts = withKnownFacts(input.ref, input.facts);
  const a: ModelArchitecture | undefined = facts?.architecture;
  const weights = weightsBytes(facts);
  const perElement = kvBytesPerElement(settings.kvCacheType);
  let contextFrom: ModelMemoryEstimate['contextFrom'] = 'vram-default';
  let requested = ollamaDefaultContextLength(totalVramBytes);
  if (input.numCtx) {
    requested = input.numCtx;
    contextFrom = 'modelfile';
  } else if (settings.contextLength) {
    requested = settings.contextLength;
    contextFrom = 'OLLAMA_CONTEXT_LENGTH';
  }
  const contextLength =
    a?.contextLength && requested > a.contextLength
      ? a.contextLength
      : requested;
  const parallel = a?.embedding ? 1 : settings.numParallel;
  const kvBytesPerToken = a
    ? a.blockCount * a.headCountKv * (a.keyLength + a.valueLength) * perElement
    : assumedKvBytesPerToken(weights.bytes, perElement);
  const computeBufferBytes =
    a?.embeddingLength && a.vocabSize
      ? 4 *
        (a.embedding ? contextLength : OLLAMA_BATCH_SIZE) *
        (a.embeddingLength + a.vocabSize)
      : DEFAULT_COMPUTE_BUFFER_BYTES;
  return {
    ref: input.ref,
    weightsBytes: weights.bytes,
    kvCacheBytes: Math.ceil(kvBytesPerToken * contextLength * parallel),
    contextLength,
    parallel,
    contextFrom,
    contextCapped: contextLength < requested,
    kvBytesPerToken,
    architectureKnown: a !== undefined,
    weightsFrom: weights.from,
    ...(a?.expertCount ? { experts: a.expertCount } : {}),
    computeBufferBytes,
  };
}

/**
 * The estimate for `models` served by one Ollama server on `gpuCount` GPUs of
 * `gpuMemoryBytes` each (the default context length depends on that VRAM). With
 * OLLAMA_MAX_LOADED_MODELS set, only that many models (the largest) count at once.
 */
export function estimateGpuMemory(
  models: readonly ModelMemoryInput[],
  settings: OllamaMemorySettings,
  gpuCount: number,
  gpuMemoryBytes: number,
): GpuMemoryEstimate {
  const gpus = Math.max(1, gpuCount);
  const vram = gpus * Math.max(0, gpuMemoryBytes - settings.gpuOverheadBytes);
  const all = models.map(m => estimateModel(m, settings, vram));
  const size = (m: ModelMemoryEstimate) => m.weightsBytes + m.kvCacheBytes;
  const loaded =
    settings.maxLoadedModels && settings.maxLoadedModels < all.length
      ? [...all]
          .sort((x, y) => size(y) - size(x))
          .slice(0, settings.maxLoadedModels)
      : all;
  const weights = loaded.reduce((s, m) => s + m.weightsBytes, 0);
  const kv = loaded.reduce((s, m) => s + m.kvCacheBytes, 0);
  const buffer = loaded.reduce((s, m) => Math.max(s, m.computeBufferBytes), 0);
  const overhead =
    loaded.length === 0
      ? 0
      : gpus * (GPU_RUNTIME_RESERVE_BYTES + buffer + settings.gpuOverheadBytes);
  const total = weights + kv + overhead;
  return {
    models: all,
    weightsBytes: weights,
    kvCacheBytes: kv,
    overheadBytes: overhead,
    totalBytes: total,
    gpuCount: gpus,
    gpuMemoryBytes,
    fits: total <= gpus * gpuMemoryBytes,
  };
}

/**
 * The fewest GPUs (1 to `maxGpus`) on which the models fit, with the estimate there; when
 * none does, the estimate at `maxGpus` with `fits: false`.
 */
export function smallestFit(
  models: readonly ModelMemoryInput[],
  settings: OllamaMemorySettings,
  gpuMemoryBytes: number,
  maxGpus: number = MAX_GPUS_CONSIDERED,
): GpuMemoryEstimate {
  const limit = Math.max(1, Math.min(maxGpus, MAX_GPUS_CONSIDERED));
  let last: GpuMemoryEstimate | undefined;
  for (let n = 1; n <= limit; n++) {
    last = estimateGpuMemory(models, settings, n, gpuMemoryBytes);
    if (last.fits) return last;
  }
  return last!;
}

/** The part of an Ollama leaf the estimate reads (a draft from the form will do). */
export interface OllamaLeafLike {
  model?: unknown;
  additionalModels?: unknown;
  customModels?: unknown;
  gpu?: { count?: unknown };
  container?: { environment?: unknown };
}

/**
 * The models an Ollama leaf loads, one per set of weights: `model`, `additionalModels`, and
 * `customModels` (a custom model shares its base's weights; Ollama reloads the base when the
 * num_ctx differs, so the largest context of the variants counts).
 */
export function leafModelInputs(
  leaf: OllamaLeafLike,
  facts: (ref: string) => ModelFacts | undefined = knownModelFacts,
): ModelMemoryInput[] {
  const byWeights = new Map<string, ModelMemoryInput>();
  const add = (ref: unknown, numCtx?: number) => {
    if (typeof ref !== 'string' || ref.trim() === '') return;
    const key = canonicalModelRef(ref);
    if (!key) return;
    const known = byWeights.get(key);
    if (known) {
      if (numCtx && (!known.numCtx || numCtx > known.numCtx))
        known.numCtx = numCtx;
      return;
    }
    byWeights.set(key, {
      ref: key,
      facts: withKnownFacts(key, facts(key)),
      ...(numCtx ? { numCtx } : {}),
    });
  };
  add(leaf.model);
  if (Array.isArray(leaf.additionalModels))
    for (const m of leaf.additionalModels) add(m);
  if (Array.isArray(leaf.customModels)) {
    for (const c of leaf.customModels) {
      const numCtx = c?.parameters?.num_ctx;
      add(
        c?.from,
        typeof numCtx === 'number' && numCtx > 0 ? numCtx : undefined,
      );
    }
  }
  return [...byWeights.values()];
}

/** The estimate of a leaf: at its own GPU count, and the fewest GPUs it fits on. */
export interface LeafGpuMemory {
  /** At the leaf's gpu.count (1 when 0 or unset: the estimate is for GPUs). */
  atLeafCount: GpuMemoryEstimate;
  /** The fewest GPUs of this memory that hold the models, up to `maxGpus`. */
  smallest: GpuMemoryEstimate;
  settings: OllamaMemorySettings;
}

/** The GPU-memory estimate of an Ollama leaf's models (every declared one). */
export function leafGpuMemory(
  leaf: OllamaLeafLike,
  options: {
    gpuMemoryBytes: number;
    maxGpus?: number;
    facts?: (ref: string) => ModelFacts | undefined;
  },
): LeafGpuMemory | undefined {
  const models = leafModelInputs(leaf, options.facts);
  if (models.length === 0) return undefined;
  const settings = ollamaMemorySettings(leaf.container?.environment);
  const count =
    typeof leaf.gpu?.count === 'number' && leaf.gpu.count >= 1
      ? Math.floor(leaf.gpu.count)
      : 1;
  return {
    atLeafCount: estimateGpuMemory(
      models,
      settings,
      count,
      options.gpuMemoryBytes,
    ),
    smallest: smallestFit(
      models,
      settings,
      options.gpuMemoryBytes,
      options.maxGpus,
    ),
    settings,
  };
}

/** The estimate for one model on a server with the chart's defaults (the model picker). */
export function modelGpuMemory(
  ref: string,
  facts: ModelFacts | undefined,
  gpuMemoryBytes: number,
  maxGpus?: number,
): GpuMemoryEstimate {
  return smallestFit(
    [{ ref, ...(facts ? { facts } : {}) }],
    ollamaMemorySettings(undefined),
    gpuMemoryBytes,
    maxGpus,
  );
}

const gib = (bytes: number) => {
  const v = bytes / GiB;
  return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} GiB`;
};

/** "fits on 2 GPUs of 24 GiB" or "does not fit on 8 GPUs of 24 GiB". */
export function describeGpuFit(e: GpuMemoryEstimate): string {
  const gpus = `${e.gpuCount} GPU${e.gpuCount === 1 ? '' : 's'} of ${gib(e.gpuMemoryBytes)}`;
  return e.fits ? `fits on ${gpus}` : `does not fit on ${gpus}`;
}

/** One line per model and a total: the breakdown the form shows. */
export function describeGpuMemory(e: GpuMemoryEstimate): string[] {
  const lines = e.models.map(m => {
    const ctx = `${m.contextLength} tokens × ${m.parallel} slot${m.parallel === 1 ? '' : 's'}`;
    const notes = [
      m.experts ? `all ${m.experts} experts loaded` : undefined,
      m.contextCapped
        ? 'context capped at what the model was trained for'
        : undefined,
      m.architectureKnown
        ? undefined
        : 'architecture unknown: KV cache assumed',
      m.weightsFrom === 'assumed' ? 'size unknown' : undefined,
    ].filter(Boolean);
    return `${m.ref}: weights ${gib(m.weightsBytes)} + KV cache ${gib(m.kvCacheBytes)} (${ctx})${notes.length ? ` (${notes.join('; ')})` : ''}`;
  });
  lines.push(
    `runtime overhead ${gib(e.overheadBytes)} (${e.gpuCount} GPU${e.gpuCount === 1 ? '' : 's'})`,
    `total ~${gib(e.totalBytes)}: ${describeGpuFit(e)}`,
  );
  return lines;
}
