export { WorkloadConfigField } from './Component';
export { workloadConfigValidation } from './validation';
export {
  WorkloadConfigFieldSchema,
  WorkloadConfigSchema,
  workloadConfigUiOptions,
  type WorkloadConfigUiOptions,
} from './schema';
