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
  urlPath,
  withUi,
} from './fields';
import { parseQuantity } from './quantity';

export { WORKLOAD_TYPES, type WorkloadType } from './workloadTypes';

/** Helm release names are limited to 53 characters, and the service name is the release name. */
export const SERVICE_NAME_MAX_LENGTH = 53;

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
      if (typeof memory === 'string' && /^[0-9.]+m$/.test(memory)) {
        ctx.addIssue({
          code: 'custom',
          path: [side, 'memory'],
          input: memory,
          message: `"${memory}" is ${memory.slice(0, -1)} thousandths of a byte ("m" means milli); write "${memory.slice(0, -1)}Mi" for mebibytes`,
        });
      }
      const cpu = resources[side]?.cpu;
      if (typeof cpu === 'string' && /[KMGTPE]i$/.test(cpu)) {
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

/** Why an environment variable looks like it carries a secret, or undefined. */
export function secretLikeEnvironment(
  name: string,
  value: unknown,
): string | undefined {
  const segments = name.toUpperCase().split('_');
  const joined = segments.map((s, i) => s + (segments[i + 1] ?? ''));
  if (
    segments.some(s => SECRET_NAME_SEGMENTS.has(s)) ||
    joined.some(s => SECRET_NAME_SEGMENTS.has(s))
  ) {
    if (value === '' || typeof value === 'boolean') return undefined;
    return `its name says it holds a secret`;
  }
  if (typeof value === 'string') {
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

export const secretRefSchema = z
  .strictObject({
    name: envName().meta({
      description: 'Environment variable the secret is exposed as',
      examples: ['HF_TOKEN'],
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

const environmentVariableSchema = z
  .strictObject(
    {
      name: envName().meta({
        description: 'Name of the variable',
        examples: ['LOG_LEVEL'],
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
export function environmentSchema(check?: EnvironmentCheck) {
  return z
    .union(
      [
        z.record(envName(), envValue),
        z.array(environmentVariableSchema).max(200),
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

// ---------------------------------------------------------------------------------------
// Container

/** What a workload type adds to the container rules: names its chart sets, its own settings. */
export interface ContainerRules {
  /** Variables the chart sets: refused in environment and as secret names. */
  managed?: ManagedEnvironment;
  /** More rules for each environment variable (after the managed names). */
  check?: EnvironmentCheck;
}

/** Fields of `container` that every workload type has. */
const containerCommon = (rules: ContainerRules = {}) => {
  const managed = rules.managed && managedVariableCheck(rules.managed);
  const check: EnvironmentCheck | undefined =
    managed || rules.check
      ? (name, value) => managed?.(name, value) ?? rules.check?.(name, value)
      : undefined;
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
    environment: environmentSchema(check),
    secrets: z.array(secretRefSchema).max(50).optional().meta({
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
  const managed = rules.managed && managedVariableCheck(rules.managed);
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
    const problem = managed?.(secret.name, undefined);
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
    path: urlPath()
      .default('/')
      .meta({ description: 'Path prefix routed to the service' }),
    paths: z
      .array(urlPath())
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
  // the Kubernetes Service is named after it, and Service names are DNS-1035 labels
  serviceName: dnsLabel('service name', SERVICE_NAME_MAX_LENGTH, {
    startsWithLetter: true,
  }).meta({
    title: 'Service name',
    description: `Name of the service: the Helm release, Kubernetes objects and leaf file are named after it (a DNS label starting with a letter, at most ${SERVICE_NAME_MAX_LENGTH} characters)`,
    examples: ['ollama-phi'],
  }),
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
