/*
 * GPU-memory estimate vs the exact formula, for the models of issue 13 at 2k, 8k and 32k
 * context (one parallel slot; the chart's default of 4 multiplies the KV cache by 4).
 *
 *   exact      the anchor, from this file's own reference numbers (each model's config.json:
 *              parameters, layers, KV heads, head dimension; bits per weight of the Ollama
 *              default tag's quantization, Q4_K_M ≈ 4.85, Q4_0 = 4.5):
 *              parameters × bits / 8  +  2 × layers × KV heads × head dim × 2 bytes × context
 *              +  per GPU (457 MiB + 4 × 512 × (hidden + vocabulary))
 *   ours       the common package's estimateGpuMemory with what the product sees: the size
 *              on disk (/api/tags) and the architecture (/api/show's model_info, or the
 *              shipped table)
 *   size only  ours when only the size is known (a model neither in the table nor shown)
 *   old        the formula before: size × 1.2 + 0.5 GiB
 *
 * Both sides use the same GPU count: the fewest 80 GiB GPUs that hold the exact figure.
 *   node bench/gpu-memory.cjs            (npm run bench -- gpu-memory)
 */
import {
  estimateGpuMemory,
  ollamaMemorySettings,
} from '@workload-catalog/plugin-workload-catalog-common';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const GPU = 80 * GiB;

/** The anchor's reference numbers (sources: bench/README.md), kept apart from the product's table. */
const REFERENCE: {
  ref: string;
  params: number;
  bits: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  hidden: number;
  vocab: number;
  /** Bytes of the GGUF layer of the Ollama default tag, as /api/tags reports it. */
  size: number;
}[] = [
  {
    ref: 'phi3:latest',
    params: 3821079552,
    bits: 4.5,
    layers: 32,
    kvHeads: 32,
    headDim: 96,
    hidden: 3072,
    vocab: 32064,
    size: 2176178913,
  },
  {
    ref: 'llama3.1:8b',
    params: 8030261248,
    bits: 4.85,
    layers: 32,
    kvHeads: 8,
    headDim: 128,
    hidden: 4096,
    vocab: 128256,
    size: 4920753328,
  },
  {
    ref: 'mistral:7b',
    params: 7248023552,
    bits: 4.5,
    layers: 32,
    kvHeads: 8,
    headDim: 128,
    hidden: 4096,
    vocab: 32768,
    size: 4113301824,
  },
  {
    ref: 'mixtral:8x7b',
    params: 46702792704,
    bits: 4.5,
    layers: 32,
    kvHeads: 8,
    headDim: 128,
    hidden: 4096,
    vocab: 32000,
    size: 26442481545,
  },
  {
    ref: 'llama3.1:70b',
    params: 70553706496,
    bits: 4.85,
    layers: 80,
    kvHeads: 8,
    headDim: 128,
    hidden: 8192,
    vocab: 128256,
    size: 42520413916,
  },
  {
    ref: 'qwen2.5:72b',
    params: 72706203648,
    bits: 4.85,
    layers: 80,
    kvHeads: 8,
    headDim: 128,
    hidden: 8192,
    vocab: 152064,
    size: 47415724835,
  },
];

const CONTEXTS = [2048, 8192, 32768];

function exact(m: (typeof REFERENCE)[number], context: number) {
  const weights = (m.params * m.bits) / 8;
  const kv = 2 * m.layers * m.kvHeads * m.headDim * 2 * context;
  const perGpu = 457 * MiB + 4 * 512 * (m.hidden + m.vocab);
  let gpus = 1;
  while (weights + kv + gpus * perGpu > gpus * GPU) gpus++;
  return { total: weights + kv + gpus * perGpu, gpus };
}

const gib = (b: number) => (b / GiB).toFixed(2).padStart(7);
const pct = (ours: number, anchor: number) => {
  const d = ((ours - anchor) / anchor) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`.padStart(8);
};

const rows: string[] = [];
let worst = 0;
rows.push(
  `${'model'.padEnd(14)}${'context'.padStart(8)}${'GPUs'.padStart(5)}${'exact'.padStart(9)}${'ours'.padStart(9)}${'Δ'.padStart(8)}${'size only'.padStart(10)}${'Δ'.padStart(8)}${'old'.padStart(8)}${'Δ'.padStart(8)}   (GiB)`,
);
for (const m of REFERENCE) {
  for (const context of CONTEXTS) {
    const anchor = exact(m, context);
    const settings = ollamaMemorySettings({
      OLLAMA_CONTEXT_LENGTH: context,
      OLLAMA_NUM_PARALLEL: 1,
    });
    const ours = estimateGpuMemory(
      [{ ref: m.ref, facts: { sizeBytes: m.size } }],
      settings,
      anchor.gpus,
      GPU,
    );
    // a model the product knows nothing about but its size (a private name, no /api/show)
    const sizeOnly = estimateGpuMemory(
      [
        {
          ref: `private/${m.ref.replace(':', '-')}:1`,
          facts: { sizeBytes: m.size },
        },
      ],
      settings,
      anchor.gpus,
      GPU,
    );
    const old = m.size * 1.2 + GiB / 2;
    worst = Math.max(
      worst,
      Math.abs(ours.totalBytes - anchor.total) / anchor.total,
    );
    rows.push(
      `${m.ref.padEnd(14)}${String(context).padStart(8)}${String(anchor.gpus).padStart(5)}  ${gib(anchor.total)}  ${gib(ours.totalBytes)}${pct(ours.totalBytes, anchor.total)}   ${gib(sizeOnly.totalBytes)}${pct(sizeOnly.totalBytes, anchor.total)} ${gib(old)}${pct(old, anchor.total)}`,
    );
  }
}
console.log(rows.join('\n'));
console.log(
  `\nlargest deviation of ours from the exact formula: ${(worst * 100).toFixed(1)}% (goal: within 10%)`,
);
if (worst > 0.1) process.exitCode = 1;
