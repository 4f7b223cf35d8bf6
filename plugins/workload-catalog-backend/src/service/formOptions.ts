import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_GPU_MEMORY_BYTES,
  DEFAULT_MAX_GPU_COUNT,
  GPU_COUNT_LIMIT,
  parseQuantity,
  type FormOptionsResponse,
} from '@workload-catalog/plugin-workload-catalog-common';

/** Reads the policy and GPU size the form checks against; throws on an invalid setting. */
export function readFormOptions(config: Config): FormOptionsResponse {
  const wc = config.getOptionalConfig('workloadCatalog');
  const maxGpuCount =
    wc?.getOptionalNumber('maxGpuCount') ?? DEFAULT_MAX_GPU_COUNT;
  if (
    !Number.isInteger(maxGpuCount) ||
    maxGpuCount < 0 ||
    maxGpuCount > GPU_COUNT_LIMIT
  ) {
    throw new InputError(
      `workloadCatalog.maxGpuCount must be a whole number from 0 to ${GPU_COUNT_LIMIT}; got ${maxGpuCount}`,
    );
  }
  const gpuMemory = wc?.getOptionalString('gpuMemoryPerGpu');
  let gpuMemoryPerGpuBytes = DEFAULT_GPU_MEMORY_BYTES;
  if (gpuMemory !== undefined) {
    const bytes = parseQuantity(gpuMemory);
    if (bytes === undefined || bytes <= 0) {
      throw new InputError(
        `workloadCatalog.gpuMemoryPerGpu must be a memory quantity such as "24Gi"; got "${gpuMemory}"`,
      );
    }
    gpuMemoryPerGpuBytes = bytes;
  }
  const environments = wc?.getOptionalStringArray('environments');
  const namespaces = wc?.getOptionalStringArray('namespaces');
  return {
    policy: {
      maxGpuCount,
      ...(environments ? { environments } : {}),
      ...(namespaces ? { namespaces } : {}),
    },
    gpuMemoryPerGpuBytes,
  };
}
