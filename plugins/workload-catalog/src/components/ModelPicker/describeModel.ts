import {
  formatBytes,
  formatOllamaRef,
  parseOllamaRef,
  type ModelFacts,
  type ModelSuggestion,
} from '@workload-catalog/plugin-workload-catalog-common';

/** "1.5 GB" style sizes, as Ollama and model hubs print them. */
export function formatSize(bytes: number): string {
  return `${formatBytes(bytes).replace(/^([0-9.]+)([KMGT])i$/, '$1 $2iB')}`;
}

/** "needs ~21.3 GiB of GPU memory: fits on 1 GPU of 24 GiB · preset medium: 8Gi–16Gi RAM". */
export function describeNeeds(s: ModelSuggestion): string | undefined {
  const n = s.needs;
  if (!n) return undefined;
  const gpu = `needs ~${formatSize(n.gpuMemoryBytes)} of GPU memory: ${n.fit}`;
  const preset = n.preset
    ? `preset ${n.preset}: ${n.memoryRequest}–${n.memoryLimit} RAM`
    : 'larger than every preset: set container resources';
  return `${gpu} · ${preset}`;
}

/** What the suggestions know of a model, for the GPU-memory estimate. */
export function suggestionFacts(
  suggestions: readonly ModelSuggestion[],
  ref: string,
): ModelFacts | undefined {
  const s = findSuggestion(suggestions, ref);
  if (!s || (s.sizeBytes === undefined && !s.architecture)) return undefined;
  return {
    ...(s.sizeBytes !== undefined ? { sizeBytes: s.sizeBytes } : {}),
    ...(s.quantization ? { quantization: s.quantization } : {}),
    ...(s.architecture ? { architecture: s.architecture } : {}),
  };
}

/** The canonical reference (digest kept), or undefined when the text is not a reference. */
export function canonicalRef(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const r = parseOllamaRef(text);
  return r.ok ? formatOllamaRef(r.ref) : undefined;
}

/** The suggestion a typed or picked reference stands for ("phi" finds "phi:latest"). */
export function findSuggestion(
  suggestions: readonly ModelSuggestion[],
  text: string | undefined,
): ModelSuggestion | undefined {
  const r = text ? parseOllamaRef(text) : undefined;
  if (!r?.ok) return undefined;
  const ref = formatOllamaRef(r.ref, { digest: false });
  return suggestions.find(s => s.ref === ref);
}
