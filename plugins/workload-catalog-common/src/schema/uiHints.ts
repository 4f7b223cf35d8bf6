import { z } from 'zod';

/**
 * Rendering hints for the form, attached to schema nodes. The uiSchema generator turns them
 * into RJSF `ui:*` keys; the JSON Schemas never see them.
 */
export interface UiHints {
  /** Custom RJSF field (a scaffolder field extension name), e.g. "OllamaModelPicker". */
  field?: string;
  /** RJSF widget, e.g. "textarea", "checkbox". */
  widget?: string;
  placeholder?: string;
  /** Extra `ui:options` passed to the field. */
  options?: Record<string, unknown>;
  /** Shown under the field in addition to the description. */
  help?: string;
}

export const uiHints = z.registry<UiHints>();
