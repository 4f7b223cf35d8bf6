/**
 * Workload Catalog's isomorphic core: the catalog leaf schemas and everything derived from them.
 *
 * Only what the other packages of the suite use is exported (the frontend, the backends, the
 * CLI, and the charts' tests); the rest stays internal. Tests in this package import modules by
 * relative path.
 *
 * @packageDocumentation
 */

// The leaf: workload types, the union's TypeScript type, validation and platform policy
export { WORKLOAD_TYPES, type WorkloadType } from './schema/workloadTypes';
export {
  CHART_ENVIRONMENT,
  isWorkloadType,
  workloadTypeSlug,
  leafSchema,
  type WorkloadLeaf,
  type WorkloadLeafInput,
} from './schema/leaf';
export {
  GPU_DEVICE_ENVIRONMENT,
  RESERVED_ENVIRONMENT_PREFIX,
  SERVICE_NAME_LIMITS,
  type ManagedEnvironment,
  type ServiceNameLimit,
} from './schema/base';
export { GPU_COUNT_LIMIT } from './schema/inference';
export { DEFAULT_CANARY_STEPS } from './schema/basicContainerRollout';
export { formatBytes, parseQuantity } from './schema/quantity';
export {
  validateLeaf,
  type LeafIssue,
  type LeafValidationResult,
} from './validation/validate';
// The platform policy: the catalog repo's .workload-catalog/policy.yaml, narrowed by config
export {
  POLICY_FILE_PATH,
  SYSTEM_NAMESPACES,
  gpuLimits,
  isSystemNamespace,
  narrowPolicy,
  parsePolicyFile,
  policyFileSchema,
  type LeafPolicy,
  type PolicyFile,
  type PolicyFileResult,
} from './policy/platformPolicy';
export { formatPath, type FieldPath } from './validation/path';

// Leaf files: YAML with positions, the normal form printed, where a leaf lives, pull requests
export {
  DEFAULT_MAX_LEAF_BYTES,
  parseLeafFile,
  type LeafFileResult,
  type ParseLeafOptions,
  type PositionedIssue,
} from './leaf/leafFile';
export { printLeaf } from './leaf/printLeaf';
export {
  DEFAULT_LEAF_PATH_PATTERN,
  LEAF_PATH_FIELDS,
  checkLeafPathPattern,
  leafPath,
  leafPathGlob,
} from './leaf/leafPath';
export {
  CatalogRules,
  catalogIssues,
  compareCatalogPaths,
  leafPathGlobMatcher,
  type CatalogIssue,
  type CatalogLeafEntry,
  type CatalogRule,
  type CatalogRuleLeaf,
} from './leaf/catalogRules';
export {
  leafBranchName,
  leafChanges,
  pullRequestBody,
  pullRequestTitle,
  type PullRequestBodyOptions,
} from './leaf/pullRequestText';

// Models and presets
export {
  formatOllamaRef,
  ollamaPullName,
  parseOllamaRef,
  type OllamaRef,
  type OllamaRefResult,
} from './models/ollamaRef';
export {
  OLLAMA_ENVIRONMENT,
  type OllamaEnvKind,
  type OllamaEnvSetting,
} from './models/ollamaEnvironment';
export {
  RESOURCE_PRESETS,
  RESOURCE_PRESET_NAMES,
  describePreset,
  presetForWeights,
  presetsSummary,
  type ResourcePreset,
  type ResourcePresetName,
} from './models/presets';
// The GPU-memory estimate: weights + KV cache + overhead, for every model of a leaf
export {
  describeGpuFit,
  describeGpuMemory,
  environmentValue,
  estimateGpuMemory,
  knownModelFacts,
  leafGpuMemory,
  ollamaMemorySettings,
  type GpuMemoryEstimate,
  type LeafGpuMemory,
  type ModelMemoryEstimate,
  type ModelMemoryInput,
  type OllamaLeafLike,
  type OllamaMemorySettings,
} from './models/gpuMemory';
export {
  KNOWN_MODELS,
  architectureFromModelInfo,
  type KnownModel,
  type ModelArchitecture,
  type ModelFacts,
} from './models/modelArchitectures';

// The form: JSON Schema and uiSchema generated from the zod schemas, the backend's form API
export {
  leafJsonSchema,
  leafUiSchema,
  unionJsonSchema,
  workloadTypeInfo,
  type JsonSchema,
  type UiSchema,
} from './generate/artifacts';
export {
  DEFAULT_GPU_MEMORY_BYTES,
  modelNeeds,
  type FormOptionsResponse,
  type GpuMemoryBreakdown,
  type ModelNeeds,
  type ModelSuggestion,
  type ModelSuggestionsResponse,
  type SuggestionSourceStatus,
} from './api/formApi';

// Catalog entities of workloads and their deployment status
export {
  ARGOCD_ANNOTATIONS,
  GITHUB_PROJECT_SLUG_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  WORKLOAD_ANNOTATIONS,
  WORKLOAD_LABELS,
  argocdAppSelector,
  declaredModels,
  formatModelDigests,
  pinnedModelDigests,
  readWorkloadEntity,
  workloadEntityName,
  type LeafIdentity,
  type WorkloadEntityInfo,
} from './entity/workloadEntity';
export type {
  ArgoCdInfo,
  ArgoHealthStatus,
  ArgoResourceRef,
  ArgoSyncStatus,
  ModelStatus,
  PullRequestInfo,
  PullRequestReview,
  ReplicaStatus,
  SourceState,
  SourceStatus,
  TimelineStep,
  TimelineStepId,
  TimelineStepState,
  WorkloadConfigurationCurrent,
  WorkloadConfigurationResponse,
  WorkloadPhase,
  WorkloadStatusFacts,
  WorkloadStatusResponse,
} from './status/workloadStatus';
export { buildWorkloadStatus } from './status/timeline';
