/*
 * The module's configuration (see config.d.ts), read once at start and checked so that a
 * mistake is reported when the backend starts, naming the key.
 */
import type { Config } from '@backstage/config';
import {
  checkLeafPathPattern,
  DEFAULT_LEAF_PATH_PATTERN,
  GPU_COUNT_LIMIT,
  type LeafPolicy,
} from '@workload-catalog/plugin-workload-catalog-common';

export interface CatalogRepoLocation {
  /** The configured web URL. */
  url: string;
  /** host[:port], the key of the integrations.github entry. */
  host: string;
  owner: string;
  repo: string;
}

export interface WorkloadCatalogConfig {
  catalogRepo: CatalogRepoLocation & {
    baseBranch: string;
    leafPathPattern: string;
    branchPrefix: string;
  };
  policy: LeafPolicy;
  pullRequest: {
    labels: string[];
    reviewers: string[];
    teamReviewers: string[];
    draft: boolean;
  };
  github: { timeoutMs: number; maxRetries: number };
  /** Base URL of the Backstage app, for links back to the task. */
  appBaseUrl?: string;
}

const BRANCH_PREFIX_RE =
  /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Splits https://host/owner/repo (also .git and a trailing slash) into its parts. */
export function parseCatalogRepoUrl(url: string): CatalogRepoLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `workloadCatalog.catalogRepo.url must be a URL such as https://github.com/acme/gitops-catalog; got "${url}"`,
    );
  }
  const parts = parsed.pathname
    // eslint-disable-next-line redos/no-vulnerable -- URL path of the app-config catalogRepo.url, set by the operator
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean);
  if (!['http:', 'https:'].includes(parsed.protocol) || parts.length !== 2) {
    throw new Error(
      `workloadCatalog.catalogRepo.url must be https://HOST/OWNER/REPO (the repository's web address); got "${url}"`,
    );
  }
  return {
    url,
    host: parsed.host,
    owner: decodeURIComponent(parts[0]),
    repo: decodeURIComponent(parts[1]),
  };
}

/**
 * What Backstage config says of the platform policy (workloadCatalog.maxGpuCount,
 * environments, namespaces). It may only narrow the catalog repo's
 * .workload-catalog/policy.yaml (see PlatformPolicyReader).
 */
export function readConfigPolicy(config: Config): LeafPolicy {
  const root = config.getOptionalConfig('workloadCatalog');
  const maxGpuCount = root?.getOptionalNumber('maxGpuCount');
  if (
    maxGpuCount !== undefined &&
    (!Number.isInteger(maxGpuCount) ||
      maxGpuCount < 0 ||
      maxGpuCount > GPU_COUNT_LIMIT)
  ) {
    throw new Error(
      `workloadCatalog.maxGpuCount must be a whole number from 0 to ${GPU_COUNT_LIMIT}; got ${maxGpuCount}`,
    );
  }
  const policy: LeafPolicy = {
    maxGpuCount,
    environments: root?.getOptionalStringArray('environments'),
    namespaces: root?.getOptionalStringArray('namespaces'),
  };
  for (const key of Object.keys(policy) as Array<keyof LeafPolicy>)
    if (policy[key] === undefined) delete policy[key];
  return policy;
}

export function readWorkloadCatalogConfig(
  config: Config,
): WorkloadCatalogConfig {
  const root = config.getConfig('workloadCatalog');
  const repo = root.getConfig('catalogRepo');
  const location = parseCatalogRepoUrl(repo.getString('url'));
  const leafPathPattern =
    repo.getOptionalString('leafPathPattern') ?? DEFAULT_LEAF_PATH_PATTERN;
  const problem = checkLeafPathPattern(leafPathPattern);
  if (problem)
    throw new Error(
      `workloadCatalog.catalogRepo.leafPathPattern ${problem}; got "${leafPathPattern}"`,
    );
  const branchPrefix =
    repo.getOptionalString('branchPrefix') ?? 'workload-catalog';
  if (!BRANCH_PREFIX_RE.test(branchPrefix)) {
    throw new Error(
      `workloadCatalog.catalogRepo.branchPrefix must be a branch name prefix such as "workload-catalog"; got "${branchPrefix}"`,
    );
  }
  const timeoutSeconds = root.getOptionalNumber('github.timeoutSeconds') ?? 60;
  if (!(timeoutSeconds > 0))
    throw new Error(
      `workloadCatalog.github.timeoutSeconds must be more than 0; got ${timeoutSeconds}`,
    );
  const maxRetries = root.getOptionalNumber('github.maxRetries') ?? 3;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
    throw new Error(
      `workloadCatalog.github.maxRetries must be a whole number from 0 to 10; got ${maxRetries}`,
    );
  }
  return {
    catalogRepo: {
      ...location,
      baseBranch: repo.getOptionalString('baseBranch') ?? 'main',
      leafPathPattern,
      branchPrefix,
    },
    policy: readConfigPolicy(config),
    pullRequest: {
      labels: root.getOptionalStringArray('pullRequest.labels') ?? [],
      reviewers: root.getOptionalStringArray('pullRequest.reviewers') ?? [],
      teamReviewers:
        root.getOptionalStringArray('pullRequest.teamReviewers') ?? [],
      draft: root.getOptionalBoolean('pullRequest.draft') ?? false,
    },
    github: { timeoutMs: timeoutSeconds * 1000, maxRetries },
    appBaseUrl: config.getOptionalString('app.baseUrl'),
  };
}
