/*
 * autoscaling: the inference types scale on load instead of a fixed container.replicas.
 *
 *   - OLLAMA_INFERENCE_LOAD: KEDA's HTTP add-on (an HTTPScaledObject) counts the requests in
 *     flight at its interceptor, which holds requests while a replica starts, so Ollama may
 *     scale to zero (minReplicas 0). Ollama has no metrics endpoint of its own.
 *   - ML_INFERENCE_LOAD: a KEDA ScaledObject with a Prometheus trigger on TGI's queue gauge
 *     tgi_queue_size. It needs a running replica to report the queue: at least 1.
 *
 * With autoscaling the autoscaler owns the replica count between minReplicas and
 * maxReplicas: the chart writes no spec.replicas (Argo CD would reset the autoscaler's count
 * at every sync), and container.replicas has no effect; it may stay in the leaf (the seed
 * leaf has it) but not above maxReplicas. The GPU policy counts maxReplicas.
 */
import { z } from 'zod';
import { KNOWN_MODELS } from '../models/modelArchitectures';
import { describeValue, typeError } from '../validation/describe';

export const MAX_AUTOSCALING_REPLICAS = 100;

/**
 * Read speeds the cold-start estimate uses. Network volume: the baseline throughput of an
 * AWS EBS gp3 volume (125 MiB/s, AWS's documented default); local NVMe: a conservative
 * 2 GiB/s. Loading a model reads its weights once from disk into GPU memory.
 */
export const COLD_START_DISK_BYTES_PER_SECOND = {
  network: 125 * 2 ** 20,
  nvme: 2 * 2 ** 30,
} as const;

/** Time to schedule the pod and start the server before any model loads (a rule of thumb). */
export const COLD_START_BASE_SECONDS = 15;

/** Seconds a cold start takes to load weights of `bytes` at `bytesPerSecond` (rounded up). */
export function coldStartSeconds(
  weightsBytes: number,
  bytesPerSecond: number = COLD_START_DISK_BYTES_PER_SECOND.network,
): number {
  return Math.ceil(COLD_START_BASE_SECONDS + weightsBytes / bytesPerSecond);
}

/** "phi:latest (1.5Gi) ~28 s" from the shipped model table and the speeds above. */
function coldStartExamples(refs: string[]): string {
  return refs
    .filter(ref => KNOWN_MODELS[ref]?.sizeBytes)
    .map(ref => {
      const bytes = KNOWN_MODELS[ref].sizeBytes!;
      return `${ref} ~${coldStartSeconds(bytes)} s (${coldStartSeconds(bytes, COLD_START_DISK_BYTES_PER_SECOND.nvme)} s from NVMe)`;
    })
    .join(', ');
}

/** The cold-start cost in words, generated from the numbers above: the form shows it. */
export function coldStartDescription(): string {
  return `With 0 the service scales to zero when idle, and the first request waits for a cold start: about ${COLD_START_BASE_SECONDS} s to schedule and start the pod plus the weights read from disk into GPU memory at ${COLD_START_DISK_BYTES_PER_SECOND.network / 2 ** 20} MiB/s (a network volume's baseline, e.g. EBS gp3): ${coldStartExamples(['phi:latest', 'llama3.1:8b', 'mixtral:8x7b'])}. Without modelStorage the models are also pulled again at every start. The KEDA HTTP add-on holds the request meanwhile.`;
}

const replicaCount = (what: string, min: number, minMessage: string) =>
  z
    .number({ error: typeError('must be a whole number of replicas') })
    .int({
      error: iss =>
        `must be a whole number of replicas; got ${describeValue(iss.input)}`,
    })
    .min(min, { error: minMessage })
    .max(MAX_AUTOSCALING_REPLICAS, {
      error: `must be at most ${MAX_AUTOSCALING_REPLICAS}`,
    })
    .meta({ description: what });

const maxReplicas = replicaCount(
  'The most replicas the autoscaler starts; the GPU policy counts this many (gpu.count × maxReplicas)',
  1,
  'must be at least 1',
);

/** minReplicas ≤ maxReplicas, with the message on minReplicas. */
function checkRange(
  a: { minReplicas: number; maxReplicas: number },
  ctx: z.RefinementCtx,
) {
  if (a.minReplicas > a.maxReplicas) {
    ctx.addIssue({
      code: 'custom',
      path: ['minReplicas'],
      input: a.minReplicas,
      message: `must be at most maxReplicas (${a.maxReplicas}); got ${a.minReplicas}`,
    });
  }
}

const scaledownPeriod = z
  .number({ error: typeError('must be a whole number of seconds') })
  .int({ error: 'must be a whole number of seconds' })
  .min(30, { error: 'must be at least 30 seconds' })
  .max(86400, { error: 'must be at most 86400 seconds (a day)' })
  .default(300)
  .meta({
    description:
      'Seconds with less load before the autoscaler removes a replica (to zero when minReplicas is 0); a longer period spares cold starts',
  });

export const ollamaAutoscalingSchema = z
  .strictObject({
    minReplicas: replicaCount(
      'The fewest replicas; 0 scales to zero when idle',
      0,
      'must be 0 (scale to zero) or more',
    )
      .default(1)
      .meta({ title: 'Fewest replicas', description: coldStartDescription() }),
    maxReplicas,
    targetConcurrency: z
      .number({ error: typeError('must be a whole number of requests') })
      .int({ error: 'must be a whole number of requests' })
      .min(1, { error: 'must be at least 1 request' })
      .max(1000, { error: 'must be at most 1000 requests' })
      .default(4)
      .meta({
        description:
          "Requests in flight per replica the autoscaler aims for (the HTTP add-on's scalingMetric.concurrency.targetValue); match OLLAMA_NUM_PARALLEL (the platform's default is 4)",
      }),
    scaledownPeriod,
  })
  .superRefine(checkRange)
  .meta({
    title: 'Autoscaling',
    description:
      "Scale on requests in flight (KEDA HTTP add-on), to zero and back; the route goes through the add-on's interceptor. The autoscaler owns the replica count: container.replicas has no effect.",
  });

export const tgiAutoscalingSchema = z
  .strictObject({
    minReplicas: replicaCount(
      'The fewest replicas (at least 1: the queue metric needs a running server)',
      1,
      'must be at least 1: only OLLAMA_INFERENCE_LOAD scales to zero (through the KEDA HTTP add-on, which holds requests while a replica starts); TGI scales on its queue (tgi_queue_size), which a running replica reports',
    ).default(1),
    maxReplicas,
    targetQueueSize: z
      .number({ error: typeError('must be a whole number of requests') })
      .int({ error: 'must be a whole number of requests' })
      .min(1, { error: 'must be at least 1 request' })
      .max(1000, { error: 'must be at most 1000 requests' })
      .default(10)
      .meta({
        description:
          "Requests waiting in TGI's queue (tgi_queue_size) per replica before the autoscaler adds one",
      }),
    scaledownPeriod,
  })
  .superRefine(checkRange)
  .meta({
    title: 'Autoscaling',
    description:
      "Scale on TGI's request queue (KEDA ScaledObject, Prometheus trigger on tgi_queue_size). The autoscaler owns the replica count: container.replicas has no effect.",
  });

/** container.replicas with autoscaling: it has no effect, and may not exceed maxReplicas. */
export function checkReplicasWithAutoscaling(
  leaf: {
    container?: { replicas?: number };
    autoscaling?: { maxReplicas: number };
  },
  ctx: z.RefinementCtx,
) {
  const replicas = leaf.container?.replicas;
  const max = leaf.autoscaling?.maxReplicas;
  if (max !== undefined && replicas !== undefined && replicas > max) {
    ctx.addIssue({
      code: 'custom',
      path: ['container', 'replicas'],
      input: replicas,
      message: `must be at most autoscaling.maxReplicas (${max}); got ${replicas}. With autoscaling the autoscaler owns the count between minReplicas and maxReplicas: leave container.replicas out`,
    });
  }
}
