import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { WORKLOAD_TYPES } from '@workload-catalog/plugin-workload-catalog-common';
import type { z as zv3 } from 'zod/v3';

/** `ui:options` of WorkloadConfig (the zod schema documents them in the template editor). */
export const workloadConfigUiOptions = (z: typeof zv3) =>
  z.object({
    workloadTypes: z
      .array(z.enum(WORKLOAD_TYPES))
      .optional()
      .describe(
        'The workload types offered (default: all); with one, the form is for that type only',
      ),
    defaultWorkloadType: z
      .enum(WORKLOAD_TYPES)
      .optional()
      .describe('The type chosen when the form opens'),
    showPreview: z
      .boolean()
      .optional()
      .describe('Show the YAML preview beside the form (default true)'),
    ownerParameter: z
      .string()
      .optional()
      .describe(
        "Name of the template parameter (an OwnerPicker) whose entity ref becomes the leaf's owner; the form's own Owner field is then read-only",
      ),
    catalogParameter: z
      .string()
      .optional()
      .describe(
        "Name of the template parameter (an EntityPicker of kind System) whose System name becomes the leaf's serviceCatalog; the form's own Catalog field is then read-only",
      ),
  });

export const WorkloadConfigFieldSchema = makeFieldSchema({
  output: z => z.record(z.unknown()),
  uiOptions: workloadConfigUiOptions,
});

export type WorkloadConfigUiOptions =
  typeof WorkloadConfigFieldSchema.uiOptionsType;
export const WorkloadConfigSchema = WorkloadConfigFieldSchema.schema;
