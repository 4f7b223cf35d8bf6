import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  workloadConfigurationUpdatePermission,
  workloadStatusReadPermission,
} from '@workload-catalog/plugin-workload-catalog-backend';
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

describe('WorkloadCatalogPolicy: workload status and configuration', () => {
  it('lets everyone see the status of a workload', async () => {
    expect(
      await policy.handle({ permission: workloadStatusReadPermission }, user()),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets platform admins change any configuration, and owners their own (a catalog condition)', async () => {
    expect(
      await policy.handle(
        { permission: workloadConfigurationUpdatePermission },
        user('group:default/platform-admins'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(
        { permission: workloadConfigurationUpdatePermission },
        user('group:default/ml-team'),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/jane', 'group:default/ml-team'] },
      },
    });
  });
});
