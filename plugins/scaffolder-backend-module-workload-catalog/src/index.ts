/**
 * The scaffolder module of Workload Catalog: `workload:leaf:validate` and
 * `workload:catalog:pull-request`. The code they share with the rest of Workload Catalog
 * (GitHub client, configuration, permissions, openLeafPullRequest) is in
 * `@workload-catalog/plugin-workload-catalog-node`.
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
