/**
 * Workload Catalog's shared backend library: what the scaffolder module, the backend plugin
 * (status, Configure tab) and the catalog module share. The catalog-repo GitHub client, the
 * configuration reader, the leaf permissions, and openLeafPullRequest(...), the one service
 * that opens a leaf's pull request.
 *
 * @packageDocumentation
 */
export {
  openLeafPullRequest,
  catalogRepoTarget,
  LEAF_PULL_REQUEST_STEP_VERSION,
  type LeafPullRequestOptions,
  type LeafPullRequestRequest,
  type LeafPullRequestResult,
  type LeafPullRequestStepRunner,
} from './pullRequest/openLeafPullRequest';
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
  describeGithubFailure,
  TASK_TRAILER,
  type CatalogRepoTarget,
} from './github/catalogRepo';
export {
  readWorkloadCatalogConfig,
  readConfigPolicy,
  parseCatalogRepoUrl,
  type CatalogRepoLocation,
  type WorkloadCatalogConfig,
} from './config';
export {
  prepareLeaf,
  formatIssues,
  InvalidLeafError,
  type PreparedLeaf,
} from './leaf';
export {
  authorizeLeaf,
  workloadLeafValidatePermission,
  workloadCatalogPullRequestCreatePermission,
  workloadCatalogPermissions,
  workloadLeafConditions,
  createWorkloadLeafConditionalDecision,
  workloadLeafResourceRef,
  workloadLeafPermissionRules,
  WORKLOAD_LEAF_RESOURCE_TYPE,
  type WorkloadLeafQuery,
  type WorkloadLeafResource,
} from './permissions';
export {
  PlatformPolicyReader,
  PlatformPolicyError,
  resolveLeafPolicy,
  type LeafPolicySource,
  type PlatformPolicyReaderOptions,
} from './policy/PlatformPolicyReader';
