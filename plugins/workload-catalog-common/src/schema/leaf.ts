/* The catalog leaf: a discriminated union on workloadType. */
import { z } from 'zod';
import { OLLAMA_MANAGED_ENVIRONMENT } from '../models/ollamaEnvironment';
import {
  WORKLOAD_TYPES,
  type ManagedEnvironment,
  type WorkloadType,
} from './base';
import { basicContainerLoadSchema } from './basicContainerLoad';
import { basicContainerRolloutSchema } from './basicContainerRollout';
import {
  TGI_MANAGED_ENVIRONMENT,
  mlInferenceLoadSchema,
} from './mlInferenceLoad';
import { ollamaInferenceLoadSchema } from './ollamaInferenceLoad';
import { statefulContainerLoadSchema } from './statefulContainerLoad';

/**
 * The environment variables each workload type's chart sets itself, with why: a leaf may set
 * none of them, in container.environment or as a secret. (A chart test renders every chart
 * and checks that each variable it sets is here, so the lists follow the charts.) The GPU
 * device variables (GPU_DEVICE_ENVIRONMENT) are refused in every type on top of these.
 */
export const CHART_ENVIRONMENT: Readonly<
  Record<WorkloadType, ManagedEnvironment>
> = {
  BASIC_CONTAINER_LOAD: {},
  STATEFUL_CONTAINER_LOAD: {},
  BASIC_CONTAINER_ROLLOUT: {},
  ML_INFERENCE_LOAD: TGI_MANAGED_ENVIRONMENT,
  OLLAMA_INFERENCE_LOAD: OLLAMA_MANAGED_ENVIRONMENT,
};

export const leafSchemasByType = {
  BASIC_CONTAINER_LOAD: basicContainerLoadSchema,
  STATEFUL_CONTAINER_LOAD: statefulContainerLoadSchema,
  BASIC_CONTAINER_ROLLOUT: basicContainerRolloutSchema,
  ML_INFERENCE_LOAD: mlInferenceLoadSchema,
  OLLAMA_INFERENCE_LOAD: ollamaInferenceLoadSchema,
} as const satisfies Record<WorkloadType, z.ZodType>;

export const leafSchema = z
  .discriminatedUnion('workloadType', [
    basicContainerLoadSchema,
    statefulContainerLoadSchema,
    basicContainerRolloutSchema,
    mlInferenceLoadSchema,
    ollamaInferenceLoadSchema,
  ])
  .meta({
    title: 'Workload Catalog leaf',
    description:
      'One service in the GitOps catalog: what to deploy, where, and how',
  });

/** A leaf as written (defaults not yet applied). */
export type WorkloadLeafInput = z.input<typeof leafSchema>;
/** A validated leaf with defaults applied. */
export type WorkloadLeaf = z.output<typeof leafSchema>;
export type LeafOf<T extends WorkloadType> = Extract<
  WorkloadLeaf,
  { workloadType: T }
>;

/** charts/<kebab-case>: the chart (and schema file) name of a workload type. */
export function workloadTypeSlug(type: WorkloadType): string {
  return type.toLowerCase().replace(/_/g, '-');
}

export function isWorkloadType(value: unknown): value is WorkloadType {
  return (
    typeof value === 'string' &&
    (WORKLOAD_TYPES as readonly string[]).includes(value)
  );
}

/** Workload types that run a model on GPUs. */
export const INFERENCE_WORKLOAD_TYPES = [
  'ML_INFERENCE_LOAD',
  'OLLAMA_INFERENCE_LOAD',
] as const satisfies readonly WorkloadType[];
