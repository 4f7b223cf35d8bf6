/**
 * Workload Catalog's isomorphic core: the catalog leaf schemas and everything derived from them.
 *
 * @packageDocumentation
 */
export * from './schema/base';
export * from './schema/inference';
export * from './schema/leaf';
export * from './schema/quantity';
export { basicContainerLoadSchema } from './schema/basicContainerLoad';
export { statefulContainerLoadSchema } from './schema/statefulContainerLoad';
export {
  basicContainerRolloutSchema,
  DEFAULT_CANARY_STEPS,
  ROLLOUT_DURATION_PATTERN,
} from './schema/basicContainerRollout';
export {
  mlInferenceLoadSchema,
  TGI_MANAGED_ENVIRONMENT,
  TGI_QUANTIZE_METHODS,
} from './schema/mlInferenceLoad';
export {
  ollamaInferenceLoadSchema,
  modelParametersSchema,
} from './schema/ollamaInferenceLoad';
export { uiHints, type UiHints } from './schema/uiHints';
export * from './models/ollamaRef';
export * from './models/huggingFace';
export * from './models/presets';
export * from './models/ollamaEnvironment';
export * from './validation/validate';
export { describeValue, closest } from './validation/describe';
export * from './leaf/leafFile';
export * from './leaf/printLeaf';
export * from './leaf/leafPath';
export * from './generate/artifacts';
export * from './leaf/pullRequestText';
export * from './api/formApi';
export * from './entity/workloadEntity';
export * from './status/workloadStatus';
export { buildWorkloadStatus } from './status/timeline';
