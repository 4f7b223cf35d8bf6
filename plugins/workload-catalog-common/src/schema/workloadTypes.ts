/*
 * The workload types, on their own: what a caller needs to name a type (a form field's
 * options, a picker) without loading the leaf schemas.
 */
export const WORKLOAD_TYPES = [
  'BASIC_CONTAINER_LOAD',
  'STATEFUL_CONTAINER_LOAD',
  'BASIC_CONTAINER_ROLLOUT',
  'ML_INFERENCE_LOAD',
  'OLLAMA_INFERENCE_LOAD',
] as const;
export type WorkloadType = (typeof WORKLOAD_TYPES)[number];
