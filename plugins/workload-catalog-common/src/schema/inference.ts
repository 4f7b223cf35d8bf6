/* Parts shared by the two inference workload types: GPUs and model storage. */
import { z } from 'zod';
import { describeValue, typeError } from '../validation/describe';
import { accessModeSchema } from './base';
import { dnsSubdomain, quantity, withUi } from './fields';

/**
 * The most GPUs a leaf may ask for, whatever the platform: the largest common GPU node has
 * 8 (16 on a few). The platform's configured maximum (default 8) is checked on top of this.
 */
export const GPU_COUNT_LIMIT = 16;
export const DEFAULT_MAX_GPU_COUNT = 8;

export const LABEL_VALUE_PATTERN =
  '^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$';

export const gpuSchema = z
  .strictObject({
    count: withUi(
      z
        .number({ error: typeError('must be a whole number of GPUs') })
        .int({
          error: iss =>
            `must be a whole number of GPUs; got ${describeValue(iss.input)}`,
        })
        .min(0, { error: 'must be 0 (CPU only) or more' })
        .max(GPU_COUNT_LIMIT, { error: `must be at most ${GPU_COUNT_LIMIT}` })
        .default(1)
        .meta({
          title: 'GPUs',
          description:
            'NVIDIA GPUs per replica (nvidia.com/gpu); 0 runs on CPU',
        }),
      { field: 'GpuCountPicker' },
    ),
    product: z
      .string()
      .max(63)
      .regex(new RegExp(LABEL_VALUE_PATTERN), {
        error: iss =>
          `must be a node label value (the nvidia.com/gpu.product label), e.g. "NVIDIA-A100-SXM4-80GB"; got ${describeValue(iss.input)}`,
      })
      .optional()
      .meta({
        description:
          'Schedule only on nodes with this GPU model (node label nvidia.com/gpu.product)',
        examples: ['NVIDIA-L4'],
      }),
  })
  .meta({ title: 'GPU' });

export const modelStorageSchema = z
  .strictObject({
    size: quantity('50Gi')
      .optional()
      .meta({ description: 'Volume size for the models', examples: ['50Gi'] }),
    storageClassName: dnsSubdomain('storage class name').optional().meta({
      description: "Storage class; leave out for the cluster's default",
    }),
    accessMode: accessModeSchema,
    existingClaim: dnsSubdomain('PersistentVolumeClaim name').optional().meta({
      description:
        'Use an existing PersistentVolumeClaim instead of creating volumes (shared by all replicas: use ReadWriteMany for more than one)',
    }),
  })
  .superRefine((storage, ctx) => {
    if (storage.size === undefined && storage.existingClaim === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['size'],
        message:
          'is required (e.g. "50Gi") unless existingClaim names a PersistentVolumeClaim',
      });
    }
    if (storage.size !== undefined && storage.existingClaim !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['existingClaim'],
        message:
          'set either size (new volumes) or existingClaim (an existing claim), not both',
      });
    }
  })
  .meta({
    title: 'Model storage',
    description:
      'Keep downloaded models on a persistent volume so a restart does not download them again. Leave out for an emptyDir (models are pulled at every start).',
    oneOf: [{ required: ['size'] }, { required: ['existingClaim'] }],
  });
