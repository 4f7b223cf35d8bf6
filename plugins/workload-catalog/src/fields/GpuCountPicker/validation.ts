import type { ApiHolder } from '@backstage/core-plugin-api';
import type { FieldValidation } from '@rjsf/utils';
import { gpuLimits } from '@workload-catalog/plugin-workload-catalog-common';
import { workloadCatalogApiRef } from '../../api/WorkloadCatalogApi';
import { issuesAt } from '../issuesAt';
import type { GpuCountPickerUiOptions } from './schema';

/** The most GPUs the field allows: the template's `max`, never above the platform's maximum. */
export function effectiveMax(
  platformMax: number,
  options?: GpuCountPickerUiOptions,
): number {
  return options?.max !== undefined
    ? Math.min(options.max, platformMax)
    : platformMax;
}

/** Checks the count with the common package's GPU rule and the platform's maximum. */
export async function gpuCountPickerValidation(
  value: number | undefined,
  validation: FieldValidation,
  context?: {
    apiHolder?: ApiHolder;
    uiSchema?: { 'ui:options'?: GpuCountPickerUiOptions };
  },
): Promise<void> {
  if (value === undefined) return;
  const api = context?.apiHolder?.get(workloadCatalogApiRef);
  let platformMax = gpuLimits({}).perReplica;
  if (api) {
    try {
      platformMax = gpuLimits((await api.getFormOptions()).policy).perReplica;
    } catch {
      // the backend checks the platform maximum again when the task runs
    }
  }
  const max = effectiveMax(platformMax, context?.uiSchema?.['ui:options']);
  for (const message of issuesAt(['gpu', 'count'], value, {
    maxGpuCount: max,
  })) {
    validation.addError(message);
  }
}
