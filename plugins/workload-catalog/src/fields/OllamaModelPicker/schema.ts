import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import type { z as zv3 } from 'zod/v3';

/** `ui:options` of OllamaModelPicker (the zod schema documents them in the template editor). */
export const ollamaModelPickerUiOptions = (z: typeof zv3) =>
  z.object({
    allowArbitraryValues: z
      .boolean()
      .optional()
      .describe(
        'Allow any Ollama reference besides the suggestions (default true)',
      ),
    models: z
      .array(z.string())
      .optional()
      .describe(
        "Models this template suggests first, e.g. ['llama3.2:3b'], before the platform's list",
      ),
  });

export const OllamaModelPickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: ollamaModelPickerUiOptions,
});

export type OllamaModelPickerUiOptions =
  typeof OllamaModelPickerFieldSchema.uiOptionsType;
export type OllamaModelPickerProps = typeof OllamaModelPickerFieldSchema.TProps;
export const OllamaModelPickerSchema = OllamaModelPickerFieldSchema.schema;
