/*
 * What the GPU-memory estimate needs to know about a model: its architecture (layers, KV
 * heads, head dimension, trained context) and its weights (parameters, quantization, size on
 * disk). Read from Ollama's /api/show (`model_info`, `details`), or from the table below for
 * the models the platform suggests, when no server is asked.
 *
 * Sources of the table (bench/README.md lists them per model): the models' own config.json
 * on their publishers' Hugging Face pages (num_hidden_layers, num_key_value_heads,
 * hidden_size / num_attention_heads or head_dim, max_position_embeddings, vocab_size,
 * parameter counts from the safetensors index), and the default tags of the Ollama library
 * (quantization and size in bytes of the GGUF layer, as /api/tags reports it).
 */

/** A model's architecture as the GPU-memory estimate needs it. */
export interface ModelArchitecture {
  /** GGUF `general.architecture` ("llama", "qwen2", "phi3"). */
  architecture: string;
  /** All weights, every expert of a mixture-of-experts model included. */
  parameterCount: number;
  /** Transformer layers (`<arch>.block_count`). */
  blockCount: number;
  /** Key/value heads per layer (`<arch>.attention.head_count_kv`; = head_count without GQA). */
  headCountKv: number;
  /** Dimension of one key head and one value head (`<arch>.attention.key_length`/`value_length`, else embedding_length / head_count). */
  keyLength: number;
  valueLength: number;
  /** The context the model was trained for (`<arch>.context_length`): Ollama never allocates more. */
  contextLength: number;
  /** Hidden size and vocabulary, for the compute buffer (optional). */
  embeddingLength?: number;
  vocabSize?: number;
  /** Experts of a mixture-of-experts model (`<arch>.expert_count`): all are loaded. */
  expertCount?: number;
  /** An embedding model (`<arch>.pooling_type` set): Ollama serves it with one slot. */
  embedding?: boolean;
}

/** What is known about one model: any of these may be missing. */
export interface ModelFacts {
  /** Size of the model on disk (its GGUF weights): what /api/tags reports. */
  sizeBytes?: number;
  /** Quantization as Ollama names it ("Q4_K_M", "Q4_0", "F16"). */
  quantization?: string;
  architecture?: ModelArchitecture;
}

/**
 * Bits per weight of each GGUF quantization, averaged over a whole model file (llama.cpp's
 * quantize figures; the K-quants mix block types, Q4_K_M ≈ 4.85). Used only when the size
 * on disk is not known.
 */
export const BITS_PER_WEIGHT: Record<string, number> = {
  F32: 32,
  F16: 16,
  BF16: 16,
  Q8_0: 8.5,
  Q6_K: 6.5625,
  Q5_K_M: 5.69,
  Q5_K_S: 5.54,
  Q5_1: 6,
  Q5_0: 5.5,
  Q4_K_M: 4.85,
  Q4_K_S: 4.58,
  Q4_1: 5,
  Q4_0: 4.5,
  Q3_K_L: 4.27,
  Q3_K_M: 3.91,
  Q3_K_S: 3.5,
  Q2_K: 3.35,
};

/** A row of the shipped table: the facts of an Ollama library tag. */
export interface KnownModel extends Required<Omit<ModelFacts, 'architecture'>> {
  architecture: ModelArchitecture;
  /** Where the numbers come from (shown in bench/README.md). */
  source: string;
}

const arch = (a: ModelArchitecture) => a;

/** Ollama library tags the platform suggests (and the benchmark's models), canonical names. */
export const KNOWN_MODELS: Record<string, KnownModel> = {
  'phi:latest': {
    sizeBytes: 1602463378,
    quantization: 'Q4_0',
    architecture: arch({
      architecture: 'phi2',
      parameterCount: 2779683840,
      blockCount: 32,
      headCountKv: 32,
      keyLength: 80,
      valueLength: 80,
      contextLength: 2048,
      embeddingLength: 2560,
      vocabSize: 51200,
    }),
    source: 'microsoft/phi-2 config.json',
  },
  'phi3:latest': {
    sizeBytes: 2176178913,
    quantization: 'Q4_0',
    architecture: arch({
      architecture: 'phi3',
      parameterCount: 3821079552,
      blockCount: 32,
      headCountKv: 32,
      keyLength: 96,
      valueLength: 96,
      contextLength: 131072,
      embeddingLength: 3072,
      vocabSize: 32064,
    }),
    source: 'microsoft/Phi-3-mini-128k-instruct config.json',
  },
  'llama3.2:3b': {
    sizeBytes: 2019393189,
    quantization: 'Q4_K_M',
    architecture: arch({
      architecture: 'llama',
      parameterCount: 3212749824,
      blockCount: 28,
      headCountKv: 8,
      keyLength: 128,
      valueLength: 128,
      contextLength: 131072,
      embeddingLength: 3072,
      vocabSize: 128256,
    }),
    source: 'meta-llama/Llama-3.2-3B-Instruct config.json',
  },
  'llama3.1:8b': {
    sizeBytes: 4920753328,
    quantization: 'Q4_K_M',
    architecture: arch({
      architecture: 'llama',
      parameterCount: 8030261248,
      blockCount: 32,
      headCountKv: 8,
      keyLength: 128,
      valueLength: 128,
      contextLength: 131072,
      embeddingLength: 4096,
      vocabSize: 128256,
    }),
    source: 'meta-llama/Llama-3.1-8B-Instruct config.json',
  },
  'mistral:7b': {
    sizeBytes: 4113301824,
    quantization: 'Q4_0',
    architecture: arch({
      architecture: 'llama',
      parameterCount: 7248023552,
      blockCount: 32,
      headCountKv: 8,
      keyLength: 128,
      valueLength: 128,
      contextLength: 32768,
      embeddingLength: 4096,
      vocabSize: 32768,
    }),
    source: 'mistralai/Mistral-7B-Instruct-v0.3 config.json',
  },
  'mixtral:8x7b': {
    sizeBytes: 26442481545,
    quantization: 'Q4_0',
    architecture: arch({
      architecture: 'llama',
      parameterCount: 46702792704,
      blockCount: 32,
      headCountKv: 8,
      keyLength: 128,
      valueLength: 128,
      contextLength: 32768,
      embeddingLength: 4096,
      vocabSize: 32000,
      expertCount: 8,
    }),
    source: 'mistralai/Mixtral-8x7B-Instruct-v0.1 config.json',
  },
  'qwen2.5-coder:14b': {
    sizeBytes: 8988124069,
    quantization: 'Q4_K_M',
    architecture: arch({
      architecture: 'qwen2',
      parameterCount: 14770033664,
      blockCount: 48,
      headCountKv: 8,
      keyLength: 128,
      valueLength: 128,
      contextLength: 32768,
      embeddingLength: 5120,
      vocabSize: 152064,
    }),
    source: 'Qwen/Qwen2.5-Coder-14B-Instruct config.json',
  },
  'gemma2:27b': {
    sizeBytes: 15628387458,
    quantization: 'Q4_0',
    architecture: arch({
      architecture: 'gemma2',
      parameterCount: 27227128320,
      blockCount: 46,
      headCountKv: 16,
      keyLength: 128,
      valueLength: 128,
      contextLength: 8192,
      embeddingLength: 4608,
      vocabSize: 256000,
    }),
    source: 'google/gemma-2-27b-it config.json',
  },
  'llama3.1:70b': {
    sizeBytes: 42520413916,
    quantization: 'Q4_K_M',
    architecture: arch({
      architecture: 'llama',
      parameterCount: 70553706496,
      blockCount: 80,
      headCountKv: 8,
      keyLength: 128,
      valueLength: 128,
      contextLength: 131072,
      embeddingLength: 8192,
      vocabSize: 128256,
    }),
    source: 'meta-llama/Llama-3.1-70B-Instruct config.json',
  },
  'qwen2.5:72b': {
    sizeBytes: 47415724835,
    quantization: 'Q4_K_M',
    architecture: arch({
      architecture: 'qwen2',
      parameterCount: 72706203648,
      blockCount: 80,
      headCountKv: 8,
      keyLength: 128,
      valueLength: 128,
      contextLength: 32768,
      embeddingLength: 8192,
      vocabSize: 152064,
    }),
    source: 'Qwen/Qwen2.5-72B-Instruct config.json',
  },
  'nomic-embed-text:v1.5': {
    sizeBytes: 274302450,
    quantization: 'F16',
    architecture: arch({
      architecture: 'nomic-bert',
      parameterCount: 136727040,
      blockCount: 12,
      headCountKv: 12,
      keyLength: 64,
      valueLength: 64,
      contextLength: 2048,
      embeddingLength: 768,
      vocabSize: 30522,
      embedding: true,
    }),
    source: 'nomic-ai/nomic-embed-text-v1.5 config.json',
  },
};

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  // Some architectures give a value per layer (an array); the largest counts.
  if (Array.isArray(v)) {
    const values = v.filter(
      (x): x is number => typeof x === 'number' && Number.isFinite(x),
    );
    return values.length > 0 ? Math.max(...values) : undefined;
  }
  return undefined;
};

/**
 * The architecture in /api/show's `model_info` (GGUF metadata: `general.architecture`,
 * `general.parameter_count`, `<arch>.block_count`, `<arch>.attention.head_count_kv`,
 * `<arch>.attention.key_length` or `<arch>.embedding_length` / `<arch>.attention.head_count`,
 * `<arch>.context_length`), or undefined when a number the estimate needs is missing.
 */
export function architectureFromModelInfo(
  modelInfo: unknown,
): ModelArchitecture | undefined {
  if (!modelInfo || typeof modelInfo !== 'object') return undefined;
  const info = modelInfo as Record<string, unknown>;
  const name = info['general.architecture'];
  if (typeof name !== 'string' || name === '') return undefined;
  const key = (k: string) => num(info[`${name}.${k}`]);
  const parameterCount = num(info['general.parameter_count']);
  const blockCount = key('block_count');
  const headCount = key('attention.head_count');
  const embeddingLength = key('embedding_length');
  const headCountKv = key('attention.head_count_kv') ?? headCount;
  const headDim =
    headCount && embeddingLength
      ? Math.floor(embeddingLength / headCount)
      : undefined;
  const keyLength = key('attention.key_length') ?? headDim;
  const valueLength = key('attention.value_length') ?? headDim;
  const contextLength = key('context_length');
  if (
    !parameterCount ||
    !blockCount ||
    !headCountKv ||
    !keyLength ||
    !valueLength ||
    !contextLength
  )
    return undefined;
  const vocabSize =
    key('vocab_size') ??
    (Array.isArray(info['tokenizer.ggml.tokens'])
      ? (info['tokenizer.ggml.tokens'] as unknown[]).length
      : undefined);
  const expertCount = key('expert_count');
  return {
    architecture: name,
    parameterCount,
    blockCount,
    headCountKv,
    keyLength,
    valueLength,
    contextLength,
    ...(embeddingLength ? { embeddingLength } : {}),
    ...(vocabSize ? { vocabSize } : {}),
    ...(expertCount && expertCount > 1 ? { expertCount } : {}),
    ...(info[`${name}.pooling_type`] !== undefined ? { embedding: true } : {}),
  };
}
