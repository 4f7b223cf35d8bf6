export { OllamaModelPickerField } from './Component';
export { ollamaModelPickerValidation } from './validation';
export {
  OllamaModelPickerFieldSchema,
  OllamaModelPickerSchema,
  ollamaModelPickerUiOptions,
  type OllamaModelPickerUiOptions,
} from './schema';
