/**
 * Resource presets: the CPU and memory a model of a given size needs when it runs on a GPU
 * node (weights in GPU memory, the runtime plus KV cache and request buffers in RAM). One
 * table, read by the schema (the preset names), the form (which preset a model proposes) and
 * the charts (generated into the library chart's _presets.tpl).
 */
import { formatBytes } from '../schema/quantity';

export const RESOURCE_PRESET_NAMES = ['small', 'medium', 'large'] as const;
export type ResourcePresetName = (typeof RESOURCE_PRESET_NAMES)[number];

export interface ResourcePreset {
  description: string;
  /** Largest model (bytes on disk) the preset is sized for. */
  maxModelBytes: number;
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

const GiB = 2 ** 30;

export const RESOURCE_PRESETS: Record<ResourcePresetName, ResourcePreset> = {
  small: {
    description:
      'models up to 4 GiB on disk (e.g. phi, llama3.2:3b, gemma2:2b)',
    maxModelBytes: 4 * GiB,
    requests: { cpu: '500m', memory: '2Gi' },
    limits: { cpu: '2', memory: '6Gi' },
  },
  medium: {
    description:
      'models up to 10 GiB on disk (e.g. llama3.1:8b, mistral:7b, qwen2.5:14b)',
    maxModelBytes: 10 * GiB,
    requests: { cpu: '1', memory: '8Gi' },
    limits: { cpu: '4', memory: '16Gi' },
  },
  large: {
    description:
      'models up to 24 GiB on disk (e.g. qwen2.5:32b, gemma2:27b, mixtral:8x7b)',
    maxModelBytes: 24 * GiB,
    requests: { cpu: '2', memory: '24Gi' },
    limits: { cpu: '8', memory: '48Gi' },
  },
};

/**
 * The smallest preset that fits a model of the given size, or undefined when even "large"
 * is too small (the user then sets container.resources explicitly).
 */
export function presetForModelSize(
  bytes: number,
): ResourcePresetName | undefined {
  return RESOURCE_PRESET_NAMES.find(
    name => bytes <= RESOURCE_PRESETS[name].maxModelBytes,
  );
}

/** A one-line summary for pickers: "medium: 1 CPU / 8Gi requested, up to 4 CPU / 16Gi". */
export function describePreset(name: ResourcePresetName): string {
  const p = RESOURCE_PRESETS[name];
  return `${name}: ${p.requests.cpu} CPU / ${p.requests.memory} requested, up to ${p.limits.cpu} CPU / ${p.limits.memory} (${p.description}; models up to ${formatBytes(p.maxModelBytes)})`;
}
