/**
 * The catalog module of Workload Catalog: an entity provider that keeps one Component per
 * leaf of the catalog repo (and per workload proposed in an open pull request).
 *
 * @packageDocumentation
 */
export { catalogModuleWorkloadCatalog as default } from './module';
export {
  WorkloadCatalogEntityProvider,
  type WorkloadCatalogProviderOptions,
  type RefreshResult,
} from './WorkloadCatalogEntityProvider';
export { readProviderConfig, type ProviderConfig } from './config';
export {
  leafToEntity,
  systemEntity,
  type CatalogRepoInfo,
  type EntityOptions,
  type LeafEntityResult,
  type LeafFile,
} from './leafEntity';
export {
  leafPathMatcher,
  leafPathOfBranch,
  type LeafPathFields,
} from './leafPathMatcher';
