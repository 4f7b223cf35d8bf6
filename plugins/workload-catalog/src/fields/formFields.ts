/*
 * The three fields for the new frontend system (FormFieldBlueprint loads this module lazily).
 */
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  GpuCountPickerField,
  GpuCountPickerFieldSchema,
  gpuCountPickerValidation,
} from './GpuCountPicker';
import {
  OllamaModelPickerField,
  OllamaModelPickerFieldSchema,
  ollamaModelPickerValidation,
} from './OllamaModelPicker';
import {
  WorkloadConfigField,
  WorkloadConfigFieldSchema,
  workloadConfigValidation,
} from './WorkloadConfig';

export const workloadConfigFormField = createFormField({
  name: 'WorkloadConfig',
  component: WorkloadConfigField as unknown as (
    props: typeof WorkloadConfigFieldSchema.TProps,
  ) => JSX.Element,
  validation: workloadConfigValidation,
  schema: WorkloadConfigFieldSchema,
});

export const ollamaModelPickerFormField = createFormField({
  name: 'OllamaModelPicker',
  component: OllamaModelPickerField as unknown as (
    props: typeof OllamaModelPickerFieldSchema.TProps,
  ) => JSX.Element,
  validation: ollamaModelPickerValidation,
  schema: OllamaModelPickerFieldSchema,
});

export const gpuCountPickerFormField = createFormField({
  name: 'GpuCountPicker',
  component: GpuCountPickerField as unknown as (
    props: typeof GpuCountPickerFieldSchema.TProps,
  ) => JSX.Element,
  validation: gpuCountPickerValidation,
  schema: GpuCountPickerFieldSchema,
});
