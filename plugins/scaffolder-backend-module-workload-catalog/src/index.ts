/**
 * The scaffolder module of Workload Catalog: `workload:leaf:validate` and
 * `workload:catalog:pull-request`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleWorkloadCatalog as default } from './module';
export {
  createValidateLeafAction,
  VALIDATE_LEAF_ACTION_ID,
  type ValidateLeafActionOptions,
} from './actions/validateLeaf';
export {
  createCatalogPullRequestAction,
  CATALOG_PULL_REQUEST_ACTION_ID,
  type CatalogPullRequestActionOptions,
} from './actions/catalogPullRequest';
export {
  createDefaultGithubClientFactory,
  createGithubClient,
  GithubRateLimitError,
  GithubTimeoutError,
  type GithubClientFactory,
  type GithubClientOptions,
  type GithubClientRequest,
} from './github/client';
export {
  readWorkloadCatalogConfig,
  parseCatalogRepoUrl,
  type WorkloadCatalogConfig,
} from './config';
export {
  workloadLeafValidatePermission,
  workloadCatalogPullRequestCreatePermission,
  workloadCatalogPermissions,
  workloadLeafConditions,
  createWorkloadLeafConditionalDecision,
  workloadLeafResourceRef,
  workloadLeafPermissionRules,
  WORKLOAD_LEAF_RESOURCE_TYPE,
  type WorkloadLeafResource,
} from './permissions';
