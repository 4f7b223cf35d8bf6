/*
 * A stricter permission policy than the default allow-all (see README): members of the
 * platform team may propose any workload; everyone else may propose workloads only in the
 * "dev" environment and with at most one GPU per replica, and may change the configuration
 * (the entity page's Configure tab) only of workloads they own. Everything else, e.g. reading
 * a workload's status, is allowed.
 *
 * To use it, replace the allow-all policy module in features.ts with
 * `workloadCatalogPolicyModule`.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { workloadConfigurationUpdatePermission } from '@workload-catalog/plugin-workload-catalog-backend';
import {
  createWorkloadLeafConditionalDecision,
  workloadCatalogPullRequestCreatePermission,
  workloadLeafConditions,
} from '@workload-catalog/plugin-workload-catalog-node';

export interface WorkloadCatalogPolicyOptions {
  /** Entity refs of the groups whose members may propose anything. */
  adminGroups: string[];
  /** Environments everyone else may propose workloads for. */
  selfServiceEnvironments: string[];
  /** Most GPUs per replica everyone else may ask for. */
  selfServiceMaxGpus: number;
}

export class WorkloadCatalogPolicy implements PermissionPolicy {
  constructor(private readonly options: WorkloadCatalogPolicyOptions) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      isPermission(request.permission, workloadConfigurationUpdatePermission)
    ) {
      const refs = user?.info.ownershipEntityRefs ?? [];
      if (refs.some(ref => this.options.adminGroups.includes(ref))) {
        return { result: AuthorizeResult.ALLOW };
      }
      // Owners of the workload's entity (the leaf's owner, or the provider's default owner).
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims: refs }),
      );
    }
    if (
      !isPermission(
        request.permission,
        workloadCatalogPullRequestCreatePermission,
      )
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    const groups = user?.info.ownershipEntityRefs ?? [];
    if (groups.some(ref => this.options.adminGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    return createWorkloadLeafConditionalDecision(request.permission, {
      allOf: [
        workloadLeafConditions.isInEnvironment({
          environments: this.options.selfServiceEnvironments,
        }),
        workloadLeafConditions.hasAtMostGpus({
          max: this.options.selfServiceMaxGpus,
        }),
      ],
    });
  }
}

/** The policy as a backend module, configured from workloadCatalog.permissionPolicy (optional). */
export const workloadCatalogPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'workload-catalog-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const c = config.getOptionalConfig('workloadCatalog.permissionPolicy');
        policy.setPolicy(
          new WorkloadCatalogPolicy({
            adminGroups: c?.getOptionalStringArray('adminGroups') ?? [
              'group:default/platform-admins',
            ],
            selfServiceEnvironments: c?.getOptionalStringArray(
              'selfServiceEnvironments',
            ) ?? ['dev'],
            selfServiceMaxGpus: c?.getOptionalNumber('selfServiceMaxGpus') ?? 1,
          }),
        );
      },
    });
  },
});
