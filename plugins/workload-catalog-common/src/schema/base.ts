/*
 * The shared base of every catalog leaf: identity, placement, the container and its
 * environment and secret references, and ingress. The workload types add to it
 * (see the other files in this folder).
 *
 * Cross-field rules are written twice, side by side: as a zod refinement (which gives the
 * precise message) and, where JSON Schema can express the rule, as JSON Schema keywords in
 * `.meta()` (which reach the generated schemas and so Helm's values.schema.json).
 */
import { z } from 'zod';
import { RESOURCE_PRESET_NAMES, presetsSummary } from '../models/presets';
import { describeValue, typeError } from '../validation/describe';
import { formatPath } from '../validation/path';
import {
  absolutePath,
  dnsLabel,
  dnsSubdomain,
  entityRef,
  envName,
  hostname,
  imageRef,
  quantity,
  routePath,
  urlPath,
  withUi,
} from './fields';
import { parseQuantity } from './quantity';

import type { WorkloadType } from './workloadTypes';

export { WORKLOAD_TYPES, type WorkloadType } from './workloadTypes';

/** Helm release names are limited to 53 characters, and the service name is the release name. */
export const SERVICE_NAME_MAX_LENGTH = 53;

/**
 * The longest serviceName of a workload type whose chart renders (or may render) a
 * StatefulSet named after it: each revision of a StatefulSet labels its pods
 * controller-revision-hash=<name>-<hash of up to 10 characters>, and a label value has at
 * most 63 characters. Its claims are then named <claim>-<name>-<ordinal> ("data-", "models-",
 * ordinals below 100), within the 63 characters of the pod volume and label names too.
 */
export const STATEFUL_SERVICE_NAME_MAX_LENGTH = 52;

/** Why a workload type's serviceName has the length limit it has (see SERVICE_NAME_LIMITS). */
export interface ServiceNameLimit {
  /** The most characters serviceName may have. */
  max: number;
  /** Why: the objects the chart names after it and their Kubernetes limits. */
  reason: string;
}

const HELM_RELEASE_LIMIT: ServiceNameLimit = {
  max: SERVICE_NAME_MAX_LENGTH,
  reason:
    'the Helm release is named after it, and Helm allows 53 characters; its Service names ("<name>", "<name>-headless", "<name>-preview") stay within the 63 of a DNS-1035 label',
};

const STATEFUL_SET_LIMIT: ServiceNameLimit = {
  max: STATEFUL_SERVICE_NAME_MAX_LENGTH,
  reason:
    "a StatefulSet is named after it, and its pods' controller-revision-hash label (<name>-<10-character hash>) may have at most 63 characters",
};

/**
 * The serviceName limit of each workload type, from the kinds its chart renders: the Helm
 * release (53) for all, the StatefulSet (52) where the chart renders one (stateful
 * containers always; the inference types when modelStorage has a size and ReadWriteOnce).
 * No chart renders a CronJob.
 */
export const SERVICE_NAME_LIMITS: Readonly<
  Record<WorkloadType, ServiceNameLimit>
> = {
  BASIC_CONTAINER_LOAD: HELM_RELEASE_LIMIT,
  BASIC_CONTAINER_ROLLOUT: HELM_RELEASE_LIMIT,
  STATEFUL_CONTAINER_LOAD: STATEFUL_SET_LIMIT,
  ML_INFERENCE_LOAD: STATEFUL_SET_LIMIT,
  OLLAMA_INFERENCE_LOAD: STATEFUL_SET_LIMIT,
};

/** The serviceName field of a workload type, with its length limit (SERVICE_NAME_LIMITS). */
export function serviceNameField(type: WorkloadType) {
  const { max, reason } = SERVICE_NAME_LIMITS[type];
  // the Kubernetes Service is named after it, and Service names are DNS-1035 labels
  return dnsLabel('service name', max, {
    startsWithLetter: true,
    maxLengthReason: reason,
  }).meta({
    title: 'Service name',
    description: `Name of the service: the Helm release, Kubernetes objects and leaf file are named after it (a DNS label starting with a letter, at most ${max} characters)`,
    examples: ['ollama-phi'],
  });
}

// ---------------------------------------------------------------------------------------
// Resources

const resourceAmounts = (what: string) =>
  z
    .strictObject({
      cpu: quantity('500m')
        .optional()
        .meta({
          description: 'CPU in cores ("2") or millicores ("500m")',
          examples: ['500m'],
        }),
      memory: quantity('2Gi')
        .optional()
        .meta({
          description:
            'Memory in bytes with a binary suffix, e.g. "2Gi", "512Mi"',
          examples: ['2Gi'],
        }),
    })
    .meta({ description: what });

export const resourcesSchema = z
  .strictObject({
    requests: resourceAmounts(
      'What the scheduler reserves for each replica',
    ).optional(),
    limits: resourceAmounts('The most each replica may use').optional(),
  })
  .superRefine((resources, ctx) => {
    for (const side of ['requests', 'limits'] as const) {
      const memory = resources[side]?.memory;
      // a zero is already reported by the field ("must be more than 0")
      if (
        typeof memory === 'string' &&
        /^[0-9.]+m$/.test(memory) &&
        parseQuantity(memory) !== 0
      ) {
        ctx.addIssue({
          code: 'custom',
          path: [side, 'memory'],
          input: memory,
          message: `"${memory}" is ${memory.slice(0, -1)} thousandths of a byte ("m" means milli); write "${memory.slice(0, -1)}Mi" for mebibytes`,
        });
      }
      const cpu = resources[side]?.cpu;
      if (
        typeof cpu === 'string' &&
        /[KMGTPE]i$/.test(cpu) &&
        parseQuantity(cpu) !== 0
      ) {
        ctx.addIssue({
          code: 'custom',
          path: [side, 'cpu'],
          input: cpu,
          message: `CPU is counted in cores ("2") or millicores ("500m"), not bytes; got "${cpu}"`,
        });
      }
    }
    for (const resource of ['cpu', 'memory'] as const) {
      const request = resources.requests?.[resource];
      const limit = resources.limits?.[resource];
      if (request === undefined || limit === undefined) continue;
      const r = parseQuantity(request)!;
      const l = parseQuantity(limit)!;
      if (l < r) {
        ctx.addIssue({
          code: 'custom',
          path: ['limits', resource],
          input: limit,
          message: `must be at least the request (${describeValue(request)}); got ${describeValue(limit)}`,
        });
      }
    }
  })
  .meta({
    title: 'Resources',
    description:
      'CPU and memory for each replica. Leave out to use resourcePreset (or the cluster defaults).',
  });

// ---------------------------------------------------------------------------------------
// Environment and secret references

const envValue = z.union([z.string(), z.number(), z.boolean()], {
  error: iss =>
    `must be a string, a number or true/false (quote other values); got ${describeValue(iss.input)}`,
});

const SECRET_NAME_SEGMENTS = new Set([
  'PASSWORD',
  'PASSWD',
  'PASS',
  'PWD',
  'SECRET',
  'TOKEN',
  'APIKEY',
  'CREDENTIALS',
  'CREDENTIAL',
  'PRIVATEKEY',
]);
// [pattern, what it looks like, shortest match]: a length written as a counter ({40,}) is
// more than the ReDoS lint's checker can decide in time, so the long ones give it here.
const SECRET_VALUE_PATTERNS: [RegExp, string, number?][] = [
  [/^hf_[A-Za-z0-9]{30,}$/, 'a Hugging Face token'],
  [/^gh[pousr]_[A-Za-z0-9]{36,}$/, 'a GitHub token'],
  [/^github_pat_\w+$/, 'a GitHub token', 'github_pat_'.length + 40],
  [/^sk-[A-Za-z0-9_-]{20,}$/, 'an API key'],
  [/^AKIA[0-9A-Z]{16}$/, 'an AWS access key'],
  [/^xox[abpr]-[A-Za-z0-9-]{10,}$/, 'a Slack token'],
  [/^-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
];

/**
 * Name segments that end a credential's name when written without "_": PGPASSWORD,
 * MYSQLPASSWORD, APITOKEN, CLIENTSECRET.
 */
const SECRET_NAME_ENDINGS = ['PASSWORD', 'PASSWD', 'TOKEN', 'SECRET'];

/** Whether an environment variable's name is a common credential name (see the README). */
export function isCredentialName(name: string): boolean {
  const segments = name.toUpperCase().split('_');
  const joined = segments.map((s, i) => s + (segments[i + 1] ?? ''));
  return (
    segments.some(
      s =>
        SECRET_NAME_SEGMENTS.has(s) ||
        SECRET_NAME_ENDINGS.some(e => s.length > e.length && s.endsWith(e)),
    ) || joined.some(s => SECRET_NAME_SEGMENTS.has(s))
  );
}

/**
 * Whether a value is a URL with a password in it (`scheme://user:password@host...`), as in
 * `DATABASE_URL=postgres://app:hunter2@db/orders`. Linear: a few indexOf calls, no pattern.
 */
export function urlHasPassword(value: string): boolean {
  const scheme = value.indexOf('://');
  if (scheme <= 0) return false;
  const start = scheme + 3;
  let end = value.length;
  for (const stop of ['/', '?', '#']) {
    const at = value.indexOf(stop, start);
    if (at !== -1 && at < end) end = at;
  }
  const at = value.lastIndexOf('@', end - 1);
  if (at < start) return false;
  const colon = value.indexOf(':', start);
  return colon !== -1 && colon < at - 1;
}

/** Why an environment variable looks like it carries a secret, or undefined. */
export function secretLikeEnvironment(
  name: string,
  value: unknown,
): string | undefined {
  if (isCredentialName(name)) {
    if (value === '' || typeof value === 'boolean') return undefined;
    return `its name says it holds a secret`;
  }
  if (typeof value === 'string') {
    if (urlHasPassword(value))
      return 'its value is a URL with a password in it (user:password@)';
    const hit = SECRET_VALUE_PATTERNS.find(
      ([re, , min = 0]) => value.length >= min && re.test(value),
    );
    if (hit) return `its value looks like ${hit[1]}`;
  }
  return undefined;
}

export const SECRET_KEY_PATTERN = '^[-._a-zA-Z0-9]+$';
export const VAULT_PATH_PATTERN =
  '^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$';

const secretKey = z
  .string()
  .max(253)
  .regex(new RegExp(SECRET_KEY_PATTERN), {
    error: iss =>
      `must be a key in the secret (letters, digits, "-", "_", "."), e.g. "token"; got ${describeValue(iss.input)}`,
  });

/**
 * Names starting with it are the charts' own (WC_OLLAMA_CONFIG and the other variables of
 * the Ollama model preparation): refused in every workload type, whichever a chart sets today.
 */
export const RESERVED_ENVIRONMENT_PREFIX = 'WC_';

/**
 * The JSON Schema side of the name rules (for the charts' values.schema.json, so Helm refuses
 * them too): none of the refused names (GPU device variables, the chart's own) and not the
 * charts' reserved prefix. The zod side gives the messages (see nameCheck).
 */
function refusedNames(refused: readonly string[]) {
  return {
    not: {
      anyOf: [
        ...(refused.length ? [{ enum: [...refused] }] : []),
        { type: 'string', pattern: `^${RESERVED_ENVIRONMENT_PREFIX}` },
      ],
    },
  };
}

/** A secret reference whose name is none of `refused` (see refusedNames). */
export const secretRefSchemaOf = (refused: readonly string[]) =>
  z
    .strictObject({
      name: envName().meta({
        description: 'Environment variable the secret is exposed as',
        examples: ['HF_TOKEN'],
        ...refusedNames(refused),
      }),
      secretKeyRef: z
        .strictObject({
          name: dnsSubdomain('Kubernetes Secret name').meta({
            description: 'An existing Secret in the workload namespace',
          }),
          key: secretKey.meta({ description: 'The key inside that Secret' }),
        })
        .optional()
        .meta({ description: 'Reference to an existing Kubernetes Secret' }),
      vault: z
        .strictObject({
          path: z
            .string()
            .max(512)
            .regex(new RegExp(VAULT_PATH_PATTERN), {
              error: iss =>
                `must be a Vault secret path such as "secret/data/ml/hf" (segments of letters, digits, "-", "_", ".", no ".."); got ${describeValue(iss.input)}`,
            })
            .meta({
              description: 'Path of the secret in Vault (KV v2)',
              examples: ['secret/data/ml/hf'],
            }),
          key: secretKey.meta({
            description: 'The key inside that Vault secret',
          }),
        })
        .optional()
        .meta({
          description:
            'Reference to a Vault secret, synced by the External Secrets Operator',
        }),
    })
    .superRefine((ref, ctx) => {
      const count = (ref.secretKeyRef ? 1 : 0) + (ref.vault ? 1 : 0);
      if (count !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            count === 0
              ? 'needs a reference: either secretKeyRef {name, key} (an existing Secret) or vault {path, key}'
              : 'must have either secretKeyRef or vault, not both',
        });
      }
    })
    .meta({
      description:
        'A secret exposed as an environment variable. Only a reference: the value stays in the Secret or in Vault.',
      oneOf: [{ required: ['secretKeyRef'] }, { required: ['vault'] }],
    });

export const secretRefSchema = secretRefSchemaOf([]);

// ---------------------------------------------------------------------------------------
// Container

// ---------------------------------------------------------------------------------------
// container.environment: a mapping (NAME: value) or a list of {name, value}

/**
 * A rule a workload type adds for its environment variables (and secret names): a problem
 * with the variable's name or with its value, or undefined when it is fine.
 */
export type EnvironmentCheck = (
  name: string,
  value: unknown,
) => { on: 'name' | 'value'; message: string } | undefined;

/** One variable of container.environment as written: where its name and value are. */
export interface EnvironmentEntry {
  name: string;
  value: unknown;
  /** Relative to container.environment: `[NAME]` in the mapping, `[i, 'name']` in the list. */
  namePath: (string | number)[];
  valuePath: (string | number)[];
}

/**
 * The variables of container.environment in either form, in the order written. List items
 * without a string name are left out (the schema reports them).
 */
export function environmentEntries(env: unknown): EnvironmentEntry[] {
  if (Array.isArray(env)) {
    const out: EnvironmentEntry[] = [];
    env.forEach((item, i) => {
      if (item && typeof item === 'object' && typeof item.name === 'string') {
        out.push({
          name: item.name,
          value: item.value,
          namePath: [i, 'name'],
          valuePath: [i, 'value'],
        });
      }
    });
    return out;
  }
  if (env === null || typeof env !== 'object') return [];
  return Object.entries(env).map(([name, value]) => ({
    name,
    value,
    namePath: [name],
    valuePath: [name],
  }));
}

/**
 * container.environment in its canonical form, the mapping (see the package README): a
 * list of {name, value} with each name once becomes NAME: value in the list's order.
 * Anything else is returned as it is.
 */
export function environmentMapping(env: unknown): unknown {
  if (!Array.isArray(env)) return env;
  const out: Record<string, unknown> = {};
  for (const item of env) {
    if (
      !item ||
      typeof item !== 'object' ||
      typeof item.name !== 'string' ||
      Object.prototype.hasOwnProperty.call(out, item.name)
    )
      return env;
    out[item.name] = item.value;
  }
  return out;
}

const ENVIRONMENT_DESCRIPTION =
  'Plain (non-secret) environment variables, e.g. runtime tuning such as OLLAMA_KEEP_ALIVE, as a mapping NAME: value or as a list of {name, value} (each name once). Secrets go in secrets.';

const environmentVariableSchema = (refused: readonly string[]) =>
  z
    .strictObject(
      {
        name: envName().meta({
          description: 'Name of the variable',
          examples: ['LOG_LEVEL'],
          ...refusedNames(refused),
        }),
        value: z
          .union([z.string(), z.number(), z.boolean()], {
            error: iss =>
              iss.input === undefined
                ? 'is required: the value of the variable (write "" for an empty one)'
                : `must be a string, a number or true/false (quote other values); got ${describeValue(iss.input)}`,
          })
          .meta({ description: 'Value of the variable' }),
      },
      {
        error: iss =>
          iss.code === 'invalid_type'
            ? `must be a variable {name, value}, e.g. {name: LOG_LEVEL, value: info}; got ${describeValue(iss.input)}`
            : undefined,
      },
    )
    .meta({ title: 'Variable' });

/**
 * container.environment. Both forms follow the same rules: names are environment variable
 * names, each once; values are strings, numbers or true/false; no plaintext secrets; and the
 * workload type's own rules (`check`: variables its chart sets, known settings). Every
 * problem names the variable where it is written (`container.environment.NAME`, or
 * `container.environment[2].name` / `[2].value`). The parsed leaf holds the mapping.
 */
export function environmentSchema(
  check?: EnvironmentCheck,
  refused: readonly string[] = [],
) {
  return z
    .union(
      [
        z.record(envName().meta(refusedNames(refused)), envValue),
        z.array(environmentVariableSchema(refused)).max(200),
      ],
      {
        error: iss =>
          iss.input === undefined
            ? undefined
            : `must be a mapping of variables (NAME: value) or a list of {name, value}; got ${describeValue(iss.input)}`,
      },
    )
    .meta({
      examples: [{ LOG_LEVEL: 'info' }, [{ name: 'LOG_LEVEL', value: 'info' }]],
    })
    .superRefine((env, ctx) => {
      const first = new Map<string, (string | number)[]>();
      for (const entry of environmentEntries(env)) {
        const { name, value } = entry;
        const earlier = first.get(name);
        if (earlier) {
          ctx.addIssue({
            code: 'custom',
            path: entry.namePath,
            input: name,
            message: `"${name}" is already set at container.environment${formatPath(earlier.slice(0, 1))}; each variable once`,
          });
          continue;
        }
        first.set(name, entry.namePath);
        const secret = secretLikeEnvironment(name, value);
        if (secret) {
          ctx.addIssue({
            code: 'custom',
            path: secret.startsWith('its name')
              ? entry.namePath
              : entry.valuePath,
            message: `${secret}: plaintext secrets are not allowed in a leaf; add it to container.secrets as a reference (secretKeyRef or vault)`,
          });
        }
        const problem = check?.(name, value);
        if (problem) {
          ctx.addIssue({
            code: 'custom',
            path: problem.on === 'name' ? entry.namePath : entry.valuePath,
            message: problem.message,
          });
        }
      }
    })
    .transform(
      env =>
        environmentMapping(env) as Record<string, string | number | boolean>,
    )
    .optional()
    .meta({ description: ENVIRONMENT_DESCRIPTION });
}

/** Variables a chart sets itself, with why: neither a variable nor a secret may set them. */
export type ManagedEnvironment = Readonly<Record<string, string>>;

/** A managed name: the check for container.environment and container.secrets. */
export function managedVariableCheck(
  managed: ManagedEnvironment,
): EnvironmentCheck {
  return name =>
    Object.prototype.hasOwnProperty.call(managed, name)
      ? {
          on: 'name',
          message: `is set by the chart (${managed[name]}); remove it`,
        }
      : undefined;
}

/**
 * GPU visibility and device variables, refused in every workload type, in container.environment
 * and as secret names. The GPU device plugin (NVIDIA's, AMD's, Intel's) sets them in each
 * container to the GPUs the scheduler gave the pod; a container that sets them itself can
 * see GPUs it was not given (NVIDIA_VISIBLE_DEVICES=all makes the NVIDIA container runtime
 * mount every GPU of the node) or hide and renumber the ones it was given.
 */
export const GPU_DEVICE_ENVIRONMENT: ManagedEnvironment = {
  NVIDIA_VISIBLE_DEVICES:
    'the NVIDIA device plugin sets it to the GPUs given to the pod; "all" would expose every GPU of the node',
  NVIDIA_DRIVER_CAPABILITIES:
    'the NVIDIA device plugin and container toolkit choose the driver features the container gets',
  NVIDIA_MIG_CONFIG_DEVICES:
    'it lets the container reconfigure MIG devices; "all" would mean every GPU of the node',
  NVIDIA_MIG_MONITOR_DEVICES:
    'it lets the container monitor MIG devices; "all" would mean every GPU of the node',
  NVIDIA_REQUIRE_CUDA:
    'the NVIDIA container toolkit checks it against the node driver; the image sets it',
  CUDA_VISIBLE_DEVICES:
    'it hides or renumbers the GPUs the NVIDIA device plugin gave the pod',
  CUDA_DEVICE_ORDER:
    'it renumbers the GPUs the NVIDIA device plugin gave the pod',
  HIP_VISIBLE_DEVICES:
    'it hides or renumbers the GPUs the AMD device plugin gave the pod',
  ROCR_VISIBLE_DEVICES:
    'it hides or renumbers the GPUs the AMD device plugin gave the pod',
  GPU_DEVICE_ORDINAL:
    'it hides or renumbers the GPUs the AMD device plugin gave the pod',
  ZE_AFFINITY_MASK:
    'it hides or renumbers the GPUs the Intel device plugin gave the pod',
  ONEAPI_DEVICE_SELECTOR:
    'it hides or renumbers the GPUs the Intel device plugin gave the pod',
};

/** A GPU device variable (GPU_DEVICE_ENVIRONMENT): the check for every workload type. */
export const gpuDeviceVariableCheck: EnvironmentCheck = name =>
  Object.prototype.hasOwnProperty.call(GPU_DEVICE_ENVIRONMENT, name)
    ? {
        on: 'name',
        message: `is a GPU device variable (${GPU_DEVICE_ENVIRONMENT[name]}); remove it: the device plugin gives a pod its GPUs from the resource request (gpu.count in the inference types)`,
      }
    : undefined;

const reservedPrefixCheck: EnvironmentCheck = name =>
  name.startsWith(RESERVED_ENVIRONMENT_PREFIX)
    ? {
        on: 'name',
        message: `is reserved: names starting with "${RESERVED_ENVIRONMENT_PREFIX}" are the Workload Catalog charts' own variables; choose another name`,
      }
    : undefined;

/**
 * The name rules of a workload type, for container.environment and container.secrets alike:
 * GPU device variables, the variables its chart sets, then the charts' reserved prefix.
 */
function nameCheck(rules: ContainerRules): EnvironmentCheck {
  const managed = rules.managed && managedVariableCheck(rules.managed);
  return (name, value) =>
    gpuDeviceVariableCheck(name, value) ??
    managed?.(name, value) ??
    reservedPrefixCheck(name, value);
}

// ---------------------------------------------------------------------------------------
// Container

/** What a workload type adds to the container rules: names its chart sets, its own settings. */
export interface ContainerRules {
  /** Variables the chart sets: refused in environment and as secret names. */
  managed?: ManagedEnvironment;
  /** More rules for each environment variable (after the managed names). */
  check?: EnvironmentCheck;
  /**
   * The chart checks the managed names itself, with the schema's message (Ollama's
   * ollama.validate): its values.schema.json then leaves them to it, since Helm's schema
   * message would only say "'not' failed".
   */
  chartChecksManaged?: boolean;
}

/** Fields of `container` that every workload type has. */
const containerCommon = (rules: ContainerRules = {}) => {
  const names = nameCheck(rules);
  const check: EnvironmentCheck = (name, value) =>
    names(name, value) ?? rules.check?.(name, value);
  const refused = [
    ...new Set([
      ...Object.keys(GPU_DEVICE_ENVIRONMENT),
      ...(rules.chartChecksManaged ? [] : Object.keys(rules.managed ?? {})),
    ]),
  ];
  return {
    replicas: z
      .number({ error: typeError('must be a whole number') })
      .int({
        error: iss => `must be a whole number; got ${describeValue(iss.input)}`,
      })
      .min(0, { error: 'must be at least 0' })
      .max(100, { error: 'must be at most 100' })
      .default(1)
      .meta({ description: 'Number of pods', examples: [1] }),
    resources: resourcesSchema.optional(),
    resourcePreset: z.enum(RESOURCE_PRESET_NAMES).optional().meta({
      // generated from the presets' numbers and the model table (models/presets.ts)
      description: presetsSummary(),
    }),
    environment: environmentSchema(check, refused),
    secrets: z.array(secretRefSchemaOf(refused)).max(50).optional().meta({
      description:
        'Secrets exposed as environment variables, by reference only',
    }),
  };
};

/** Checks on `container` that involve more than one field. */
export function checkContainer(
  container: {
    resources?: unknown;
    resourcePreset?: unknown;
    environment?: Record<string, unknown>;
    secrets?: { name: string }[];
  },
  ctx: z.RefinementCtx,
  rules: ContainerRules = {},
) {
  if (
    container.resources !== undefined &&
    container.resourcePreset !== undefined
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['resourcePreset'],
      message: 'set either resources or resourcePreset, not both',
    });
  }
  const env = container.environment ?? {};
  const names = nameCheck(rules);
  const seen = new Set<string>();
  (container.secrets ?? []).forEach((secret, i) => {
    if (Object.prototype.hasOwnProperty.call(env, secret.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['secrets', i, 'name'],
        message: `"${secret.name}" is also set in container.environment; keep one`,
      });
    }
    if (seen.has(secret.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['secrets', i, 'name'],
        message: `"${secret.name}" is listed twice`,
      });
    }
    seen.add(secret.name);
    const problem = names(secret.name, undefined);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        path: ['secrets', i, 'name'],
        message: problem.message,
      });
    }
  });
}

const CONTAINER_JSON_SCHEMA_RULES = {
  not: { required: ['resources', 'resourcePreset'] },
};

/** The container of an application workload: the image is the user's. */
export const appContainerSchema = z
  .strictObject({
    image: imageRef().meta({
      description: 'Container image; pin a version tag or digest',
      examples: ['ghcr.io/acme/orders-api:1.4.2'],
    }),
    port: z
      .number()
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be a port number from 1 to 65535' })
      .max(65535, { error: 'must be a port number from 1 to 65535' })
      .default(8080)
      .meta({ description: 'Port the container listens on (HTTP)' }),
    healthPath: urlPath()
      .optional()
      .meta({
        description:
          'HTTP path that answers 200 when the service is ready; without it readiness is a TCP check on the port',
        examples: ['/healthz'],
      }),
    command: z
      .array(z.string())
      .max(64)
      .optional()
      .meta({ description: "Overrides the image's entrypoint" }),
    args: z
      .array(z.string())
      .max(256)
      .optional()
      .meta({ description: 'Arguments to the entrypoint' }),
    ...containerCommon(),
  })
  .superRefine((container, ctx) => checkContainer(container, ctx))
  .meta({ title: 'Container', ...CONTAINER_JSON_SCHEMA_RULES });

/** The container of an inference workload: the chart picks and pins the server image. */
export const inferenceContainerSchema = (
  defaultImageNote: string,
  rules: ContainerRules = {},
) =>
  z
    .strictObject({
      image: imageRef()
        .optional()
        .meta({
          description: `Server image; leave out for the chart's pinned ${defaultImageNote}`,
        }),
      ...containerCommon(rules),
    })
    .superRefine((container, ctx) => checkContainer(container, ctx, rules))
    .meta({ title: 'Container', ...CONTAINER_JSON_SCHEMA_RULES });

// ---------------------------------------------------------------------------------------
// Ingress

export const ingressSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .meta({ description: 'Expose the service outside the cluster' }),
    host: hostname()
      .optional()
      .meta({
        description: 'Host name clients use (no scheme, no path)',
        examples: ['text.example.com'],
      }),
    path: routePath().default('/').meta({
      description:
        'Path prefix routed to the service: starts with "/", no "." or ".." segments, no "//", no percent-escapes, "?" or "#" (Gateway API HTTPRoute rules)',
    }),
    paths: z
      .array(routePath())
      .min(1, {
        error: 'must name at least one path; leave it out for the default',
      })
      .max(32, { error: 'must name at most 32 paths' })
      .optional()
      .meta({
        description:
          'The paths the route sends to the service, instead of path: one ending in "/" is a prefix, any other matches exactly. Leave out for the default: an inference server\'s inference endpoints (never its model management), a container\'s path. An inference type may name only its inference endpoints and the paths the platform policy adds for the catalog (ingress.extraPaths).',
        examples: [['/v1/', '/api/tags']],
      }),
    tls: z
      .strictObject({
        enabled: z.boolean().default(true).meta({ description: 'Serve HTTPS' }),
        secretName: dnsSubdomain('TLS Secret name').optional().meta({
          description:
            'An existing TLS Secret; leave out to have cert-manager issue a certificate for the host',
        }),
      })
      .optional()
      .meta({ description: 'HTTPS for the host (on unless disabled)' }),
  })
  .superRefine((ingress, ctx) => {
    if (ingress.enabled && !ingress.host) {
      ctx.addIssue({
        code: 'custom',
        path: ['host'],
        message:
          'is required when ingress.enabled is true: the host name clients use, e.g. "text.example.com"',
      });
    }
  })
  .meta({
    title: 'Ingress',
    description: 'Route external HTTP(S) traffic to the service',
    if: { properties: { enabled: { const: true } }, required: ['enabled'] },
    then: { required: ['host'] },
  });

// ---------------------------------------------------------------------------------------
// Identity and placement: the first fields of every leaf

export const identityFields = {
  serviceName: serviceNameField('BASIC_CONTAINER_LOAD'),
  serviceCatalog: dnsLabel('catalog name').meta({
    title: 'Catalog',
    description:
      'The catalog (Backstage system) the service belongs to; a folder in the catalog repo',
    examples: ['ml-inference'],
  }),
  namespace: dnsLabel('Kubernetes namespace').meta({
    title: 'Namespace',
    description: 'Kubernetes namespace the workload runs in',
    examples: ['ml-workloads'],
  }),
  environment: dnsLabel('environment name').meta({
    title: 'Environment',
    description:
      'Deployment environment, e.g. dev, staging, prod (the platform may restrict the list)',
    examples: ['dev'],
  }),
  owner: entityRef()
    .optional()
    .meta({
      title: 'Owner',
      description: 'Backstage group or user that owns the service',
      examples: ['group:default/ml-platform'],
    }),
  description: z
    .string()
    .max(500)
    .optional()
    .meta({ description: 'One line on what the service is for' }),
};

/** The identity fields with the serviceName of a workload type (its length limit). */
export const identityFieldsOf = (type: WorkloadType) => ({
  ...identityFields,
  serviceName: serviceNameField(type),
});

// ---------------------------------------------------------------------------------------
// Storage, shared by stateful and inference workloads

export const accessModeSchema = z
  .enum(['ReadWriteOnce', 'ReadWriteMany'])
  .default('ReadWriteOnce')
  .meta({
    description:
      'ReadWriteOnce: one volume per replica. ReadWriteMany: one volume shared by all replicas (needs a storage class that supports it)',
  });

export const storageSchema = z
  .strictObject({
    size: quantity('10Gi').meta({
      description: 'Volume size per replica',
      examples: ['10Gi'],
    }),
    mountPath: absolutePath('/var/lib/data').meta({
      description: 'Where the volume is mounted in the container',
      examples: ['/var/lib/data'],
    }),
    storageClassName: dnsSubdomain('storage class name').optional().meta({
      description: "Storage class; leave out for the cluster's default",
    }),
    accessMode: accessModeSchema,
  })
  .meta({
    title: 'Storage',
    description: 'A persistent volume for each replica',
  });

export { withUi };
