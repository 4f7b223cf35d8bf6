/*
 * How a catalog leaf appears in the Backstage catalog: the Component's name, labels and
 * annotations. The catalog module writes them; the workload-catalog backend (status,
 * configuration) and frontend (entity card, Configure tab) read them. The labels are the
 * contract with the charts and the Argo CD ApplicationSet (charts/workload-lib
 * `workload-lib.labels`): an Application carries the same three labels as its leaf.
 */
import { ollamaPullName, parseOllamaRef } from '../models/ollamaRef';
import type { WorkloadLeaf } from '../schema/leaf';

/** Labels on Argo CD Applications and Kubernetes objects (and on the entity). */
export const WORKLOAD_LABELS = {
  serviceName: 'workload-catalog.dev/service-name',
  catalog: 'workload-catalog.dev/catalog',
  environment: 'workload-catalog.dev/environment',
  workloadType: 'workload-catalog.dev/workload-type',
} as const;

/** Annotations of a workload's Component entity. */
export const WORKLOAD_ANNOTATIONS = {
  /** Web URL of the catalog repository. */
  catalogRepo: 'workload-catalog.dev/catalog-repo',
  /** The branch leaves are merged into. */
  baseBranch: 'workload-catalog.dev/base-branch',
  /** Path of the leaf in the catalog repository. */
  leafPath: 'workload-catalog.dev/leaf-path',
  /** Git blob sha of the leaf the entity was read from. */
  leafSha: 'workload-catalog.dev/leaf-sha',
  /** Branch of the catalog pull requests for this leaf (one branch per leaf path). */
  pullRequestBranch: 'workload-catalog.dev/pull-request-branch',
  /** Where the entity was read from: `merged` (the base branch) or `proposed` (an open pull request only). */
  source: 'workload-catalog.dev/source',
  /** Number of the open pull request for this leaf, if any. */
  openPullRequest: 'workload-catalog.dev/open-pull-request',
  /** The leaf's workloadType, serviceName, serviceCatalog, environment and namespace. */
  workloadType: 'workload-catalog.dev/workload-type',
  serviceName: 'workload-catalog.dev/service-name',
  serviceCatalog: 'workload-catalog.dev/catalog',
  environment: 'workload-catalog.dev/environment',
  namespace: 'workload-catalog.dev/namespace',
  /** Declared models, comma-separated (Ollama references in normal form, or Hugging Face `id[@revision]`). */
  models: 'workload-catalog.dev/models',
  /** The digest pins of the declared Ollama models, comma-separated `name@sha256:<hex prefix>`. */
  modelDigests: 'workload-catalog.dev/model-digests',
  /** JSON list of the leaf's problems (`{path, message, line, column}`) when it is invalid. */
  leafErrors: 'workload-catalog.dev/leaf-errors',
} as const;

/** Annotations the Backstage Argo CD plugins read (Roadie's and the community plugin). */
export const ARGOCD_ANNOTATIONS = {
  appName: 'argocd/app-name',
  appSelector: 'argocd/app-selector',
  appNamespace: 'argocd/app-namespace',
  instanceName: 'argocd/instance-name',
} as const;

/** Annotations of Backstage's GitHub and Kubernetes plugins. */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
/** Backstage's Kubernetes plugin selects the entity's objects by this label selector (before kubernetes-id). */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';

/** The fields that name a workload's Argo CD Application. */
export type LeafIdentity = Pick<
  WorkloadLeaf,
  'serviceName' | 'serviceCatalog' | 'environment'
>;

/** The label selector of a leaf's Argo CD Application (the ApplicationSet sets these labels). */
export function argocdAppSelector(leaf: LeafIdentity): string {
  return [
    `${WORKLOAD_LABELS.serviceName}=${leaf.serviceName}`,
    `${WORKLOAD_LABELS.catalog}=${leaf.serviceCatalog}`,
    `${WORKLOAD_LABELS.environment}=${leaf.environment}`,
  ].join(',');
}

/** Backstage entity names: at most 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends. */
export const ENTITY_NAME_MAX_LENGTH = 63;

/** FNV-1a, 32 bits, as 7 base-36 digits: a short stable suffix (not a security hash). */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

/**
 * The Component's name: `<serviceName>-<environment>` (one entity per service and
 * environment). When that is longer than 63 characters, it is cut and a hash of the full
 * name keeps it unique.
 */
export function workloadEntityName(
  leaf: Pick<WorkloadLeaf, 'serviceName' | 'environment'>,
): string {
  const full = `${leaf.serviceName}-${leaf.environment}`;
  if (full.length <= ENTITY_NAME_MAX_LENGTH) return full;
  const suffix = `-${shortHash(full)}`;
  return (
    // eslint-disable-next-line redos/no-vulnerable -- the input is sliced to at most 63 characters just before
    full.slice(0, ENTITY_NAME_MAX_LENGTH - suffix.length).replace(/-+$/, '') +
    suffix
  );
}

/**
 * The models a leaf declares, as the status compares them with Ollama's lists: Ollama
 * references in normal form without a digest pin (`phi:latest`), custom models by name;
 * for Text Generation Inference the Hugging Face id (with `@revision`).
 */
export function declaredModels(leaf: WorkloadLeaf): string[] {
  const l = leaf as {
    model?: unknown;
    additionalModels?: string[];
    customModels?: Array<{ name: string }>;
  };
  if (leaf.workloadType === 'OLLAMA_INFERENCE_LOAD') {
    const refs = [
      l.model as string,
      ...(l.additionalModels ?? []),
      ...(l.customModels ?? []).map(m => m.name),
    ];
    const out: string[] = [];
    for (const ref of refs) {
      const name = ollamaPullName(ref);
      if (!out.includes(name)) out.push(name);
    }
    return out;
  }
  if (leaf.workloadType === 'ML_INFERENCE_LOAD') {
    const m = l.model as { id: string; revision?: string };
    return [m.revision ? `${m.id}@${m.revision}` : m.id];
  }
  return [];
}

/**
 * The digest pins of a leaf's Ollama models (`model`, `additionalModels`): the name in
 * normal form, as in declaredModels, to the pinned digest prefix (lowercase hex). The chart
 * fails the pod when a pulled model's digest differs; the status compares them too.
 */
export function pinnedModelDigests(leaf: WorkloadLeaf): Record<string, string> {
  if (leaf.workloadType !== 'OLLAMA_INFERENCE_LOAD') return {};
  const l = leaf as { model?: unknown; additionalModels?: string[] };
  const out: Record<string, string> = {};
  for (const ref of [l.model, ...(l.additionalModels ?? [])]) {
    if (typeof ref !== 'string') continue;
    const parsed = parseOllamaRef(ref);
    if (parsed.ok && parsed.ref.digest)
      out[ollamaPullName(ref)] = parsed.ref.digest;
  }
  return out;
}

/** The model-digests annotation's value (undefined when nothing is pinned). */
export function formatModelDigests(
  pins: Record<string, string>,
): string | undefined {
  const entries = Object.entries(pins);
  return entries.length
    ? entries.map(([name, digest]) => `${name}@sha256:${digest}`).join(',')
    : undefined;
}

function parseModelDigests(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (value ?? '').split(',')) {
    const at = item.trim().lastIndexOf('@sha256:');
    if (at <= 0) continue;
    const digest = item
      .trim()
      .slice(at + '@sha256:'.length)
      .toLowerCase();
    if (/^[0-9a-f]{12,64}$/.test(digest))
      out[item.trim().slice(0, at)] = digest;
  }
  return out;
}

/** What the workload-catalog plugins read from a workload's entity. */
export interface WorkloadEntityInfo {
  leafPath: string;
  catalogRepo?: string;
  baseBranch?: string;
  pullRequestBranch?: string;
  source: 'merged' | 'proposed';
  openPullRequest?: number;
  leafSha?: string;
  workloadType?: string;
  serviceName?: string;
  serviceCatalog?: string;
  environment?: string;
  namespace?: string;
  models: string[];
  /** Digest pins of the declared models (model name to lowercase hex prefix). */
  modelDigests: Record<string, string>;
  argocdAppName?: string;
  argocdAppSelector?: string;
  argocdAppNamespace?: string;
  leafErrors?: Array<{
    path: string;
    message: string;
    line?: number;
    column?: number;
  }>;
}

/**
 * Reads the workload annotations of an entity; undefined when the entity is not a
 * workload (no leaf path).
 */
export function readWorkloadEntity(entity: {
  metadata: { annotations?: Record<string, string> };
}): WorkloadEntityInfo | undefined {
  const a = entity.metadata.annotations ?? {};
  const leafPath = a[WORKLOAD_ANNOTATIONS.leafPath];
  if (!leafPath) return undefined;
  let leafErrors: WorkloadEntityInfo['leafErrors'];
  const rawErrors = a[WORKLOAD_ANNOTATIONS.leafErrors];
  if (rawErrors) {
    try {
      const parsed = JSON.parse(rawErrors);
      leafErrors = Array.isArray(parsed) ? parsed : undefined;
    } catch {
      leafErrors = [{ path: '(document)', message: rawErrors }];
    }
  }
  const open = Number(a[WORKLOAD_ANNOTATIONS.openPullRequest]);
  return {
    leafPath,
    catalogRepo: a[WORKLOAD_ANNOTATIONS.catalogRepo],
    baseBranch: a[WORKLOAD_ANNOTATIONS.baseBranch],
    pullRequestBranch: a[WORKLOAD_ANNOTATIONS.pullRequestBranch],
    source:
      a[WORKLOAD_ANNOTATIONS.source] === 'proposed' ? 'proposed' : 'merged',
    openPullRequest: Number.isInteger(open) && open > 0 ? open : undefined,
    leafSha: a[WORKLOAD_ANNOTATIONS.leafSha],
    workloadType: a[WORKLOAD_ANNOTATIONS.workloadType],
    serviceName: a[WORKLOAD_ANNOTATIONS.serviceName],
    serviceCatalog: a[WORKLOAD_ANNOTATIONS.serviceCatalog],
    environment: a[WORKLOAD_ANNOTATIONS.environment],
    namespace: a[WORKLOAD_ANNOTATIONS.namespace],
    models: (a[WORKLOAD_ANNOTATIONS.models] ?? '')
      .split(',')
      .map(s => s.trim())
      .filter(Boolean),
    modelDigests: parseModelDigests(a[WORKLOAD_ANNOTATIONS.modelDigests]),
    argocdAppName: a[ARGOCD_ANNOTATIONS.appName],
    argocdAppSelector: a[ARGOCD_ANNOTATIONS.appSelector],
    argocdAppNamespace: a[ARGOCD_ANNOTATIONS.appNamespace],
    leafErrors,
  };
}
