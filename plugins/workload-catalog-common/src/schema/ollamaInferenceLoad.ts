/* OLLAMA_INFERENCE_LOAD: an Ollama server with one or more models, pulled before it is ready. */
import { z } from 'zod';
import {
  OLLAMA_ENVIRONMENT,
  OLLAMA_MANAGED_ENVIRONMENT,
  checkOllamaEnvValue,
} from '../models/ollamaEnvironment';
import {
  OLLAMA_REF_PATTERN,
  OLLAMA_REGISTRY_HOST_PATTERN,
  formatOllamaRef,
  normalizeOllamaRef,
  parseOllamaRef,
} from '../models/ollamaRef';
import { closest, describeValue, typeError } from '../validation/describe';
import { formatPath } from '../validation/path';
import {
  identityFieldsOf,
  inferenceContainerSchema,
  ingressSchema,
  type EnvironmentCheck,
} from './base';
import { withUi } from './fields';
import {
  checkReplicasWithAutoscaling,
  ollamaAutoscalingSchema,
} from './autoscaling';
import { gpuSchema, modelStorageSchema } from './inference';

const OLLAMA_REF_RE = new RegExp(OLLAMA_REF_PATTERN);

/** An Ollama model reference, checked by the one parser. */
export const ollamaModelRef = (title: string) =>
  withUi(
    z
      .string({ error: typeError('must be an Ollama model reference string') })
      .max(600)
      .regex(new RegExp(OLLAMA_REF_PATTERN), {
        error: iss => {
          const r = parseOllamaRef(String(iss.input));
          return r.ok ? 'is not a valid Ollama model reference' : r.error;
        },
      })
      .superRefine((value, ctx) => {
        // The pattern's own message covers a malformed reference; this adds the length limits.
        if (!OLLAMA_REF_RE.test(value)) return;
        const r = parseOllamaRef(value);
        if (!r.ok)
          ctx.addIssue({ code: 'custom', input: value, message: r.error });
      })
      .overwrite(normalizeOllamaRef)
      .meta({
        title,
        description:
          'Ollama model reference [host/][namespace/]name[:tag], optionally pinned with @sha256:<digest> (checked after the pull)',
        examples: ['llama3.2:3b'],
      }),
    { field: 'OllamaModelPicker' },
  );

/** Modelfile PARAMETERs (https://github.com/ollama/ollama/blob/main/docs/modelfile.md). */
export const modelParametersSchema = z
  .strictObject({
    temperature: z
      .number()
      .min(0)
      .max(2)
      .optional()
      .meta({ description: 'Creativity, 0 to 2 (default 0.8)' }),
    top_p: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .meta({ description: 'Nucleus sampling, 0 to 1' }),
    top_k: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'Sample from the k likeliest tokens' }),
    min_p: z.number().min(0).max(1).optional(),
    num_ctx: z
      .number()
      .int()
      .min(256)
      .max(1048576)
      .optional()
      .meta({ description: 'Context window in tokens' }),
    num_predict: z
      .number()
      .int()
      .min(-2)
      .optional()
      .meta({ description: 'Most tokens to generate (-1: no limit)' }),
    repeat_penalty: z.number().min(0).max(10).optional(),
    repeat_last_n: z.number().int().min(-1).optional(),
    seed: z.number().int().optional(),
    stop: z
      .array(z.string().min(1))
      .max(16)
      .optional()
      .meta({ description: 'Stop sequences' }),
    mirostat: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    mirostat_eta: z.number().min(0).optional(),
    mirostat_tau: z.number().min(0).optional(),
  })
  .meta({ title: 'Parameters', description: 'Modelfile PARAMETER values' });

export const customModelSchema = z
  .strictObject({
    name: z
      .string()
      .regex(new RegExp(OLLAMA_REF_PATTERN), {
        error: iss =>
          `must be a model name such as "support-bot:latest"; got ${describeValue(iss.input)}`,
      })
      .meta({
        title: 'Name',
        description: 'Name of the new model',
        examples: ['support-bot:latest'],
      }),
    from: ollamaModelRef('Base model'),
    system: withUi(
      z
        .string()
        .max(32000)
        .optional()
        .meta({ title: 'System prompt', description: 'Modelfile SYSTEM' }),
      { widget: 'textarea' },
    ),
    parameters: modelParametersSchema.optional(),
  })
  .meta({
    title: 'Custom model',
    description:
      'A model built from a base model with a system prompt and parameters (a Modelfile), created after the pull',
  });

/** Which models are kept in memory, and how long: readiness waits for them (see the chart). */
export const modelLoadingSchema = z
  .strictObject({
    keepAlive: z
      .union([z.string(), z.number().int()])
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        const problem = checkOllamaEnvValue(
          OLLAMA_ENVIRONMENT.OLLAMA_KEEP_ALIVE,
          value,
        );
        if (problem)
          ctx.addIssue({ code: 'custom', input: value, message: problem });
      })
      .meta({
        title: 'Keep alive',
        description:
          'keep_alive of the load request ("-1": forever, "30m", or seconds). Leave out for the server\'s OLLAMA_KEEP_ALIVE (chart default "-1"). A model that leaves memory makes the pod unready until the loader has loaded it again.',
        examples: ['-1'],
      }),
    notLoaded: z.array(z.string().max(600)).max(31).optional().meta({
      title: 'Not loaded',
      description:
        'Declared models kept on disk only: not loaded at start, and readiness does not wait for them (the first request loads them)',
    }),
    timeoutSeconds: z.number().int().min(30).max(86400).optional().meta({
      title: 'Load timeout',
      description:
        'Longest wait for one model to load (default 900); the startup probe allows this for each model to load',
    }),
  })
  .meta({
    title: 'Model loading',
    description:
      'The declared models are loaded into (GPU) memory before the pod is ready, and loaded again when they leave it',
  });

/** How models are pulled onto the model volume. */
export const modelPullSchema = z
  .strictObject({
    insecureRegistries: z
      .array(
        z
          .string()
          .max(350)
          .regex(new RegExp(OLLAMA_REGISTRY_HOST_PATTERN), {
            error: iss =>
              `must be a registry host[:port] such as "registry.internal:5000"; got ${describeValue(iss.input)}`,
          })
          .overwrite(h => h.toLowerCase()),
      )
      .max(10)
      .optional()
      .meta({
        title: 'Insecure registries',
        description:
          'Registry hosts of declared models pulled over plain HTTP or without verifying the certificate (ollama pull --insecure): internal registries only',
      }),
    clean: z.boolean().optional().meta({
      title: 'Clean',
      description:
        'Remove from the model volume the models this workload declared before and no longer declares (never models of other workloads or pulled by hand)',
    }),
  })
  .meta({ title: 'Model pull' });

const SHARED_NOPRUNE_MESSAGE =
  'must stay true with a shared model volume (modelStorage with ReadWriteMany or existingClaim): an Ollama server that starts prunes the files no model names, which includes the download of another replica in progress';

export const OLLAMA_DEFAULT_IMAGE_NOTE = 'ollama/ollama image';

/** Ollama's runtime settings in container.environment: known OLLAMA_* settings, valid values. */
const checkOllamaVariable: EnvironmentCheck = (name, value) => {
  if (Object.prototype.hasOwnProperty.call(OLLAMA_ENVIRONMENT, name)) {
    const problem = checkOllamaEnvValue(OLLAMA_ENVIRONMENT[name], value);
    return problem ? { on: 'value', message: problem } : undefined;
  }
  if (name.startsWith('OLLAMA_')) {
    const guess = closest(name, Object.keys(OLLAMA_ENVIRONMENT));
    return {
      on: 'name',
      message: `is not an Ollama setting${guess ? ` (did you mean "${guess}"?)` : ''}; known settings: ${Object.keys(OLLAMA_ENVIRONMENT).join(', ')}`,
    };
  }
  return undefined;
};

/**
 * The Ollama server container: runtime tuning through environment, known OLLAMA_* settings
 * only; the variables the chart sets are refused in environment and as secret names.
 */
export const ollamaContainerSchema = inferenceContainerSchema(
  OLLAMA_DEFAULT_IMAGE_NOTE,
  {
    managed: OLLAMA_MANAGED_ENVIRONMENT,
    check: checkOllamaVariable,
    chartChecksManaged: true,
  },
);

export const ollamaInferenceLoadSchema = z
  .strictObject({
    workloadType: z.literal('OLLAMA_INFERENCE_LOAD'),
    ...identityFieldsOf('OLLAMA_INFERENCE_LOAD'),
    model: ollamaModelRef('Model'),
    additionalModels: z.array(ollamaModelRef('Model')).max(20).optional().meta({
      title: 'Additional models',
      description: 'More models pulled into the same server',
    }),
    customModels: z
      .array(customModelSchema)
      .max(10)
      .optional()
      .meta({ title: 'Custom models' }),
    gpu: gpuSchema.prefault({}),
    modelStorage: modelStorageSchema.optional(),
    modelLoading: modelLoadingSchema.optional(),
    modelPull: modelPullSchema.optional(),
    ingress: ingressSchema.optional(),
    container: ollamaContainerSchema.prefault({}),
    autoscaling: ollamaAutoscalingSchema.optional(),
  })
  .superRefine((leaf, ctx) => {
    checkReplicasWithAutoscaling(leaf, ctx);
    // Every declared model once, compared in normal form ("phi" is "phi:latest").
    const pulled = new Map<string, (string | number)[]>();
    const declared: [string, (string | number)[]][] = [
      [leaf.model, ['model']],
      ...(leaf.additionalModels ?? []).map(
        (m, i): [string, (string | number)[]] => [m, ['additionalModels', i]],
      ),
    ];
    for (const [ref, path] of declared) {
      const r = parseOllamaRef(ref);
      if (!r.ok) continue;
      const key = formatOllamaRef(r.ref, { digest: false });
      if (pulled.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `"${key}" is already declared at ${formatPath(pulled.get(key)!)}`,
        });
      }
      pulled.set(key, path);
    }
    const custom = new Set<string>();
    (leaf.customModels ?? []).forEach((m, i) => {
      const r = parseOllamaRef(m.name);
      if (!r.ok) return;
      if (r.ref.digest || r.ref.host !== 'registry.ollama.ai') {
        ctx.addIssue({
          code: 'custom',
          path: ['customModels', i, 'name'],
          message:
            'must be a local name ([namespace/]name[:tag]) without a registry host or digest',
        });
      }
      const key = formatOllamaRef(r.ref, { digest: false });
      if (pulled.has(key) || custom.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['customModels', i, 'name'],
          message: `"${key}" is already the name of another model in this leaf`,
        });
      }
      custom.add(key);
    });
    // modelLoading.notLoaded names declared models; modelPull.insecureRegistries their hosts.
    const hosts = new Set<string>();
    for (const ref of [
      leaf.model,
      ...(leaf.additionalModels ?? []),
      ...(leaf.customModels ?? []).map(m => m.from),
    ]) {
      const r = parseOllamaRef(ref);
      if (r.ok) hosts.add(r.ref.host);
    }
    const names = [...pulled.keys(), ...custom];
    (leaf.modelLoading?.notLoaded ?? []).forEach((ref, i) => {
      const r = parseOllamaRef(ref);
      const key = r.ok ? formatOllamaRef(r.ref, { digest: false }) : ref;
      if (!names.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['modelLoading', 'notLoaded', i],
          message: `${JSON.stringify(ref)} is not a model of this leaf; declared: ${names.join(', ')}`,
        });
      }
    });
    // Replicas on one model volume: a server that starts prunes the blobs no manifest names,
    // another pod's download in progress among them (the chart sets OLLAMA_NOPRUNE=true).
    const storage = leaf.modelStorage;
    const env = leaf.container?.environment;
    const noPrune =
      env && !Array.isArray(env)
        ? (env as Record<string, unknown>).OLLAMA_NOPRUNE
        : undefined;
    if (
      storage &&
      (storage.existingClaim !== undefined ||
        storage.accessMode === 'ReadWriteMany') &&
      noPrune !== undefined &&
      ['false', '0'].includes(String(noPrune).toLowerCase())
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['container', 'environment', 'OLLAMA_NOPRUNE'],
        message: SHARED_NOPRUNE_MESSAGE,
      });
    }
    const hostRe = new RegExp(OLLAMA_REGISTRY_HOST_PATTERN);
    (leaf.modelPull?.insecureRegistries ?? []).forEach((host, i) => {
      if (hostRe.test(host) && !hosts.has(host)) {
        ctx.addIssue({
          code: 'custom',
          path: ['modelPull', 'insecureRegistries', i],
          message: `${JSON.stringify(host)} is not the registry of any model of this leaf; registries: ${[...hosts].join(', ')}`,
        });
      }
    });
  })
  .meta({
    title: 'Ollama inference service',
    description:
      'An Ollama server with its models pulled and verified before it takes traffic',
  });
