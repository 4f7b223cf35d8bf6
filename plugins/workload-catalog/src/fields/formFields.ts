/*
 * The three fields for the new frontend system (FormFieldBlueprint loads this module lazily,
 * and the scaffolder loads every field before it shows any template). Only names, ui:options
 * schemas and thin wrappers: the implementations load when a field is used (./lazyFields).
 */
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { GpuCountPickerFieldSchema } from './GpuCountPicker/schema';
import { OllamaModelPickerFieldSchema } from './OllamaModelPicker/schema';
import { WorkloadConfigFieldSchema } from './WorkloadConfig/schema';
import {
  LazyGpuCountPickerField,
  LazyOllamaModelPickerField,
  LazyWorkloadConfigField,
  lazyGpuCountPickerValidation,
  lazyOllamaModelPickerValidation,
  lazyWorkloadConfigValidation,
} from './lazyFields';

export { preloadWhenIdle } from './lazyFields';

export const workloadConfigFormField = createFormField({
  name: 'WorkloadConfig',
  component: LazyWorkloadConfigField as unknown as (
    props: typeof WorkloadConfigFieldSchema.TProps,
  ) => JSX.Element,
  validation: lazyWorkloadConfigValidation,
  schema: WorkloadConfigFieldSchema,
});

export const ollamaModelPickerFormField = createFormField({
  name: 'OllamaModelPicker',
  component: LazyOllamaModelPickerField as unknown as (
    props: typeof OllamaModelPickerFieldSchema.TProps,
  ) => JSX.Element,
  validation: lazyOllamaModelPickerValidation,
  schema: OllamaModelPickerFieldSchema,
});

export const gpuCountPickerFormField = createFormField({
  name: 'GpuCountPicker',
  component: LazyGpuCountPickerField as unknown as (
    props: typeof GpuCountPickerFieldSchema.TProps,
  ) => JSX.Element,
  validation: lazyGpuCountPickerValidation,
  schema: GpuCountPickerFieldSchema,
});
