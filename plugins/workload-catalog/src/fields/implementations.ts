/*
 * The field components and their validations: RJSF, MUI v5, the leaf schemas and the YAML
 * printer. One chunk, loaded through `lazyFields` only when a template uses one of the fields.
 */
export { WorkloadConfigField } from './WorkloadConfig/Component';
export { workloadConfigValidation } from './WorkloadConfig/validation';
export { OllamaModelPickerField } from './OllamaModelPicker/Component';
export { ollamaModelPickerValidation } from './OllamaModelPicker/validation';
export { GpuCountPickerField } from './GpuCountPicker/Component';
export { gpuCountPickerValidation } from './GpuCountPicker/validation';
