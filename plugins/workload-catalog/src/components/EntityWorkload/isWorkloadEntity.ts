import type { Entity } from '@backstage/catalog-model';
import { WORKLOAD_ANNOTATIONS } from '@workload-catalog/plugin-workload-catalog-common';

/**
 * Whether an entity is a workload of the catalog repo (the catalog module of Workload
 * Catalog gives it the leaf-path annotation). For the entity page: `filter` of the new
 * frontend system's extensions, or `<EntitySwitch.Case if={isWorkloadEntity}>`.
 */
export function isWorkloadEntity(entity: Entity): boolean {
  return !!entity.metadata.annotations?.[WORKLOAD_ANNOTATIONS.leafPath];
}

/** The entity as the workload routes name it. */
export function workloadRefOf(entity: Entity) {
  return {
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  };
}
