/**
 * Workload Catalog frontend: the workload form keyed on workloadType, the Ollama model picker,
 * the GPU count slider, and the scaffolder field extensions. The new frontend system's plugin
 * is the `/alpha` export.
 *
 * @packageDocumentation
 */
export {
  workloadCatalogPlugin,
  WorkloadConfigFieldExtension,
  OllamaModelPickerFieldExtension,
  GpuCountPickerFieldExtension,
  EntityWorkloadStatusCard,
  EntityWorkloadConfigureContent,
} from './plugin';
export { isWorkloadEntity } from './components/EntityWorkload/isWorkloadEntity';
export type { EntityWorkloadStatusCardProps } from './components/EntityWorkload';
export {
  WorkloadStatusCard,
  WorkloadStatusTimeline,
  type WorkloadStatusCardProps,
  type WorkloadStatusTimelineProps,
} from './components/WorkloadStatusCard';
export {
  WorkloadConfigureContent,
  type WorkloadConfigureContentProps,
} from './components/WorkloadConfigureContent';
export {
  workloadCatalogApiRef,
  WorkloadCatalogClient,
  type WorkloadCatalogApi,
  type WorkloadEntityRef,
} from './api';
export {
  WorkloadConfigForm,
  type WorkloadConfigFormProps,
} from './components/WorkloadConfigForm';
export { ModelPicker, type ModelPickerProps } from './components/ModelPicker';
export {
  GpuCountSlider,
  type GpuCountSliderProps,
} from './components/GpuCountSlider';
export { YamlPreview, type YamlPreviewProps } from './components/YamlPreview';
export {
  WorkloadConfigField,
  WorkloadConfigFieldSchema,
  workloadConfigValidation,
  type WorkloadConfigUiOptions,
} from './fields/WorkloadConfig';
export {
  OllamaModelPickerField,
  OllamaModelPickerFieldSchema,
  ollamaModelPickerValidation,
  type OllamaModelPickerUiOptions,
} from './fields/OllamaModelPicker';
export {
  GpuCountPickerField,
  GpuCountPickerFieldSchema,
  gpuCountPickerValidation,
  type GpuCountPickerUiOptions,
} from './fields/GpuCountPicker';
