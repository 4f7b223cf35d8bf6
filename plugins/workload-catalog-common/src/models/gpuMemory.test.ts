import {
  GPU_RUNTIME_RESERVE_BYTES,
  describeGpuFit,
  describeGpuMemory,
  environmentValue,
  estimateGpuMemory,
  kvBytesPerElement,
  leafGpuMemory,
  leafModelInputs,
  modelGpuMemory,
  ollamaDefaultContextLength,
  ollamaMemorySettings,
  smallestFit,
  weightsBytes,
} from './gpuMemory';
import { KNOWN_MODELS, architectureFromModelInfo } from './modelArchitectures';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const L4 = 24 * GiB;

/** /api/show's model_info of llama3.1:8b, as Ollama's API documentation shows it. */
const LLAMA31_8B_MODEL_INFO = {
  'general.architecture': 'llama',
  'general.file_type': 15,
  'general.parameter_count': 8030261248,
  'general.quantization_version': 2,
  'llama.attention.head_count': 32,
  'llama.attention.head_count_kv': 8,
  'llama.attention.layer_norm_rms_epsilon': 0.00001,
  'llama.block_count': 32,
  'llama.context_length': 131072,
  'llama.embedding_length': 4096,
  'llama.feed_forward_length': 14336,
  'llama.rope.dimension_count': 128,
  'llama.rope.freq_base': 500000,
  'llama.vocab_size': 128256,
  'tokenizer.ggml.model': 'gpt2',
  'tokenizer.ggml.tokens': null,
};

describe('architectureFromModelInfo', () => {
  it('reads layers, KV heads, head dimension and context from the GGUF keys', () => {
    expect(architectureFromModelInfo(LLAMA31_8B_MODEL_INFO)).toEqual(
      KNOWN_MODELS['llama3.1:8b'].architecture,
    );
  });

  it('prefers key_length/value_length over embedding_length / head_count', () => {
    const a = architectureFromModelInfo({
      'general.architecture': 'gemma2',
      'general.parameter_count': 27227128320,
      'gemma2.block_count': 46,
      'gemma2.attention.head_count': 32,
      'gemma2.attention.head_count_kv': 16,
      'gemma2.attention.key_length': 128,
      'gemma2.attention.value_length': 128,
      'gemma2.embedding_length': 4608,
      'gemma2.context_length': 8192,
    });
    expect(a).toMatchObject({ keyLength: 128, valueLength: 128 });
  });

  it('marks mixtures of experts and embedding models, takes the largest per-layer value', () => {
    expect(
      architectureFromModelInfo({
        'general.architecture': 'llama',
        'general.parameter_count': 46702792704,
        'llama.block_count': 32,
        'llama.attention.head_count': 32,
        'llama.attention.head_count_kv': [8, 8, 4],
        'llama.embedding_length': 4096,
        'llama.context_length': 32768,
        'llama.expert_count': 8,
        'llama.expert_used_count': 2,
      }),
    ).toMatchObject({ expertCount: 8, headCountKv: 8, keyLength: 128 });
    expect(
      architectureFromModelInfo({
        'general.architecture': 'nomic-bert',
        'general.parameter_count': 136727040,
        'nomic-bert.block_count': 12,
        'nomic-bert.attention.head_count': 12,
        'nomic-bert.embedding_length': 768,
        'nomic-bert.context_length': 2048,
        'nomic-bert.pooling_type': 1,
      }),
    ).toMatchObject({ embedding: true, headCountKv: 12, keyLength: 64 });
  });

  it('gives up when a number the estimate needs is missing', () => {
    expect(architectureFromModelInfo(undefined)).toBeUndefined();
    expect(architectureFromModelInfo({})).toBeUndefined();
    const { 'llama.block_count': _dropped, ...rest } = LLAMA31_8B_MODEL_INFO;
    expect(architectureFromModelInfo(rest)).toBeUndefined();
  });
});

describe('settings from container.environment', () => {
  it('reads the mapping and the list form alike', () => {
    expect(environmentValue({ A: 1 }, 'A')).toBe('1');
    expect(environmentValue([{ name: 'A', value: 'x' }], 'A')).toBe('x');
    expect(environmentValue([{ name: 'B', value: 'x' }], 'A')).toBeUndefined();
    expect(environmentValue(undefined, 'A')).toBeUndefined();
    const list = ollamaMemorySettings([
      { name: 'OLLAMA_NUM_PARALLEL', value: '2' },
      { name: 'OLLAMA_CONTEXT_LENGTH', value: 8192 },
    ]);
    expect(list).toEqual(
      ollamaMemorySettings({
        OLLAMA_NUM_PARALLEL: 2,
        OLLAMA_CONTEXT_LENGTH: '8192',
      }),
    );
    expect(list).toMatchObject({ numParallel: 2, contextLength: 8192 });
  });

  it("defaults to the chart's parallel slots (4) and an f16 KV cache", () => {
    expect(ollamaMemorySettings(undefined)).toEqual({
      numParallel: 4,
      kvCacheType: 'f16',
      gpuOverheadBytes: 0,
    });
  });

  it('counts a quantized KV cache only with flash attention on', () => {
    expect(
      ollamaMemorySettings({ OLLAMA_KV_CACHE_TYPE: 'q8_0' }).kvCacheType,
    ).toBe('f16');
    expect(
      ollamaMemorySettings({
        OLLAMA_KV_CACHE_TYPE: 'q8_0',
        OLLAMA_FLASH_ATTENTION: 'true',
      }).kvCacheType,
    ).toBe('q8_0');
    expect(kvBytesPerElement('q4_0')).toBe(18 / 32);
  });

  it("follows Ollama's VRAM tiers for the default context", () => {
    expect(ollamaDefaultContextLength(16 * GiB)).toBe(4096);
    expect(ollamaDefaultContextLength(24 * GiB)).toBe(32768);
    expect(ollamaDefaultContextLength(48 * GiB)).toBe(262144);
  });
});

describe('estimateGpuMemory', () => {
  const llama8b = { ref: 'llama3.1:8b' };

  it('adds weights, the KV cache of every slot and the per-GPU overhead', () => {
    const e = estimateGpuMemory(
      [llama8b],
      ollamaMemorySettings({ OLLAMA_CONTEXT_LENGTH: 8192 }),
      1,
      L4,
    );
    // 2 × 32 layers × 8 KV heads × 128 × 2 bytes = 128 KiB a token; 8192 tokens × 4 slots
    expect(e.models[0]).toMatchObject({
      weightsBytes: 4920753328,
      kvBytesPerToken: 131072,
      contextLength: 8192,
      parallel: 4,
      kvCacheBytes: 4 * GiB,
      contextFrom: 'OLLAMA_CONTEXT_LENGTH',
    });
    const buffer = 4 * 512 * (4096 + 128256);
    expect(e.overheadBytes).toBe(GPU_RUNTIME_RESERVE_BYTES + buffer);
    expect(e.totalBytes).toBe(4920753328 + 4 * GiB + e.overheadBytes);
    expect(e.fits).toBe(true);
  });

  it('takes the default context from the VRAM the server sees, capped by the model', () => {
    const settings = ollamaMemorySettings(undefined);
    // one 24 GiB GPU: 32768 tokens; two: 262144 asked, 131072 (trained) allocated
    const one = estimateGpuMemory([llama8b], settings, 1, L4).models[0];
    expect(one).toMatchObject({
      contextLength: 32768,
      contextCapped: false,
      contextFrom: 'vram-default',
      kvCacheBytes: 16 * GiB,
    });
    const two = estimateGpuMemory([llama8b], settings, 2, L4);
    expect(two.models[0]).toMatchObject({
      contextLength: 131072,
      contextCapped: true,
      kvCacheBytes: 64 * GiB,
    });
    // so a second GPU makes it not fit: the server takes a larger default context
    expect(two.fits).toBe(false);
    const phi = estimateGpuMemory([{ ref: 'phi' }], settings, 1, L4).models[0];
    expect(phi.contextLength).toBe(2048);
  });

  it('gives an embedding model one slot', () => {
    const e = estimateGpuMemory(
      [{ ref: 'nomic-embed-text:v1.5' }],
      ollamaMemorySettings({ OLLAMA_NUM_PARALLEL: 8 }),
      1,
      L4,
    );
    expect(e.models[0].parallel).toBe(1);
  });

  it('loads every expert of a mixture of experts', () => {
    const e = estimateGpuMemory(
      [{ ref: 'mixtral:8x7b' }],
      ollamaMemorySettings(undefined),
      2,
      L4,
    );
    expect(e.models[0]).toMatchObject({
      experts: 8,
      weightsBytes: 26442481545,
    });
    expect(describeGpuMemory(e)[0]).toContain('all 8 experts loaded');
  });

  it('counts only the largest models when OLLAMA_MAX_LOADED_MODELS limits them', () => {
    const models = [{ ref: 'llama3.1:8b' }, { ref: 'phi:latest' }];
    const env = { OLLAMA_CONTEXT_LENGTH: 2048 };
    const both = estimateGpuMemory(models, ollamaMemorySettings(env), 1, L4);
    const one = estimateGpuMemory(
      models,
      ollamaMemorySettings({ ...env, OLLAMA_MAX_LOADED_MODELS: 1 }),
      1,
      L4,
    );
    expect(both.weightsBytes).toBe(4920753328 + 1602463378);
    expect(one.weightsBytes).toBe(4920753328);
    expect(one.models).toHaveLength(2);
  });

  it('uses parameters × bits per weight without a size, and assumes a KV cache without an architecture', () => {
    expect(
      weightsBytes({
        quantization: 'Q4_K_M',
        architecture: KNOWN_MODELS['llama3.1:70b'].architecture,
      }).bytes,
    ).toBe(Math.ceil((70553706496 * 4.85) / 8));
    const unknown = estimateGpuMemory(
      [{ ref: 'acme/private:1', facts: { sizeBytes: 4.9e9 } }],
      ollamaMemorySettings({ OLLAMA_CONTEXT_LENGTH: 4096 }),
      1,
      L4,
    ).models[0];
    expect(unknown.architectureKnown).toBe(false);
    // an 8B-sized model is assumed to have about 32 layers of 8 × 128 KV heads
    expect(unknown.kvBytesPerToken).toBeGreaterThanOrEqual(131072);
    expect(unknown.kvBytesPerToken).toBeLessThan(2 * 131072);
  });

  it('counts OLLAMA_GPU_OVERHEAD on every GPU and takes it from the VRAM', () => {
    const plain = estimateGpuMemory(
      [llama8b],
      ollamaMemorySettings(undefined),
      2,
      L4,
    );
    const reserved = estimateGpuMemory(
      [llama8b],
      ollamaMemorySettings({ OLLAMA_GPU_OVERHEAD: 2 * GiB }),
      2,
      L4,
    );
    expect(reserved.overheadBytes - plain.overheadBytes).toBe(4 * GiB);
    // 2 × (24 - 2) GiB = 44 GiB of VRAM: the 32768 default, not 262144
    expect(reserved.models[0].contextLength).toBe(32768);
  });
});

describe('smallestFit and the leaf', () => {
  it('finds the fewest GPUs, with the context that VRAM brings', () => {
    const qwen = smallestFit(
      [{ ref: 'qwen2.5:72b' }],
      ollamaMemorySettings(undefined),
      L4,
    );
    expect(qwen.gpuCount).toBe(4);
    expect(qwen.fits).toBe(true);
    expect(describeGpuFit(qwen)).toBe('fits on 4 GPUs of 24 GiB');
    const capped = smallestFit(
      [{ ref: 'qwen2.5:72b' }],
      ollamaMemorySettings(undefined),
      L4,
      2,
    );
    expect(capped).toMatchObject({ gpuCount: 2, fits: false });
    expect(describeGpuFit(capped)).toBe('does not fit on 2 GPUs of 24 GiB');
    expect(modelGpuMemory('phi', undefined, L4).gpuCount).toBe(1);
  });

  it('estimates every model the leaf declares; custom models share their base weights', () => {
    const inputs = leafModelInputs({
      model: 'llama3.1:8b',
      additionalModels: ['phi', 'nomic-embed-text:v1.5'],
      customModels: [
        {
          name: 'bot:latest',
          from: 'llama3.1:8b',
          parameters: { num_ctx: 16384 },
        },
        {
          name: 'small:latest',
          from: 'llama3.1:8b',
          parameters: { num_ctx: 2048 },
        },
        { name: 'other:latest', from: 'mistral:7b' },
      ],
    });
    expect(inputs.map(i => [i.ref, i.numCtx])).toEqual([
      ['llama3.1:8b', 16384],
      ['phi:latest', undefined],
      ['nomic-embed-text:v1.5', undefined],
      ['mistral:7b', undefined],
    ]);
    const leaf = leafGpuMemory(
      {
        model: 'llama3.1:8b',
        customModels: [
          {
            name: 'bot:latest',
            from: 'llama3.1:8b',
            parameters: { num_ctx: 16384 },
          },
        ],
        gpu: { count: 1 },
        container: {
          environment: [{ name: 'OLLAMA_NUM_PARALLEL', value: '1' }],
        },
      },
      { gpuMemoryBytes: L4 },
    )!;
    expect(leaf.atLeafCount.models[0]).toMatchObject({
      contextLength: 16384,
      contextFrom: 'modelfile',
      parallel: 1,
      kvCacheBytes: 2 * GiB,
    });
    expect(leaf.smallest.gpuCount).toBe(1);
    expect(leafGpuMemory({}, { gpuMemoryBytes: L4 })).toBeUndefined();
  });

  it('describes the breakdown line by line', () => {
    const e = estimateGpuMemory(
      [{ ref: 'llama3.1:8b' }],
      ollamaMemorySettings({ OLLAMA_CONTEXT_LENGTH: 8192 }),
      1,
      L4,
    );
    expect(describeGpuMemory(e)).toEqual([
      'llama3.1:8b: weights 4.6 GiB + KV cache 4.0 GiB (8192 tokens × 4 slots)',
      'runtime overhead 0.7 GiB (1 GPU)',
      'total ~9.3 GiB: fits on 1 GPU of 24 GiB',
    ]);
    expect(e.overheadBytes).toBeGreaterThan(700 * MiB);
  });
});
