import type { ApiHolder } from '@backstage/core-plugin-api';
import type { FieldValidation } from '@rjsf/utils';
import {
  formatPath,
  validateLeaf,
  type LeafPolicy,
} from '@workload-catalog/plugin-workload-catalog-common';
import { workloadCatalogApiRef } from '../../api/WorkloadCatalogApi';
import { cleanLeaf } from '../../lib/cleanLeaf';

/**
 * Runs when the user presses "Next": every problem of the leaf, one error each, as
 * `FIELD.PATH: message` (the CLI's wording). The step cannot be left while any remains.
 */
export async function workloadConfigValidation(
  value: Record<string, unknown> | undefined,
  validation: FieldValidation,
  context?: { apiHolder?: ApiHolder },
): Promise<void> {
  let policy: LeafPolicy = {};
  const api = context?.apiHolder?.get(workloadCatalogApiRef);
  if (api) {
    try {
      policy = (await api.getFormOptions()).policy;
    } catch {
      // without the backend's policy the schema's rules still apply; the action checks again
    }
  }
  for (const issue of validateLeaf(cleanLeaf(value ?? {}), policy).issues) {
    validation.addError(`${formatPath(issue.path)}: ${issue.message}`);
  }
}
