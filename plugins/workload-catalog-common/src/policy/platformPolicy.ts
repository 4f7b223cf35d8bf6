/*
 * The platform policy: one file in the catalog repo (`.workload-catalog/policy.yaml`), read
 * by the CLI (and so the catalog repo's CI), the backend, the form and the pull-request
 * action. Backstage config may only narrow it (narrowPolicy). Its rules are checked by one
 * function, policyIssues, which validateLeaf runs after the schema.
 */
import { z } from 'zod';
import { parseDocument } from 'yaml';
import { GPU_COUNT_LIMIT, DEFAULT_MAX_GPU_COUNT } from '../schema/inference';
import { QUANTITY_PATTERN, parseQuantity } from '../schema/quantity';
import { describeGpuFit, leafGpuMemory } from '../models/gpuMemory';
import { SERVER_ENDPOINTS, pathCovers } from '../schema/exposure';
import { URL_PATH_PATTERN } from '../schema/fields';
import { closest, describeValue } from '../validation/describe';
import type { FieldPath, LeafIssue } from '../validation/validate';
import { formatPath } from '../validation/path';

/** Where the policy lives in the catalog repo. */
export const POLICY_FILE_PATH = '.workload-catalog/policy.yaml';

/**
 * Namespaces a leaf may never deploy into unless the policy lists them by name: the
 * cluster's own, and Argo CD's (whose Applications run with cluster-wide rights).
 */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'argocd',
  'cert-manager',
  'keda',
  'gpu-operator',
];

/** A system namespace: one of SYSTEM_NAMESPACES, or any `kube-*` and `openshift-*`. */
export function isSystemNamespace(namespace: string): boolean {
  return (
    SYSTEM_NAMESPACES.includes(namespace) ||
    namespace.startsWith('kube-') ||
    namespace.startsWith('openshift-')
  );
}

/** The platform rules on top of the schema (the policy file, narrowed by config or flags). */
export interface LeafPolicy {
  /** Most GPUs per replica (default 8, never above the schema's 16). */
  maxGpuCount?: number;
  /** Most GPUs of one workload: gpu.count × replicas (the most replicas it may run). */
  maxGpusPerWorkload?: number;
  /**
   * Memory of one of the platform's GPUs, in bytes (the policy file's gpu.memoryPerGpu,
   * e.g. "24Gi"). When set, an Ollama leaf whose declared models do not fit on its gpu.count
   * GPUs of this memory (the GPU-memory estimate, models/gpuMemory.ts) is refused: it would
   * run partly on the CPU, many times slower. When not set, nothing is checked.
   */
  gpuMemoryBytes?: number;
  /** Allowed environments; any DNS label when not set. */
  environments?: readonly string[];
  /**
   * Allowed namespaces; when not set, any namespace but the system ones. A system namespace
   * (kube-system, argocd, ...) is allowed only when listed here by name.
   */
  namespaces?: readonly string[];
  /**
   * Ingress domains per catalog (serviceCatalog), `*` for every catalog: a host must be one
   * of the catalog's domains or below one. When not set, any host.
   */
  ingressDomains?: Readonly<Record<string, readonly string[]>>;
  /**
   * Paths per catalog (`*`: every catalog) that a leaf of an inference type may add to its
   * route's ingress.paths beyond the server's inference endpoints, e.g. Ollama's `/api/pull`
   * for the catalog of the team that manages the models. When not set, none: the route of
   * an inference server carries only its inference endpoints (SERVER_ENDPOINTS).
   */
  ingressExtraPaths?: Readonly<Record<string, readonly string[]>>;
  /**
   * Registries (with an optional path prefix) container images may come from, e.g.
   * `ghcr.io/acme`. When not set, any registry.
   */
  imageRegistries?: readonly string[];
}

const dnsName = z.string().regex(
  // eslint-disable-next-line redos/no-vulnerable -- the platform policy file, written by the platform team (not leaf input)
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
  'must be a DNS name in lower case, such as apps.example.com',
);
const label = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be a DNS label (lower case letters, digits and "-")',
  );
const gpus = (what: string) =>
  z
    .number()
    .int(`must be a whole number of GPUs ${what}`)
    .min(0)
    .max(GPU_COUNT_LIMIT * 1000);

/** The policy file, version 1. */
export const policyFileSchema = z
  .object({
    apiVersion: z.literal('workload-catalog.dev/v1'),
    kind: z.literal('PlatformPolicy'),
    environments: z.array(label).min(1).optional(),
    namespaces: z.array(label).min(1).optional(),
    gpu: z
      .object({
        maxPerReplica: gpus('per replica').max(GPU_COUNT_LIMIT).optional(),
        maxPerWorkload: gpus('per workload').optional(),
        memoryPerGpu: z
          .string()
          .regex(new RegExp(QUANTITY_PATTERN), {
            message:
              'must be a memory quantity such as "24Gi" or "80Gi" (the memory of one GPU)',
            abort: true,
          })
          .refine(v => (parseQuantity(v) ?? 0) >= 2 ** 30, {
            message:
              'must be at least 1Gi (the memory of one GPU, such as "24Gi" or "80Gi")',
          })
          .optional(),
      })
      .strict()
      .optional(),
    ingress: z
      .object({
        domains: z
          .record(z.union([label, z.literal('*')]), z.array(dnsName))
          .optional(),
        extraPaths: z
          .record(
            z.union([label, z.literal('*')]),
            z.array(
              z
                .string()
                .regex(
                  new RegExp(URL_PATH_PATTERN),
                  'must be a route path such as /api/pull (a path ending in "/" is a prefix)',
                ),
            ),
          )
          .optional(),
      })
      .strict()
      .optional(),
    images: z
      .object({
        registries: z
          .array(
            z
              .string()
              .regex(
                /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9._-]+)*$/,
                'must be a registry host with an optional path, such as ghcr.io/acme',
              ),
          )
          .min(1),
      })
      .strict()
      .optional(),
  })
  .strict();

export type PolicyFile = z.infer<typeof policyFileSchema>;

/** The leaf rules a policy file says. */
export function policyOfFile(file: PolicyFile): LeafPolicy {
  return {
    maxGpuCount: file.gpu?.maxPerReplica,
    maxGpusPerWorkload: file.gpu?.maxPerWorkload,
    gpuMemoryBytes:
      file.gpu?.memoryPerGpu === undefined
        ? undefined
        : parseQuantity(file.gpu.memoryPerGpu),
    environments: file.environments,
    namespaces: file.namespaces,
    ingressDomains: file.ingress?.domains,
    ingressExtraPaths: file.ingress?.extraPaths,
    imageRegistries: file.images?.registries,
  };
}

export interface PolicyFileResult {
  policy?: LeafPolicy;
  /** Problems, each with the field path in the policy file and its line. */
  issues: Array<{ path: string; message: string; line: number }>;
}

/** Reads the text of `.workload-catalog/policy.yaml`. */
export function parsePolicyFile(text: string): PolicyFileResult {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 1 : text.slice(0, offset).split('\n').length;
  if (doc.errors.length) {
    return {
      issues: doc.errors.map(e => ({
        path: '(document)',
        message: e.message.split('\n')[0],
        line: lineOf(e.pos?.[0]),
      })),
    };
  }
  const value = doc.toJS();
  const result = policyFileSchema.safeParse(value);
  if (result.success) return { policy: policyOfFile(result.data), issues: [] };
  return {
    issues: result.error.issues.map(issue => {
      const node = doc.getIn(issue.path as Array<string | number>, true) as
        { range?: [number, number, number] } | undefined;
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') {
        message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(k => `"${k}"`).join(', ')}; a policy has apiVersion, kind, environments, namespaces, gpu, ingress and images`;
      } else if (
        issue.code === 'invalid_value' &&
        issue.path[0] === 'apiVersion'
      ) {
        message = `must be workload-catalog.dev/v1; got ${describeValue((value as any)?.apiVersion)}`;
      } else if (issue.code === 'invalid_value' && issue.path[0] === 'kind') {
        message = `must be PlatformPolicy; got ${describeValue((value as any)?.kind)}`;
      }
      return {
        path: issue.path.length
          ? formatPath(issue.path as FieldPath)
          : '(policy)',
        message,
        line: lineOf(node?.range?.[0]),
      };
    }),
  };
}

const listNarrowing = (
  key: string,
  base: readonly string[] | undefined,
  narrower: readonly string[] | undefined,
  problems: string[],
) => {
  if (!narrower) return base;
  if (!base) return narrower;
  const wider = narrower.filter(v => !base.includes(v));
  if (wider.length) {
    problems.push(
      `${key} lists ${wider.map(v => `"${v}"`).join(', ')}, which the platform policy (${POLICY_FILE_PATH}) does not allow; config may only narrow the policy (allowed: ${base.join(', ')})`,
    );
  }
  return narrower.filter(v => base.includes(v));
};

const maxNarrowing = (
  key: string,
  base: number | undefined,
  narrower: number | undefined,
  problems: string[],
) => {
  if (narrower === undefined) return base;
  if (base !== undefined && narrower > base) {
    problems.push(
      `${key} is ${narrower}, above the platform policy's ${base} (${POLICY_FILE_PATH}); config may only narrow the policy`,
    );
    return base;
  }
  return narrower;
};

/** The extra route paths a policy gives a catalog (its own and those of `*`). */
export function extraPathsOf(
  extraPaths: LeafPolicy['ingressExtraPaths'],
  catalog: string,
): string[] {
  return [...(extraPaths?.[catalog] ?? []), ...(extraPaths?.['*'] ?? [])];
}

const extraPathsNarrowing = (
  key: string,
  base: LeafPolicy['ingressExtraPaths'],
  narrower: LeafPolicy['ingressExtraPaths'],
  problems: string[],
) => {
  if (!narrower) return base;
  const out: Record<string, string[]> = {};
  for (const [catalog, paths] of Object.entries(narrower)) {
    const allowed =
      catalog === '*' ? (base?.['*'] ?? []) : extraPathsOf(base, catalog);
    const wider = paths.filter(p => !allowed.some(a => pathCovers(a, p)));
    if (wider.length) {
      problems.push(
        `${key}.${catalog} lists ${wider.map(v => `"${v}"`).join(', ')}, which the platform policy (${POLICY_FILE_PATH}) does not allow; config may only narrow the policy (allowed: ${allowed.join(', ') || 'none'})`,
      );
    }
    out[catalog] = paths.filter(p => allowed.some(a => pathCovers(a, p)));
  }
  return out;
};

/**
 * The policy with Backstage config (or CLI flags) applied: they may only narrow it. A value
 * that would widen it is a problem (named by `keys`), and the policy's value stays.
 */
export function narrowPolicy(
  base: LeafPolicy,
  narrower: LeafPolicy,
  keys: Partial<Record<keyof LeafPolicy, string>> = {},
): { policy: LeafPolicy; problems: string[] } {
  const problems: string[] = [];
  const key = (k: keyof LeafPolicy) => keys[k] ?? k;
  const policy: LeafPolicy = {
    maxGpuCount: maxNarrowing(
      key('maxGpuCount'),
      base.maxGpuCount,
      narrower.maxGpuCount,
      problems,
    ),
    maxGpusPerWorkload: maxNarrowing(
      key('maxGpusPerWorkload'),
      base.maxGpusPerWorkload,
      narrower.maxGpusPerWorkload,
      problems,
    ),
    gpuMemoryBytes: maxNarrowing(
      key('gpuMemoryBytes'),
      base.gpuMemoryBytes,
      narrower.gpuMemoryBytes,
      problems,
    ),
    environments: listNarrowing(
      key('environments'),
      base.environments,
      narrower.environments,
      problems,
    ),
    namespaces: listNarrowing(
      key('namespaces'),
      base.namespaces,
      narrower.namespaces,
      problems,
    ),
    ingressDomains: narrower.ingressDomains ?? base.ingressDomains,
    ingressExtraPaths: extraPathsNarrowing(
      key('ingressExtraPaths'),
      base.ingressExtraPaths,
      narrower.ingressExtraPaths,
      problems,
    ),
    imageRegistries: listNarrowing(
      key('imageRegistries'),
      base.imageRegistries,
      narrower.imageRegistries,
      problems,
    ),
  };
  for (const k of Object.keys(policy) as Array<keyof LeafPolicy>)
    if (policy[k] === undefined) delete policy[k];
  return { policy, problems };
}

/** The GPU maxima in force: the one place their defaults live. */
export function gpuLimits(policy: LeafPolicy): {
  perReplica: number;
  perWorkload?: number;
} {
  return {
    perReplica: Math.min(
      policy.maxGpuCount ?? DEFAULT_MAX_GPU_COUNT,
      GPU_COUNT_LIMIT,
    ),
    perWorkload: policy.maxGpusPerWorkload,
  };
}

/** The image's registry and repository path, as a container runtime resolves it. */
export function imageRepository(image: string): string {
  const name = image.split('@')[0].replace(/:[^/:]+$/, '');
  const first = name.split('/')[0];
  const hasRegistry =
    name.includes('/') &&
    (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return name;
  return `docker.io/${name.includes('/') ? name : `library/${name}`}`;
}

const hostAllowed = (host: string, domains: readonly string[]) =>
  domains.some(d => host === d || host.endsWith(`.${d}`));

/**
 * The route of an inference server: ingress.paths only its inference endpoints (and the
 * paths the policy adds for the catalog), ingress.path "/" (the server answers at its own
 * paths). Generic containers may route any path of their own app.
 */
function exposureIssues(
  leaf: Record<string, any>,
  policy: LeafPolicy,
): LeafIssue[] {
  const endpoints = SERVER_ENDPOINTS[leaf.workloadType as never] as
    (typeof SERVER_ENDPOINTS)[keyof typeof SERVER_ENDPOINTS] | undefined;
  const ingress = leaf.ingress;
  if (!endpoints || !ingress || typeof ingress !== 'object') return [];
  const out: LeafIssue[] = [];
  if (typeof ingress.path === 'string' && ingress.path !== '/') {
    out.push({
      path: ['ingress', 'path'],
      message: `must be "/" for ${endpoints.server}: the server answers at its own endpoint paths, which a route cannot move under "${ingress.path}"; choose the endpoints with ingress.paths`,
    });
  }
  if (!Array.isArray(ingress.paths)) return out;
  const extra =
    typeof leaf.serviceCatalog === 'string'
      ? extraPathsOf(policy.ingressExtraPaths, leaf.serviceCatalog)
      : [];
  const allowed = [...endpoints.public, ...extra];
  ingress.paths.forEach((p: unknown, i: number) => {
    if (typeof p !== 'string' || allowed.some(a => pathCovers(a, p))) return;
    // "/" (everything) names the whole server, not each path below it
    const management = endpoints.management.some(m =>
      m === '/' ? p === '/' : pathCovers(m, p),
    );
    out.push({
      path: ['ingress', 'paths', i],
      message: `"${p}" is ${management ? `a management endpoint of ${endpoints.server}` : `not an inference endpoint of ${endpoints.server}`}, which a route exposes only when the platform policy allows it for catalog "${leaf.serviceCatalog}" (ingress.extraPaths in ${POLICY_FILE_PATH}); allowed: ${allowed.join(', ')} (a path ending in "/" also allows the paths below it)`,
    });
  });
  return out;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/**
 * An Ollama leaf whose models do not fit on its GPUs (policy.gpuMemoryBytes set): the
 * estimate of every declared model with a known size (the shipped table), at gpu.count
 * GPUs. Models of unknown size are not counted; gpu.count 0 (CPU only) is not checked.
 */
function gpuMemoryIssue(
  leaf: Record<string, any>,
  policy: LeafPolicy,
  perReplica: number,
): LeafIssue | undefined {
  const memory = policy.gpuMemoryBytes;
  const count = leaf.gpu?.count ?? 1;
  if (
    !memory ||
    leaf.workloadType !== 'OLLAMA_INFERENCE_LOAD' ||
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    count < 1 ||
    count > GPU_COUNT_LIMIT
  )
    return undefined;
  const estimate = leafGpuMemory(leaf, {
    gpuMemoryBytes: memory,
    maxGpus: perReplica,
  });
  if (!estimate || estimate.atLeafCount.fits) return undefined;
  if (estimate.atLeafCount.models.every(m => m.weightsFrom === 'assumed'))
    return undefined;
  const need = gib(estimate.atLeafCount.totalBytes);
  const advice = estimate.smallest.fits
    ? `ask for gpu.count ${estimate.smallest.gpuCount} (estimate: ${describeGpuFit(estimate.smallest)})`
    : `they do not fit on the platform's maximum of ${perReplica} GPUs either: choose smaller models or a smaller context (OLLAMA_CONTEXT_LENGTH)`;
  return {
    path: ['gpu', 'count'],
    message: `the declared models need about ${need} of GPU memory (weights, KV cache and overhead, estimated); ${count} GPU${count === 1 ? '' : 's'} of ${gib(memory)} (the platform's GPU memory) ${count === 1 ? 'holds' : 'hold'} ${gib(count * memory)}: ${advice}`,
  };
}

/** The policy's problems with a leaf value; they read the raw value, so they report even when other fields are wrong. */
export function policyIssues(
  leaf: Record<string, any>,
  policy: LeafPolicy,
): LeafIssue[] {
  const out: LeafIssue[] = [];
  const { perReplica, perWorkload } = gpuLimits(policy);
  const count = leaf.gpu?.count;
  const isCount = (n: unknown): n is number =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (isCount(count) && count > perReplica && count <= GPU_COUNT_LIMIT) {
    out.push({
      path: ['gpu', 'count'],
      message: `must be at most ${perReplica} (the platform's GPU maximum per replica); got ${count}`,
    });
  }
  const replicas =
    leaf.autoscaling?.maxReplicas ?? leaf.container?.replicas ?? 1;
  if (
    perWorkload !== undefined &&
    isCount(count) &&
    count > 0 &&
    isCount(replicas) &&
    count * replicas > perWorkload
  ) {
    const byAutoscaling = leaf.autoscaling?.maxReplicas !== undefined;
    out.push({
      path: byAutoscaling
        ? ['autoscaling', 'maxReplicas']
        : ['container', 'replicas'],
      message: `asks for ${count * replicas} GPUs (${count} per replica × ${replicas} replicas); the platform allows at most ${perWorkload} GPUs per workload, so at most ${Math.floor(perWorkload / count)} replicas of ${count} GPUs`,
    });
  }
  const fit = gpuMemoryIssue(leaf, policy, perReplica);
  if (fit) out.push(fit);
  if (typeof leaf.environment === 'string' && policy.environments) {
    if (!policy.environments.includes(leaf.environment)) {
      const guess = closest(leaf.environment, policy.environments);
      out.push({
        path: ['environment'],
        message: `must be one of ${policy.environments.join(', ')}; got "${leaf.environment}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
      });
    }
  }
  if (typeof leaf.namespace === 'string') {
    const ns = leaf.namespace;
    if (policy.namespaces && !policy.namespaces.includes(ns)) {
      const guess = closest(ns, policy.namespaces);
      out.push({
        path: ['namespace'],
        message: `must be one of the namespaces this platform deploys to: ${policy.namespaces.join(', ')}; got "${ns}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
      });
    } else if (!policy.namespaces && isSystemNamespace(ns)) {
      out.push({
        path: ['namespace'],
        message: `"${ns}" is a system namespace (the cluster's or the platform's own); workloads may not deploy there unless the platform policy lists it under namespaces`,
      });
    }
  }
  const host = leaf.ingress?.host;
  if (
    policy.ingressDomains &&
    leaf.ingress?.enabled !== false &&
    typeof host === 'string' &&
    typeof leaf.serviceCatalog === 'string'
  ) {
    const domains = [
      ...(policy.ingressDomains[leaf.serviceCatalog] ?? []),
      ...(policy.ingressDomains['*'] ?? []),
    ];
    if (!hostAllowed(host.toLowerCase(), domains)) {
      out.push({
        path: ['ingress', 'host'],
        message: domains.length
          ? `must be one of the domains of catalog "${leaf.serviceCatalog}" or below one: ${domains.join(', ')}; got "${host}"`
          : `catalog "${leaf.serviceCatalog}" may not expose hosts (the platform policy gives it no ingress domains); got "${host}"`,
      });
    }
  }
  out.push(...exposureIssues(leaf, policy));
  const image = leaf.container?.image;
  if (policy.imageRegistries && typeof image === 'string' && image) {
    const repository = imageRepository(image);
    const ok = policy.imageRegistries.some(
      r => repository === r || repository.startsWith(`${r}/`),
    );
    if (!ok) {
      out.push({
        path: ['container', 'image'],
        message: `must come from one of the platform's registries: ${policy.imageRegistries.join(', ')}; got "${image}" (from ${repository})`,
      });
    }
  }
  return out;
}
