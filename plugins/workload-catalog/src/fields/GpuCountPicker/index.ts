export { GpuCountPickerField } from './Component';
export { gpuCountPickerValidation, effectiveMax } from './validation';
export {
  GpuCountPickerFieldSchema,
  GpuCountPickerSchema,
  gpuCountPickerUiOptions,
  type GpuCountPickerUiOptions,
} from './schema';
