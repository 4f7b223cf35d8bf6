/**
 * Workload Catalog backend plugin: what the form needs from the platform (model suggestions,
 * policy), and each workload's deployment status and configuration changes (entity card and
 * Configure tab). Mounted at /api/workload-catalog.
 *
 * @packageDocumentation
 */
export { workloadCatalogPlugin as default } from './plugin';
export { createRouter, type RouterOptions } from './service/router';
export {
  ModelSuggestionService,
  readSuggestionConfig,
  type SuggestionConfig,
} from './service/modelSuggestions';
export { formOptionsOf, readGpuMemoryPerGpu } from './service/formOptions';
export {
  workloadStatusReadPermission,
  workloadConfigurationUpdatePermission,
  workloadCatalogBackendPermissions,
} from './permissions/permissions';
export {
  WorkloadStatusService,
  type WorkloadStatusServiceOptions,
  type CatalogRepoSettings,
} from './status/WorkloadStatusService';
export { readStatusConfig, type StatusConfig } from './status/config';
export {
  WorkloadConfigurationService,
  type WorkloadConfigurationServiceOptions,
} from './configuration/WorkloadConfigurationService';
export {
  createWorkloadsRouter,
  type WorkloadRoutesOptions,
} from './workloads/router';
