/*
 * A leaf as a Backstage Component: owner, system (serviceCatalog), type (the workload type),
 * lifecycle (from the environment), and annotations that link it to its leaf, its pull
 * requests and its Argo CD Application. An invalid leaf still becomes an entity (named from
 * its path), carrying its problems in workload-catalog.dev/leaf-errors, so it is visible
 * in the catalog instead of missing.
 */
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
  type Entity,
} from '@backstage/catalog-model';
import {
  ARGOCD_ANNOTATIONS,
  argocdAppSelector,
  declaredModels,
  formatModelDigests,
  pinnedModelDigests,
  GITHUB_PROJECT_SLUG_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  leafBranchName,
  leafPath as expectedLeafPath,
  parseLeafFile,
  WORKLOAD_ANNOTATIONS,
  type LeafFileResult,
  WORKLOAD_LABELS,
  workloadEntityName,
  type PositionedIssue,
  type WorkloadLeaf,
} from '@workload-catalog/plugin-workload-catalog-common';
import type { LeafPathFields } from './leafPathMatcher';

export interface CatalogRepoInfo {
  /** Web URL without .git or a trailing slash. */
  webUrl: string;
  owner: string;
  repo: string;
  baseBranch: string;
  leafPathPattern: string;
  branchPrefix: string;
}

export interface EntityOptions {
  defaultOwner: string;
  lifecycles: Record<string, string>;
  argocd: {
    appNameTemplate?: string;
    appNamespace?: string;
    instanceName?: string;
  };
}

/** One leaf file as read from the repository. */
export interface LeafFile {
  path: string;
  /** Git blob sha. */
  sha: string;
  text: string;
  /** `merged`: on the base branch; `proposed`: only in an open pull request. */
  source: 'merged' | 'proposed';
  /** The ref the file was read from (base branch, or the pull request's head branch). */
  ref: string;
  /** The open pull request for this leaf, if any. */
  openPull?: { number: number; url: string };
}

export interface LeafEntityResult {
  entity: Entity;
  /** The leaf's problems; empty when valid. */
  issues: PositionedIssue[];
  /** The identity fields the entity was named after. */
  serviceCatalog: string;
  /** The leaf, when it is valid (what the catalog-wide rules compare). */
  leaf?: WorkloadLeaf;
  /** Line and column of a field in the leaf's file. */
  positionOf?: LeafFileResult['positionOf'];
}

/** Longest annotation value we write for problems (the card shows them; logs have all). */
const MAX_ERRORS = 20;

const kebab = (type: string) => type.toLowerCase().replace(/_/g, '-');

function fillTemplate(template: string, fields: Record<string, string>) {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    fields[key] !== undefined ? fields[key] : whole,
  );
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Label values: at most 63 of [A-Za-z0-9_.-], alphanumeric at both ends. */
function labelValue(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(value)
    ? value
    : undefined;
}

/**
 * Builds the Component of one leaf file; `catalogIssues` are the leaf's problems across the
 * catalog (common's catalog-wide rules), shown like its own.
 */
export function leafToEntity(
  file: LeafFile,
  pathFields: LeafPathFields,
  repo: CatalogRepoInfo,
  options: EntityOptions,
  catalogIssues: PositionedIssue[] = [],
): LeafEntityResult {
  const parsed = parseLeafFile(file.text);
  const issues: PositionedIssue[] = [...parsed.issues];
  const value = (
    parsed.value && typeof parsed.value === 'object' ? parsed.value : {}
  ) as Record<string, unknown>;
  const leaf: WorkloadLeaf | undefined = parsed.valid ? parsed.leaf : undefined;

  // The identity: the leaf's own fields, else what its path says.
  const serviceName = str(leaf?.serviceName) ?? pathFields.serviceName;
  const environment =
    str(leaf?.environment) ??
    pathFields.environment ??
    str(value.environment) ??
    'unknown';
  const serviceCatalog =
    str(leaf?.serviceCatalog) ??
    pathFields.serviceCatalog ??
    str(value.serviceCatalog) ??
    'unknown';
  const namespace =
    str(leaf?.namespace) ?? pathFields.namespace ?? str(value.namespace);
  const workloadType =
    str(leaf?.workloadType) ??
    pathFields.workloadType ??
    str(value.workloadType);

  if (leaf) {
    const expected = expectedLeafPath(leaf, repo.leafPathPattern);
    if (expected !== file.path) {
      issues.push({
        path: '(document)',
        line: 1,
        column: 1,
        message: `the leaf is at ${file.path}, but its fields place it at ${expected} (workloadCatalog.catalogRepo.leafPathPattern "${repo.leafPathPattern}"): move the file or correct serviceName, serviceCatalog, environment`,
      });
    }
  }

  issues.push(...catalogIssues);

  const identity = { serviceName, environment, serviceCatalog };
  const name = workloadEntityName(identity);
  const branch = leafBranchName(file.path, repo.branchPrefix);
  const leafUrl = `${repo.webUrl}/blob/${file.ref}/${file.path}`;
  const dir = file.path.includes('/')
    ? file.path.slice(0, file.path.lastIndexOf('/') + 1)
    : '';
  const owner = str(leaf?.owner) ?? str(value.owner) ?? options.defaultOwner;
  const models = leaf ? declaredModels(leaf) : [];
  const argoFields: Record<string, string> = {
    serviceName,
    serviceCatalog,
    environment,
    ...(namespace ? { namespace } : {}),
  };

  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: `url:${leafUrl}`,
    [ANNOTATION_ORIGIN_LOCATION]: `url:${leafUrl}`,
    [ANNOTATION_SOURCE_LOCATION]: `url:${repo.webUrl}/tree/${file.ref}/${dir}`,
    [ANNOTATION_VIEW_URL]: leafUrl,
    [GITHUB_PROJECT_SLUG_ANNOTATION]: `${repo.owner}/${repo.repo}`,
    [WORKLOAD_ANNOTATIONS.catalogRepo]: repo.webUrl,
    [WORKLOAD_ANNOTATIONS.baseBranch]: repo.baseBranch,
    [WORKLOAD_ANNOTATIONS.leafPath]: file.path,
    [WORKLOAD_ANNOTATIONS.leafSha]: file.sha,
    [WORKLOAD_ANNOTATIONS.pullRequestBranch]: branch,
    [WORKLOAD_ANNOTATIONS.source]: file.source,
    [WORKLOAD_ANNOTATIONS.serviceName]: serviceName,
    [WORKLOAD_ANNOTATIONS.serviceCatalog]: serviceCatalog,
    [WORKLOAD_ANNOTATIONS.environment]: environment,
    [KUBERNETES_ID_ANNOTATION]: serviceName,
  };
  // The labels the charts put on every object and pod, and the ApplicationSet on the
  // Application (service, catalog and environment): Backstage's Kubernetes plugin then
  // shows this environment's pods only, not those of the same service in another
  // environment of the namespace (kubernetes-id alone would match both).
  const workloadSelector = [serviceName, serviceCatalog, environment].every(
    v => labelValue(v) !== undefined,
  )
    ? argocdAppSelector(identity)
    : undefined;
  if (workloadSelector)
    annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION] = workloadSelector;
  // Exactly one of argocd/app-name and argocd/app-selector: the Argo CD plugins refuse an
  // entity with both (Roadie's: "Cannot provide both 'argocd/app-name' and 'argocd-app'
  // annotations"). The name when the ApplicationSet's naming is known, else the labels.
  if (options.argocd.appNameTemplate)
    annotations[ARGOCD_ANNOTATIONS.appName] = fillTemplate(
      options.argocd.appNameTemplate,
      argoFields,
    );
  else if (workloadSelector)
    annotations[ARGOCD_ANNOTATIONS.appSelector] = workloadSelector;
  if (workloadType)
    annotations[WORKLOAD_ANNOTATIONS.workloadType] = workloadType;
  if (namespace) {
    annotations[WORKLOAD_ANNOTATIONS.namespace] = namespace;
    annotations[KUBERNETES_NAMESPACE_ANNOTATION] = namespace;
  }
  if (models.length)
    annotations[WORKLOAD_ANNOTATIONS.models] = models.join(',');
  const pins = leaf ? formatModelDigests(pinnedModelDigests(leaf)) : undefined;
  if (pins) annotations[WORKLOAD_ANNOTATIONS.modelDigests] = pins;
  if (file.openPull)
    annotations[WORKLOAD_ANNOTATIONS.openPullRequest] = String(
      file.openPull.number,
    );
  if (options.argocd.appNamespace)
    annotations[ARGOCD_ANNOTATIONS.appNamespace] = options.argocd.appNamespace;
  if (options.argocd.instanceName)
    annotations[ARGOCD_ANNOTATIONS.instanceName] = options.argocd.instanceName;
  if (issues.length) {
    annotations[WORKLOAD_ANNOTATIONS.leafErrors] = JSON.stringify(
      issues.slice(0, MAX_ERRORS),
    );
  }

  const labels: Record<string, string> = {};
  for (const [key, v] of [
    [WORKLOAD_LABELS.serviceName, serviceName],
    [WORKLOAD_LABELS.catalog, serviceCatalog],
    [WORKLOAD_LABELS.environment, environment],
    [WORKLOAD_LABELS.workloadType, workloadType],
  ] as const) {
    const ok = labelValue(v);
    if (ok) labels[key] = ok;
  }

  const tags = ['workload-catalog'];
  if (workloadType) tags.push(kebab(workloadType));
  if (issues.length) tags.push('invalid-leaf');
  if (file.source === 'proposed') tags.push('proposed');

  const links: Array<{ url: string; title: string; icon?: string }> = [
    { url: leafUrl, title: `Leaf ${file.path}`, icon: 'github' },
  ];
  if (file.openPull)
    links.push({
      url: file.openPull.url,
      title: `Pull request #${file.openPull.number}`,
      icon: 'github',
    });
  const ingress = (
    leaf as
      | { ingress?: { enabled?: boolean; host?: string; path?: string } }
      | undefined
  )?.ingress;
  if (ingress?.enabled && ingress.host) {
    const tls =
      (ingress as { tls?: { enabled?: boolean } }).tls?.enabled !== false;
    links.push({
      url: `${tls ? 'https' : 'http'}://${ingress.host}${ingress.path ?? '/'}`,
      title: 'Endpoint',
    });
  }

  const description =
    str(leaf?.description) ??
    (issues.length
      ? `Invalid catalog leaf ${file.path}: ${issues[0].path}: ${issues[0].message}`
      : `${workloadType ?? 'Workload'} ${serviceName} in ${environment}${models.length ? ` (${models.join(', ')})` : ''}`);

  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      title: `${serviceName} (${environment})`,
      description: description.slice(0, 1000),
      labels,
      annotations,
      tags,
      links,
    },
    spec: {
      type: workloadType ? kebab(workloadType) : 'workload',
      lifecycle: options.lifecycles[environment] ?? environment,
      owner,
      system: serviceCatalog,
    },
  };
  return {
    entity,
    issues,
    serviceCatalog,
    leaf,
    positionOf: parsed.positionOf,
  };
}

/** The System entity of a serviceCatalog. */
export function systemEntity(
  serviceCatalog: string,
  repo: CatalogRepoInfo,
  owner: string,
): Entity {
  const url = `${repo.webUrl}/tree/${repo.baseBranch}/`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: serviceCatalog,
      namespace: 'default',
      description: `Service catalog ${serviceCatalog} of the Workload Catalog repo`,
      annotations: {
        [ANNOTATION_LOCATION]: `url:${url}`,
        [ANNOTATION_ORIGIN_LOCATION]: `url:${url}`,
        [GITHUB_PROJECT_SLUG_ANNOTATION]: `${repo.owner}/${repo.repo}`,
      },
      tags: ['workload-catalog'],
    },
    spec: { owner },
  };
}
