/*
 * Who may validate and who may propose a workload, and where: one permission per action,
 * on a "workload leaf" resource whose attributes (environment, namespace, GPU count) a
 * policy can put conditions on. The default policy (allow-all) allows everything; see the
 * README for a stricter one.
 */
import { NotAllowedError } from '@backstage/errors';
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  createPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import type { WorkloadLeaf } from '@workload-catalog/plugin-workload-catalog-common';
import { z } from 'zod';

export const WORKLOAD_LEAF_RESOURCE_TYPE = 'workload-catalog-leaf';

/** What a policy's conditions see of a leaf. */
export interface WorkloadLeafResource {
  workloadType: string;
  serviceName: string;
  serviceCatalog: string;
  environment: string;
  namespace: string;
  /** GPUs per replica; 0 for container workloads. */
  gpuCount: number;
}

/** Conditions as a query (there is no store to query; kept for the permission API's shape). */
export type WorkloadLeafQuery =
  | { field: keyof WorkloadLeafResource; values: Array<string | number> }
  | { field: 'gpuCount'; atMost: number };

export const workloadLeafResourceRef = createPermissionResourceRef<
  WorkloadLeafResource,
  WorkloadLeafQuery
>().with({
  pluginId: 'scaffolder',
  resourceType: WORKLOAD_LEAF_RESOURCE_TYPE,
});

/** Run `workload:leaf:validate` for a leaf. */
export const workloadLeafValidatePermission = createPermission({
  name: 'workload-catalog.leaf.validate',
  attributes: { action: 'read' },
  resourceType: WORKLOAD_LEAF_RESOURCE_TYPE,
});

/** Run `workload:catalog:pull-request`: propose a workload for an environment. */
export const workloadCatalogPullRequestCreatePermission = createPermission({
  name: 'workload-catalog.pull-request.create',
  attributes: { action: 'create' },
  resourceType: WORKLOAD_LEAF_RESOURCE_TYPE,
});

export const workloadCatalogPermissions = [
  workloadLeafValidatePermission,
  workloadCatalogPullRequestCreatePermission,
];

const isInEnvironment = createPermissionRule({
  name: 'IS_IN_ENVIRONMENT',
  description: 'Allow only leaves for one of the given environments',
  resourceRef: workloadLeafResourceRef,
  paramsSchema: z.object({
    environments: z.array(z.string()).describe('Allowed environments'),
  }),
  apply: (leaf, { environments }) => environments.includes(leaf.environment),
  toQuery: ({ environments }) => ({
    field: 'environment',
    values: environments,
  }),
});

const isInNamespace = createPermissionRule({
  name: 'IS_IN_NAMESPACE',
  description: 'Allow only leaves for one of the given Kubernetes namespaces',
  resourceRef: workloadLeafResourceRef,
  paramsSchema: z.object({
    namespaces: z.array(z.string()).describe('Allowed namespaces'),
  }),
  apply: (leaf, { namespaces }) => namespaces.includes(leaf.namespace),
  toQuery: ({ namespaces }) => ({ field: 'namespace', values: namespaces }),
});

const hasAtMostGpus = createPermissionRule({
  name: 'HAS_AT_MOST_GPUS',
  description:
    'Allow only leaves that ask for at most this many GPUs per replica',
  resourceRef: workloadLeafResourceRef,
  paramsSchema: z.object({
    max: z.number().int().min(0).describe('Most GPUs per replica'),
  }),
  apply: (leaf, { max }) => leaf.gpuCount <= max,
  toQuery: ({ max }) => ({ field: 'gpuCount', atMost: max }),
});

export const workloadLeafPermissionRules = {
  isInEnvironment,
  isInNamespace,
  hasAtMostGpus,
};

/**
 * For permission policies: `conditions.isInEnvironment({ environments: ['dev'] })` and
 * `createWorkloadLeafConditionalDecision(permission, conditions)`.
 */
export const {
  conditions: workloadLeafConditions,
  createConditionalDecision: createWorkloadLeafConditionalDecision,
} = createConditionExports({
  resourceRef: workloadLeafResourceRef,
  rules: workloadLeafPermissionRules,
});

const authorizeConditions = createConditionAuthorizer(
  Object.values(workloadLeafPermissionRules),
);

export function leafResource(leaf: WorkloadLeaf): WorkloadLeafResource {
  return {
    workloadType: leaf.workloadType,
    serviceName: leaf.serviceName,
    serviceCatalog: leaf.serviceCatalog,
    environment: leaf.environment,
    namespace: leaf.namespace,
    gpuCount: (leaf as { gpu?: { count?: number } }).gpu?.count ?? 0,
  };
}

/**
 * Asks the permission framework whether `credentials` may do `permission` on this leaf, and
 * evaluates a conditional answer here. Throws NotAllowedError naming what was refused.
 */
export async function authorizeLeaf(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
  permission: ResourcePermission<typeof WORKLOAD_LEAF_RESOURCE_TYPE>;
  leaf: WorkloadLeaf;
  what: string;
}): Promise<void> {
  const { permissions, credentials, permission, leaf, what } = options;
  const [decision] = await permissions.authorizeConditional([{ permission }], {
    credentials,
  });
  const resource = leafResource(leaf);
  const allowed =
    decision.result === AuthorizeResult.ALLOW ||
    (decision.result === AuthorizeResult.CONDITIONAL &&
      authorizeConditions(decision, resource));
  if (!allowed) {
    throw new NotAllowedError(
      `You are not allowed to ${what} ${resource.serviceName} in environment "${resource.environment}" (namespace "${resource.namespace}", ${resource.gpuCount} GPUs): the permission policy refuses ${permission.name} for it`,
    );
  }
}
