/*
 * Files generated into the Helm charts (charts/) from the zod schemas and the models:
 *
 * - charts/<type>/values.schema.json: the leaf's JSON Schema of that workload type, plus the
 *   `platform` key (platform values, set by the platform team through the ApplicationSet and
 *   never by a leaf) and the key Helm itself adds for the library chart dependency.
 * - charts/<type>/values.yaml: the platform defaults (and nothing of the leaf: a leaf's own
 *   defaults are applied at render time, see below, so that Helm's schema check sees the
 *   leaf as written, exactly like the CLI does).
 * - charts/workload-lib/templates/_generated.tpl: the zod defaults of every workload type
 *   (applied by `workload-lib.leaf`), the resource presets, the Ollama runtime settings and
 *   the rules the chart checks at render time that JSON Schema cannot express.
 *
 * A test (artifacts.test.ts) fails when a committed file differs from what this produces.
 */
import { stringify } from 'yaml';
import { z } from 'zod';
import {
  OLLAMA_ENVIRONMENT,
  OLLAMA_MANAGED_ENVIRONMENT,
} from '../models/ollamaEnvironment';
import {
  OLLAMA_DEFAULT_HOST,
  OLLAMA_DEFAULT_NAMESPACE,
  OLLAMA_DEFAULT_TAG,
  OLLAMA_REGISTRY_HOST_PATTERN,
} from '../models/ollamaRef';
import { RESOURCE_PRESETS } from '../models/presets';
import { WORKLOAD_TYPES, type WorkloadType } from '../schema/base';
import {
  DNS_LABEL_PATTERN,
  DNS_SUBDOMAIN_PATTERN,
  URL_PATH_PATTERN,
  imageRef,
} from '../schema/fields';
import { SERVER_ENDPOINTS } from '../schema/exposure';
import {
  DEFAULT_MAX_GPU_COUNT,
  GPU_COUNT_LIMIT,
  LABEL_VALUE_PATTERN,
} from '../schema/inference';
import { leafSchemasByType, workloadTypeSlug } from '../schema/leaf';

/** The library chart every workload chart depends on (the key Helm adds to the values). */
export const LIBRARY_CHART_NAME = 'workload-lib';

/** Server images the charts run when a leaf does not name one; pinned by version. */
export const DEFAULT_IMAGES = {
  ollama: 'docker.io/ollama/ollama:0.18.2',
  tgi: 'ghcr.io/huggingface/text-generation-inference:3.3.4',
} as const;

// ---------------------------------------------------------------------------------------
// Platform values: what the platform team decides, not the leaf author.

const dnsLabel = z.string().regex(new RegExp(DNS_LABEL_PATTERN));
const dnsSubdomain = z
  .string()
  .max(253)
  .regex(new RegExp(DNS_SUBDOMAIN_PATTERN));
const labelValue = z.string().max(63).regex(new RegExp(LABEL_VALUE_PATTERN));
const labelKey = z
  .string()
  .max(317)
  .regex(
    // eslint-disable-next-line redos/no-vulnerable -- build time only: emitted into the charts' values.schema.json, which Helm matches with Go's linear-time regexp
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
  );

const tolerationSchema = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().optional(),
});

const goDuration = z.string().regex(/^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/);

/**
 * Autoscaling (leaf `autoscaling`): where the KEDA HTTP add-on's interceptor and the
 * Prometheus server are. In every chart's platform values so the ApplicationSet can set
 * them once for all types; the inference charts read them.
 */
const autoscalingPlatform = z
  .strictObject({
    httpAddOn: z
      .strictObject({
        interceptor: z
          .strictObject({
            name: dnsSubdomain.default('keda-add-ons-http-interceptor-proxy'),
            namespace: dnsLabel.default('keda'),
            port: z.number().int().min(1).max(65535).default(8080),
          })
          .prefault({})
          .meta({
            description:
              "The add-on's interceptor proxy Service (names of its Helm chart): an Ollama leaf's route with autoscaling points at it. Gateway mode needs a ReferenceGrant in its namespace from the workload namespaces",
          }),
        conditionWait: goDuration.default('10m').meta({
          description:
            'How long the interceptor holds a request while a replica starts (HTTPScaledObject timeouts.conditionWait): covers a cold start',
        }),
        responseHeader: goDuration.default('10m').meta({
          description:
            'How long the interceptor waits for response headers (timeouts.responseHeader): a model answers slowly',
        }),
      })
      .prefault({})
      .meta({ description: 'KEDA HTTP add-on (Ollama)' }),
    prometheus: z
      .strictObject({
        serverAddress: z
          .url()
          .default('http://prometheus-operated.monitoring.svc:9090')
          .meta({
            description:
              "Prometheus the KEDA trigger queries for TGI's tgi_queue_size",
          }),
        serviceMonitorLabels: z.record(labelKey, labelValue).default({}).meta({
          description:
            "Labels the Prometheus operator's serviceMonitorSelector selects (e.g. release: kube-prometheus-stack)",
        }),
      })
      .prefault({})
      .meta({ description: 'Prometheus (TGI autoscaling)' }),
  })
  .prefault({});

const serviceRef = z.strictObject({
  name: dnsLabel,
  namespace: dnsLabel,
  port: z.number().int().min(1).max(65535),
});

/** Authentication in front of the routes (platform.ingress.auth). */
const authPlatform = z
  .strictObject({
    mode: z.enum(['none', 'oauth2-proxy', 'api-key']).default('none').meta({
      description:
        "none; oauth2-proxy: every request is checked by the platform's oauth2-proxy (ingress-nginx auth-url annotations, or an Envoy Gateway SecurityPolicy extAuth); api-key: Envoy Gateway SecurityPolicy apiKeyAuth with the keys in a Secret (mode gateway only)",
    }),
    workloadTypes: z
      .array(z.enum(WORKLOAD_TYPES))
      .default(['ML_INFERENCE_LOAD', 'OLLAMA_INFERENCE_LOAD'])
      .meta({
        description:
          'The workload types whose routes get the authentication (a leaf cannot turn it off); generic containers usually run their own',
      }),
    oauth2Proxy: z
      .strictObject({
        authUrl: z.url().optional().meta({
          description:
            'mode ingress: nginx.ingress.kubernetes.io/auth-url, e.g. https://auth.example.com/oauth2/auth',
        }),
        signinUrl: z.url().optional().meta({
          description:
            'mode ingress: nginx.ingress.kubernetes.io/auth-signin, e.g. https://auth.example.com/oauth2/start?rd=$escaped_request_uri',
        }),
        service: serviceRef.optional().meta({
          description:
            "mode gateway: oauth2-proxy's Service (its namespace needs a ReferenceGrant from SecurityPolicies)",
        }),
        path: z
          .string()
          .regex(new RegExp(URL_PATH_PATTERN))
          .default('/oauth2/auth'),
        headersToBackend: z
          .array(z.string().regex(/^[A-Za-z0-9-]+$/))
          .default(['x-auth-request-user', 'x-auth-request-email'])
          .meta({
            description: 'Headers of the auth answer passed on to the server',
          }),
      })
      .prefault({}),
    apiKey: z
      .strictObject({
        secretName: dnsSubdomain.optional().meta({
          description:
            "An existing Secret in the workload's namespace: one key per client id, its value the client's API key",
        }),
        vaultKeyPrefix: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/)
          .optional()
          .meta({
            description:
              'Or: the chart writes that Secret with an ExternalSecret from the Vault key <prefix>/<namespace>/<serviceName> (each property a client id, platform.externalSecrets store)',
          }),
        header: z
          .string()
          .regex(/^[A-Za-z0-9-]+$/)
          .default('x-api-key')
          .meta({ description: 'The request header that carries the key' }),
      })
      .prefault({}),
  })
  .prefault({});

const commonPlatform = {
  labels: z
    .record(labelKey, labelValue)
    .default({})
    .meta({ description: 'Extra labels on every object (e.g. cost centre)' }),
  ingress: z
    .strictObject({
      mode: z.enum(['gateway', 'ingress']).default('gateway').meta({
        description:
          'gateway: a Gateway API HTTPRoute; ingress: a networking.k8s.io Ingress',
      }),
      gateway: z
        .strictObject({
          name: dnsSubdomain.default('platform-gateway'),
          namespace: dnsLabel.default('gateway-system'),
          sectionName: dnsLabel
            .optional()
            .meta({ description: 'Listener of the Gateway to attach to' }),
        })
        .prefault({})
        .meta({ description: 'The shared Gateway the HTTPRoutes attach to' }),
      className: dnsSubdomain
        .optional()
        .meta({ description: 'IngressClass (mode ingress)' }),
      annotations: z
        .record(z.string(), z.string())
        .default({})
        .meta({ description: 'Extra annotations on the Ingress or HTTPRoute' }),
      extraPaths: z
        .array(z.string().max(1024).regex(new RegExp(URL_PATH_PATTERN)))
        .default([])
        .meta({
          description:
            "Paths the chart lets a leaf of an inference type route beyond the server's inference endpoints (e.g. /api/pull): the ceiling of the policy file's ingress.extraPaths, which says which catalogs may",
        }),
      auth: authPlatform,
    })
    .prefault({}),
  certManager: z
    .strictObject({
      enabled: z.boolean().default(true).meta({
        description:
          'Issue a Certificate for each TLS host that names no existing Secret',
      }),
      issuerKind: z.enum(['ClusterIssuer', 'Issuer']).default('ClusterIssuer'),
      issuerName: dnsSubdomain.default('letsencrypt'),
    })
    .prefault({}),
  externalSecrets: z
    .strictObject({
      secretStoreKind: z
        .enum(['ClusterSecretStore', 'SecretStore'])
        .default('ClusterSecretStore'),
      secretStoreName: dnsSubdomain.default('vault').meta({
        description:
          'The External Secrets Operator store that reads Vault (KV v2)',
      }),
      refreshInterval: z
        .string()
        .regex(/^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/)
        .default('1h'),
    })
    .prefault({}),
  autoscaling: autoscalingPlatform,
  podSecurity: z
    .strictObject({
      runAsUser: z
        .number()
        .int()
        .min(1)
        .default(1000)
        .meta({ description: 'Non-root user of every container' }),
      runAsGroup: z.number().int().min(1).default(1000),
      fsGroup: z.number().int().min(1).default(1000).meta({
        description:
          'Group that owns mounted volumes, so the non-root user can write them',
      }),
    })
    .prefault({}),
};

const gpuPlatform = z
  .strictObject({
    maxCount: z
      .number()
      .int()
      .min(0)
      .max(GPU_COUNT_LIMIT)
      .default(DEFAULT_MAX_GPU_COUNT)
      .meta({
        description:
          "The platform's GPU maximum per replica (the CLI's --max-gpus, Backstage's config)",
      }),
    resourceName: labelKey.default('nvidia.com/gpu'),
    runtimeClassName: z
      .union([dnsSubdomain, z.literal('')])
      .default('nvidia')
      .meta({ description: 'RuntimeClass of GPU pods ("" for none)' }),
    nodeSelector: z
      .record(labelKey, labelValue)
      .default({})
      .meta({ description: 'Extra node selector of GPU pods' }),
    tolerations: z
      .array(tolerationSchema)
      .default([
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ])
      .meta({
        description: 'Tolerations of GPU pods (GPU nodes are usually tainted)',
      }),
    productLabel: labelKey.default('nvidia.com/gpu.product').meta({
      description:
        'Node label that gpu.product selects on (set by GPU feature discovery)',
    }),
  })
  .prefault({});

const ollamaEnvDefaults = Object.fromEntries(
  Object.entries(OLLAMA_ENVIRONMENT)
    .filter(([, s]) => s.chartDefault !== undefined)
    .map(([name, s]) => [name, s.chartDefault!]),
);

const ollamaPlatform = z
  .strictObject({
    image: imageRef().default(DEFAULT_IMAGES.ollama),
    environment: z
      .partialRecord(
        z.enum(Object.keys(OLLAMA_ENVIRONMENT) as [string, ...string[]]),
        z.union([z.string(), z.number(), z.boolean()]),
      )
      .default(ollamaEnvDefaults)
      .meta({
        description:
          "Ollama runtime settings unless the leaf's container.environment sets them",
      }),
    refreshModels: z.boolean().default(false).meta({
      description:
        'Pull models already on the volume again at every start (follows moved tags; a digest pin still has to match). Off: a restart needs no registry.',
    }),
    serverStartSeconds: z.number().int().min(5).default(120).meta({
      description: 'How long the init container waits for `ollama serve`',
    }),
    registryMirror: z
      .strictObject({
        host: z
          .union([
            z.string().max(350).regex(new RegExp(OLLAMA_REGISTRY_HOST_PATTERN)),
            z.literal(''),
          ])
          .default('')
          .meta({
            description:
              'host[:port] of a registry that mirrors registry.ollama.ai: models of Ollama\'s registry are pulled from it (digest pins still checked), then named as the leaf names them ("" for none)',
          }),
        insecure: z.boolean().default(false).meta({
          description:
            'Pull from the mirror over plain HTTP or without verifying its certificate (ollama pull --insecure)',
        }),
      })
      .prefault({}),
    progressDeadlineSeconds: z.number().int().min(600).default(7200).meta({
      description:
        'Deployment progress deadline: covers the model pull in the init container',
    }),
  })
  .prefault({});

const tgiPlatform = z
  .strictObject({
    image: imageRef().default(DEFAULT_IMAGES.tgi),
    startupSeconds: z.number().int().min(60).default(7200).meta({
      description:
        'How long TGI may take to download and load the model before it is restarted',
    }),
    progressDeadlineSeconds: z.number().int().min(600).default(7800),
  })
  .prefault({});

const PLATFORM_EXTRAS: Partial<
  Record<WorkloadType, Record<string, z.ZodType>>
> = {
  OLLAMA_INFERENCE_LOAD: { gpu: gpuPlatform, ollama: ollamaPlatform },
  ML_INFERENCE_LOAD: { gpu: gpuPlatform, tgi: tgiPlatform },
};

/** The charts that read each type-specific platform section. */
const PLATFORM_SECTION_READERS: Record<string, string> = {
  gpu: 'the GPU charts (ollama-inference-load, ml-inference-load)',
  ollama: 'ollama-inference-load',
  tgi: 'ml-inference-load',
};

function platformSchema(type: WorkloadType) {
  const extra = PLATFORM_EXTRAS[type] ?? {};
  // One ApplicationSet gives every chart the same platform block, so a chart takes the
  // sections of the other types too and ignores them; the chart that reads a section checks it.
  const others = Object.fromEntries(
    Object.entries(PLATFORM_SECTION_READERS)
      .filter(([key]) => !(key in extra))
      .map(([key, readers]) => [
        key,
        z
          .record(z.string(), z.unknown())
          .optional()
          .meta({ description: `Read by ${readers} only; ignored here` }),
      ]),
  );
  return z
    .strictObject({ ...commonPlatform, ...others, ...extra })
    .prefault({})
    .meta({
      title: 'Platform values',
      description:
        'Set by the platform team (Argo CD ApplicationSet), never by a leaf: the CLI rejects this key in a leaf.',
    });
}

/** The platform values of a workload type's chart, defaults applied. */
export function platformDefaults(type: WorkloadType): Record<string, any> {
  return platformSchema(type).parse(undefined) as Record<string, any>;
}

// ---------------------------------------------------------------------------------------
// values.schema.json

type Json = Record<string, any>;

function jsonSchemaOf(schema: z.ZodType): Json {
  const { $schema, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
  }) as Json;
  return rest;
}

/**
 * The value the ApplicationSet computes from the leaf file's own keys and passes in its
 * valuesObject (which overrides the leaf): "false", or a sentence starting with "true" when
 * the leaf file has a `platform` key. Helm validates the merged values and cannot tell
 * which file a key came from; this value can, and values.schema.json requires "false".
 */
export const LEAF_SETS_PLATFORM_KEY = 'leafSetsPlatform';

/** values.schema.json of a workload type's chart: the leaf schema plus the platform key. */
export function chartValuesSchema(type: WorkloadType): Json {
  const leaf = z.toJSONSchema(leafSchemasByType[type], {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
  }) as Json;
  const { $schema, ...rest } = leaf;
  return {
    $schema,
    $id: `https://workload-catalog.dev/charts/${workloadTypeSlug(type)}/values.schema.json`,
    ...rest,
    properties: {
      ...rest.properties,
      platform: jsonSchemaOf(platformSchema(type)),
      [LEAF_SETS_PLATFORM_KEY]: {
        description:
          'Set by the Argo CD ApplicationSet from the leaf file\'s own keys (deploy/argocd/applicationset.yaml): "false", or the reason when the leaf file sets platform values, which only the platform team sets. Not a leaf field.',
        type: 'string',
        pattern: '^false$',
      },
      [LIBRARY_CHART_NAME]: {
        description:
          'Added by Helm for the library chart dependency ({"global": {}}); nothing to set here.',
        type: 'object',
        additionalProperties: false,
        properties: { global: { type: 'object', maxProperties: 0 } },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// values.yaml

/** values.yaml of a workload type's chart. */
export function chartValuesYaml(type: WorkloadType): string {
  return [
    '# GENERATED by `yarn generate` from plugins/workload-catalog-common (src/generate/charts.ts).',
    '# Do not edit: a test fails when this file drifts from the schemas.',
    '#',
    `# The values of this chart are one catalog leaf of type ${type}, unchanged: -f leaf.yaml.`,
    '# Its fields, defaults and rules are in values.schema.json (from the zod schemas). The leaf',
    "# defaults are applied at render time, so Helm's schema check sees the leaf as written.",
    '#',
    '# `platform` is for the platform team (the Argo CD ApplicationSet sets it); a leaf cannot.',
    stringify({ platform: platformDefaults(type) }, { lineWidth: 0 }).trimEnd(),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------
// _generated.tpl: leaf defaults, presets, Ollama settings

/**
 * The defaults of a schema as a tree the library chart walks: `d` is the value a missing
 * key takes (zod default or prefault), `p` the children of an object, `i` the spec of array
 * items. Only branches that hold a default somewhere are kept.
 */
export interface DefaultsSpec {
  d?: unknown;
  p?: Record<string, DefaultsSpec>;
  i?: DefaultsSpec;
}

export function defaultsSpec(
  schema: z.core.$ZodType,
): DefaultsSpec | undefined {
  const def = schema._zod.def as any;
  switch (def.type) {
    case 'default':
    case 'prefault': {
      const inner = defaultsSpec(def.innerType) ?? {};
      return { d: structuredClone(def.defaultValue), ...inner };
    }
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return defaultsSpec(def.innerType);
    case 'pipe':
      return defaultsSpec(def.in);
    case 'object': {
      const p: Record<string, DefaultsSpec> = {};
      for (const [key, child] of Object.entries(
        def.shape as Record<string, z.core.$ZodType>,
      )) {
        const spec = defaultsSpec(child);
        if (spec) p[key] = spec;
      }
      return Object.keys(p).length ? { p } : undefined;
    }
    case 'array': {
      const i = defaultsSpec(def.element);
      return i ? { i } : undefined;
    }
    default:
      return undefined;
  }
}

function tplDefine(name: string, body: string): string {
  return `{{- define "${name}" -}}\n${body}\n{{- end -}}\n`;
}

/** charts/workload-lib/templates/_generated.tpl */
export function libraryGeneratedTemplate(): string {
  const defaults = Object.fromEntries(
    WORKLOAD_TYPES.map(type => [
      type,
      defaultsSpec(leafSchemasByType[type]) ?? {},
    ]),
  );
  const presets = Object.fromEntries(
    Object.entries(RESOURCE_PRESETS).map(([name, p]) => [
      name,
      { requests: p.requests, limits: p.limits },
    ]),
  );
  const ollama = {
    settings: Object.fromEntries(
      Object.entries(OLLAMA_ENVIRONMENT).map(([name, s]) => [
        name,
        { kind: s.kind, values: s.values ?? [] },
      ]),
    ),
    managed: OLLAMA_MANAGED_ENVIRONMENT,
    defaultHost: OLLAMA_DEFAULT_HOST,
    defaultNamespace: OLLAMA_DEFAULT_NAMESPACE,
    defaultTag: OLLAMA_DEFAULT_TAG,
  };
  return [
    '{{- /*',
    'GENERATED by `yarn generate` from plugins/workload-catalog-common (src/generate/charts.ts).',
    'Do not edit: a test fails when this file drifts from the schemas and models.',
    '*/ -}}',
    '',
    '{{- /* The zod defaults of each workload type, applied by "workload-lib.leaf". */ -}}',
    tplDefine('workload-lib.generated.defaults', JSON.stringify(defaults)),
    '{{- /* RESOURCE_PRESETS: container.resourcePreset -> requests and limits. */ -}}',
    tplDefine('workload-lib.generated.presets', JSON.stringify(presets)),
    '{{- /* OLLAMA_ENVIRONMENT and OLLAMA_MANAGED_ENVIRONMENT, and the reference defaults. */ -}}',
    tplDefine('workload-lib.generated.ollama', JSON.stringify(ollama)),
    '{{- /* SERVER_ENDPOINTS: the inference endpoints a route exposes by default, by workload type. */ -}}',
    tplDefine(
      'workload-lib.generated.endpoints',
      JSON.stringify(
        Object.fromEntries(
          Object.entries(SERVER_ENDPOINTS).map(([type, e]) => [
            type,
            { server: e!.server, public: e!.public },
          ]),
        ),
      ),
    ),
  ].join('\n');
}

/** Every file generated into charts/, keyed by its path relative to the repository root. */
export function chartArtifacts(): Record<string, string> {
  const files: Record<string, string> = {
    [`charts/${LIBRARY_CHART_NAME}/templates/_generated.tpl`]:
      libraryGeneratedTemplate(),
  };
  for (const type of WORKLOAD_TYPES) {
    const dir = `charts/${workloadTypeSlug(type)}`;
    files[`${dir}/values.schema.json`] =
      `${JSON.stringify(chartValuesSchema(type), null, 2)}\n`;
    files[`${dir}/values.yaml`] = chartValuesYaml(type);
  }
  return files;
}
