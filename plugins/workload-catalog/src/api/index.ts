export {
  workloadCatalogApiRef,
  type WorkloadCatalogApi,
  type WorkloadEntityRef,
} from './WorkloadCatalogApi';
export { WorkloadCatalogClient } from './WorkloadCatalogClient';
