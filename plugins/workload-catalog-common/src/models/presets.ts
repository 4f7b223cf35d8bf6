/**
 * Resource presets: the CPU and memory a model of a given size needs when it runs on a GPU
 * node (weights in GPU memory, the runtime plus KV cache and request buffers in RAM). One
 * table, read by the schema (the preset names), the form (which preset a model proposes) and
 * the charts (generated into the library chart's _presets.tpl).
 */
import { formatBytes, parseQuantity } from '../schema/quantity';
import { KNOWN_MODELS } from './modelArchitectures';

export const RESOURCE_PRESET_NAMES = ['small', 'medium', 'large'] as const;
export type ResourcePresetName = (typeof RESOURCE_PRESET_NAMES)[number];

export interface ResourcePreset {
  /** Generated from the numbers below and the shipped model table (see presetDescription). */
  description: string;
  /**
   * Largest weights (bytes, every model of the leaf together, as the GPU-memory estimate
   * counts them) the preset is sized for: its memory limit holds them plus 20% and the
   * runtime's HOST_RUNTIME_BYTES, so loading (Ollama reads the weights through host
   * memory) or a partial CPU offload does not run out of memory.
   */
  maxModelBytes: number;
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

const GiB = 2 ** 30;

/** Host memory of the Ollama server itself (runner, token embeddings kept on the host). */
export const HOST_RUNTIME_BYTES = GiB;

const SIZES: Record<
  ResourcePresetName,
  Pick<ResourcePreset, 'requests' | 'limits'>
> = {
  small: {
    requests: { cpu: '500m', memory: '2Gi' },
    limits: { cpu: '2', memory: '6Gi' },
  },
  medium: {
    requests: { cpu: '1', memory: '8Gi' },
    limits: { cpu: '4', memory: '16Gi' },
  },
  large: {
    requests: { cpu: '2', memory: '24Gi' },
    limits: { cpu: '8', memory: '48Gi' },
  },
};

const maxWeights = (limit: string) =>
  Math.floor(((parseQuantity(limit) ?? 0) - HOST_RUNTIME_BYTES) / 1.2);

/** The smallest preset whose memory holds weights of `bytes`, or undefined beyond "large". */
export function presetForWeights(
  bytes: number,
): ResourcePresetName | undefined {
  return RESOURCE_PRESET_NAMES.find(
    name => bytes <= maxWeights(SIZES[name].limits.memory),
  );
}

/** The shipped table's models that land in a preset (by their weights). */
export function presetExamples(name: ResourcePresetName): string[] {
  return Object.entries(KNOWN_MODELS)
    .filter(([, m]) => presetForWeights(m.sizeBytes) === name)
    .map(([ref]) => ref);
}

/** "models with weights up to 4.2Gi in all (e.g. phi:latest, mistral:7b)": from the numbers. */
export function presetDescription(name: ResourcePresetName): string {
  const examples = presetExamples(name);
  return `models with weights up to ${formatBytes(maxWeights(SIZES[name].limits.memory))} in all${examples.length ? ` (e.g. ${examples.join(', ')})` : ''}`;
}

export const RESOURCE_PRESETS: Record<ResourcePresetName, ResourcePreset> =
  Object.fromEntries(
    RESOURCE_PRESET_NAMES.map(name => [
      name,
      {
        ...SIZES[name],
        maxModelBytes: maxWeights(SIZES[name].limits.memory),
        description: presetDescription(name),
      },
    ]),
  ) as Record<ResourcePresetName, ResourcePreset>;

/**
 * The smallest preset that fits a model of the given size, or undefined when even "large"
 * is too small (the user then sets container.resources explicitly).
 */
export function presetForModelSize(
  bytes: number,
): ResourcePresetName | undefined {
  return presetForWeights(bytes);
}

/** The presets in one sentence, for a field's help text: generated from the same numbers. */
export function presetsSummary(): string {
  return `A named size instead of explicit resources: ${RESOURCE_PRESET_NAMES.map(n => `${n} (${presetDescription(n)})`).join(', ')}`;
}

/** A one-line summary for pickers: "medium: 1 CPU / 8Gi requested, up to 4 CPU / 16Gi". */
export function describePreset(name: ResourcePresetName): string {
  const p = RESOURCE_PRESETS[name];
  return `${name}: ${p.requests.cpu} CPU / ${p.requests.memory} requested, up to ${p.limits.cpu} CPU / ${p.limits.memory} (${p.description})`;
}
