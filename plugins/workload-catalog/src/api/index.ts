export {
  workloadCatalogApiRef,
  type WorkloadCatalogApi,
} from './WorkloadCatalogApi';
export { WorkloadCatalogClient } from './WorkloadCatalogClient';
