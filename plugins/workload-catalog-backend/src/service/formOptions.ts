import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_GPU_MEMORY_BYTES,
  gpuLimits,
  parseQuantity,
  type FormOptionsResponse,
  type LeafPolicy,
} from '@workload-catalog/plugin-workload-catalog-common';

/** The GPU size the form's estimates use; throws on an invalid setting (at start). */
export function readGpuMemoryPerGpu(config: Config): number {
  const gpuMemory = config.getOptionalString('workloadCatalog.gpuMemoryPerGpu');
  if (gpuMemory === undefined) return DEFAULT_GPU_MEMORY_BYTES;
  const bytes = parseQuantity(gpuMemory);
  if (bytes === undefined || bytes <= 0) {
    throw new InputError(
      `workloadCatalog.gpuMemoryPerGpu must be a memory quantity such as "24Gi"; got "${gpuMemory}"`,
    );
  }
  return bytes;
}

/**
 * What the form checks against: the platform policy in force, with its GPU maximum spelt out.
 * The form's memory estimates use the policy's GPU memory when it has one (the size leaves
 * are checked against), else `gpuMemoryPerGpuBytes` (workloadCatalog.gpuMemoryPerGpu).
 */
export function formOptionsOf(
  policy: LeafPolicy,
  gpuMemoryPerGpuBytes: number,
): FormOptionsResponse {
  return {
    policy: { ...policy, maxGpuCount: gpuLimits(policy).perReplica },
    gpuMemoryPerGpuBytes: policy.gpuMemoryBytes ?? gpuMemoryPerGpuBytes,
  };
}
