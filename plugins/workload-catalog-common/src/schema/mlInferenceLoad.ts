/* ML_INFERENCE_LOAD: Hugging Face Text Generation Inference serving one model. */
import { z } from 'zod';
import {
  HF_MODEL_ID_PATTERN,
  HF_REVISION_PATTERN,
} from '../models/huggingFace';
import { describeValue, typeError } from '../validation/describe';
import {
  identityFieldsOf,
  inferenceContainerSchema,
  ingressSchema,
} from './base';
import { quantity, withUi } from './fields';
import {
  checkReplicasWithAutoscaling,
  tgiAutoscalingSchema,
} from './autoscaling';
import { gpuSchema, modelStorageSchema } from './inference';

export const TGI_QUANTIZE_METHODS = [
  'awq',
  'compressed-tensors',
  'eetq',
  'exl2',
  'gptq',
  'marlin',
  'bitsandbytes',
  'bitsandbytes-nf4',
  'bitsandbytes-fp4',
  'fp8',
] as const;

export const hfModelSchema = z
  .strictObject({
    id: withUi(
      z
        .string({ error: typeError('must be a Hugging Face model id string') })
        .regex(new RegExp(HF_MODEL_ID_PATTERN), {
          error: iss =>
            `must be a Hugging Face model id "organisation/name", e.g. "mistralai/Mistral-7B-Instruct-v0.3"; got ${describeValue(iss.input)}`,
        })
        .meta({
          title: 'Model id',
          description: 'Hugging Face Hub model id',
          examples: ['mistralai/Mistral-7B-Instruct-v0.3'],
        }),
      { placeholder: 'organisation/model' },
    ),
    revision: z
      .string()
      .regex(new RegExp(HF_REVISION_PATTERN), {
        error: iss =>
          `must be a commit sha (recommended: it cannot move), a branch or a tag; got ${describeValue(iss.input)}`,
      })
      .optional()
      .meta({
        title: 'Revision',
        description:
          'Commit sha that pins the weights (a branch or tag can move); leave out for "main"',
      }),
  })
  .meta({ title: 'Model' });

export const TGI_DEFAULT_IMAGE_NOTE = 'Text Generation Inference image';

/** Environment variables the TGI chart sets from the leaf's fields: a leaf may not set them. */
export const TGI_MANAGED_ENVIRONMENT: Record<string, string> = {
  MODEL_ID: 'the chart sets it from model.id',
  REVISION: 'the chart sets it from model.revision',
  QUANTIZE: 'the chart sets it from quantize',
  NUM_SHARD: 'the chart sets it from gpu.count',
  PORT: 'the chart owns the server port for its Service and probes',
  HOSTNAME: 'the chart binds the server for its Service and probes',
  HF_HOME: 'the chart points it at the model storage (modelStorage)',
};

/** The variables the chart sets are refused in container.environment and as secret names. */
const tgiContainerSchema = inferenceContainerSchema(TGI_DEFAULT_IMAGE_NOTE, {
  managed: TGI_MANAGED_ENVIRONMENT,
});

export const mlInferenceLoadSchema = z
  .strictObject({
    workloadType: z.literal('ML_INFERENCE_LOAD'),
    ...identityFieldsOf('ML_INFERENCE_LOAD'),
    model: hfModelSchema,
    quantize: z
      .enum(TGI_QUANTIZE_METHODS)
      .optional()
      .meta({ description: 'Quantisation method (TGI --quantize)' }),
    gpu: gpuSchema.prefault({}),
    sharedMemory: quantity('1Gi')
      .default('1Gi')
      .meta({
        description: 'Shared memory (/dev/shm) for NCCL between GPUs',
        examples: ['1Gi'],
      }),
    modelStorage: modelStorageSchema.optional(),
    ingress: ingressSchema.optional(),
    container: tgiContainerSchema.prefault({}),
    autoscaling: tgiAutoscalingSchema.optional(),
  })
  .superRefine(checkReplicasWithAutoscaling)
  .meta({
    title: 'Text Generation Inference service',
    description:
      'A Hugging Face model served by Text Generation Inference on GPUs',
  });
