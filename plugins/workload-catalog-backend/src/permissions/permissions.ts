/*
 * Who may see a workload's status and who may change its configuration: two permissions on
 * catalog entities, so a policy can use the catalog's conditions (isEntityOwner, hasLabel,
 * hasAnnotation, ...), e.g. "owners may edit, everyone may read". The default allow-all
 * policy allows both.
 */
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/** Read a workload's deployment status (the entity card). */
export const workloadStatusReadPermission = createPermission({
  name: 'workload-catalog.status.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Change a workload's configuration: open an update pull request (the Configure tab). */
export const workloadConfigurationUpdatePermission = createPermission({
  name: 'workload-catalog.configuration.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

export const workloadCatalogBackendPermissions = [
  workloadStatusReadPermission,
  workloadConfigurationUpdatePermission,
];
