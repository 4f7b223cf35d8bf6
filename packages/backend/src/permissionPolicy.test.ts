import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  workloadCatalogPullRequestCreatePermission,
  workloadLeafPermissionRules,
  type WorkloadLeafResource,
} from '@workload-catalog/plugin-workload-catalog-node';
import { WorkloadCatalogPolicy } from './permissionPolicy';

const policy = new WorkloadCatalogPolicy({
  adminGroups: ['group:default/platform-admins'],
  selfServiceEnvironments: ['dev'],
  selfServiceMaxGpus: 1,
});
const user = (...groups: string[]) => ({
  credentials: mockCredentials.user('user:default/jane'),
  info: {
    userEntityRef: 'user:default/jane',
    ownershipEntityRefs: ['user:default/jane', ...groups],
  },
});
const authorize = createConditionAuthorizer(
  Object.values(workloadLeafPermissionRules),
);
const leaf = (environment: string, gpuCount: number): WorkloadLeafResource => ({
  workloadType: 'OLLAMA_INFERENCE_LOAD',
  serviceName: 'ollama-phi',
  serviceCatalog: 'ml-inference',
  environment,
  namespace: 'ml-workloads',
  gpuCount,
});

describe('WorkloadCatalogPolicy (the stricter example policy)', () => {
  it('lets platform admins propose anything', async () => {
    const decision = await policy.handle(
      { permission: workloadCatalogPullRequestCreatePermission },
      user('group:default/platform-admins'),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets everyone else propose only in dev with at most one GPU', async () => {
    const decision = await policy.handle(
      { permission: workloadCatalogPullRequestCreatePermission },
      user('group:default/ml'),
    );
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(authorize(decision, leaf('dev', 1))).toBe(true);
    expect(authorize(decision, leaf('dev', 2))).toBe(false);
    expect(authorize(decision, leaf('prod', 0))).toBe(false);
  });

  it('leaves other permissions alone', async () => {
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    expect(await policy.handle({ permission: other }, user())).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
