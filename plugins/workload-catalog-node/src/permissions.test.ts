import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  validateLeaf,
  type WorkloadLeaf,
} from '@workload-catalog/plugin-workload-catalog-common';
import { seedLeaf } from '@workload-catalog/plugin-workload-catalog-common/testUtils';
import {
  authorizeLeaf,
  createWorkloadLeafConditionalDecision,
  leafResource,
  workloadCatalogPullRequestCreatePermission,
  workloadLeafConditions,
  workloadLeafPermissionRules,
} from './permissions';

async function seed(): Promise<WorkloadLeaf> {
  const result = validateLeaf(seedLeaf());
  if (!result.valid) throw new Error('seed leaf is not valid');
  return result.leaf;
}

describe('permissions', () => {
  it('describes a leaf by what policies care about', async () => {
    expect(leafResource(await seed())).toEqual({
      workloadType: 'OLLAMA_INFERENCE_LOAD',
      serviceName: 'ollama-phi',
      serviceCatalog: 'ml-inference',
      environment: 'dev',
      namespace: 'ml-workloads',
      gpuCount: 1,
    });
  });

  it('has rules for environment, namespace and GPU count', async () => {
    const r = leafResource(await seed());
    const { isInEnvironment, isInNamespace, hasAtMostGpus } =
      workloadLeafPermissionRules;
    expect(isInEnvironment.apply(r, { environments: ['dev'] })).toBe(true);
    expect(isInEnvironment.apply(r, { environments: ['prod'] })).toBe(false);
    expect(isInNamespace.apply(r, { namespaces: ['shop'] })).toBe(false);
    expect(hasAtMostGpus.apply(r, { max: 1 })).toBe(true);
    expect(hasAtMostGpus.apply(r, { max: 0 })).toBe(false);
    expect(isInEnvironment.toQuery({ environments: ['dev'] })).toEqual({
      field: 'environment',
      values: ['dev'],
    });
  });

  it('evaluates combined conditions of a policy decision', async () => {
    const permissions = mockServices.permissions.mock();
    permissions.authorizeConditional.mockResolvedValue([
      createWorkloadLeafConditionalDecision(
        workloadCatalogPullRequestCreatePermission,
        {
          allOf: [
            workloadLeafConditions.isInEnvironment({ environments: ['dev'] }),
            workloadLeafConditions.hasAtMostGpus({ max: 0 }),
          ],
        },
      ),
    ]);
    const options = {
      permissions,
      credentials: mockCredentials.user(),
      permission: workloadCatalogPullRequestCreatePermission,
      what: 'propose',
    };
    const leaf = await seed();
    await expect(authorizeLeaf({ ...options, leaf })).rejects.toThrow(
      /not allowed to propose ollama-phi .* 1 GPUs/,
    );
    await expect(
      authorizeLeaf({
        ...options,
        leaf: { ...leaf, gpu: { count: 0 } } as WorkloadLeaf,
      }),
    ).resolves.toBeUndefined();
    permissions.authorizeConditional.mockResolvedValue([
      { result: AuthorizeResult.DENY },
    ]);
    await expect(authorizeLeaf({ ...options, leaf })).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });
});
