/*
 * Backstage's own pickers beside the workload form: the template's OwnerPicker gives an
 * entity ref of a Group or User, its EntityPicker (kind System) the ref of the catalog's
 * System. The leaf keeps what it always had: `owner` an entity ref, `serviceCatalog` the
 * plain System name (the catalog module turns it back into system:default/<name>).
 */
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

export interface PickedEntities {
  owner?: string;
  serviceCatalog?: string;
}

const ref = (value: unknown, defaultKind: string) => {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    return parseEntityRef(value.trim(), {
      defaultKind,
      defaultNamespace: 'default',
    });
  } catch {
    return undefined;
  }
};

/**
 * The leaf fields the pickers set: `owner` as a full entity ref (group:default/ml-platform),
 * `serviceCatalog` as the System's name. A picker left empty (or holding something that is
 * not an entity ref) sets nothing, and the form's own field stays editable.
 */
export function leafFieldsFromPickers(values: {
  owner?: unknown;
  system?: unknown;
}): PickedEntities {
  const fields: PickedEntities = {};
  const owner = ref(values.owner, 'group');
  if (owner) fields.owner = stringifyEntityRef(owner);
  const system = ref(values.system, 'system');
  if (system && system.kind.toLocaleLowerCase('en-US') === 'system')
    fields.serviceCatalog = system.name;
  return fields;
}
