import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import type { z as zv3 } from 'zod/v3';

/** `ui:options` of GpuCountPicker (the zod schema documents them in the template editor). */
export const gpuCountPickerUiOptions = (z: typeof zv3) =>
  z.object({
    max: z
      .number()
      .int()
      .min(0)
      .max(16)
      .optional()
      .describe(
        "The slider's maximum; default and upper bound: the platform's GPU maximum",
      ),
  });

export const GpuCountPickerFieldSchema = makeFieldSchema({
  output: z => z.number().int(),
  uiOptions: gpuCountPickerUiOptions,
});

export type GpuCountPickerUiOptions =
  typeof GpuCountPickerFieldSchema.uiOptionsType;
export const GpuCountPickerSchema = GpuCountPickerFieldSchema.schema;
