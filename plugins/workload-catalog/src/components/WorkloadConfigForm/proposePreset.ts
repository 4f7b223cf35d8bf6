import type { ModelSuggestion } from '@workload-catalog/plugin-workload-catalog-common';
import { findSuggestion } from '../ModelPicker/describeModel';

type Json = Record<string, any>;

export interface PresetProposal {
  model: string;
  preset: string;
  /** True when the preset was written into the form; false when resources were already chosen. */
  applied: boolean;
}

/**
 * When the model changes to one whose size is known, proposes its resource preset: written into
 * `container.resourcePreset` unless the user chose resources or a preset themselves
 * (`autoPreset` says the current preset came from an earlier proposal).
 */
export function proposePreset(
  prev: Json,
  next: Json,
  suggestions: readonly ModelSuggestion[],
  autoPreset: boolean,
): { value: Json; proposal?: PresetProposal; autoPreset: boolean } {
  if (
    next.workloadType !== 'OLLAMA_INFERENCE_LOAD' ||
    prev.model === next.model ||
    typeof next.model !== 'string'
  ) {
    return { value: next, autoPreset };
  }
  const s = findSuggestion(suggestions, next.model);
  const preset = s?.needs?.preset;
  if (!s || !preset) return { value: next, autoPreset };
  const container: Json = next.container ?? {};
  const userChose =
    container.resources !== undefined ||
    (container.resourcePreset !== undefined && !autoPreset);
  if (userChose) {
    return {
      value: next,
      autoPreset,
      proposal:
        container.resourcePreset === preset
          ? undefined
          : { model: s.ref, preset, applied: false },
    };
  }
  return {
    value: { ...next, container: { ...container, resourcePreset: preset } },
    autoPreset: true,
    proposal: { model: s.ref, preset, applied: true },
  };
}
