import {
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
  type Entity,
} from '@backstage/catalog-model';
import { readWorkloadEntity } from '@workload-catalog/plugin-workload-catalog-common';
import {
  BROKEN_LEAF,
  ORDERS_LEAF,
  SEED_LEAF,
  leafText,
} from './__testUtils__/leaves';
import {
  leafToEntity,
  systemEntity,
  type CatalogRepoInfo,
  type LeafFile,
} from './leafEntity';
import { leafPathMatcher } from './leafPathMatcher';

const repo: CatalogRepoInfo = {
  webUrl: 'https://github.example.com/acme/catalog',
  owner: 'acme',
  repo: 'catalog',
  baseBranch: 'main',
  leafPathPattern: 'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
  branchPrefix: 'workload-catalog',
};
const options = {
  defaultOwner: 'group:default/platform-team',
  lifecycles: { dev: 'experimental', prod: 'production' },
  argocd: {},
};
const fields = leafPathMatcher(repo.leafPathPattern);

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/** The catalog's own checks: an entity it would reject fails the test. */
async function expectValidEntity(entity: Entity) {
  await expect(policy.enforce(entity)).resolves.toBeDefined();
  const validator =
    entity.kind === 'System'
      ? systemEntityV1alpha1Validator
      : componentEntityV1alpha1Validator;
  await expect(validator.check(entity)).resolves.toBe(true);
}

const file = (
  path: string,
  text: string,
  over: Partial<LeafFile> = {},
): LeafFile => ({
  path,
  sha: 'b'.repeat(40),
  text,
  source: 'merged',
  ref: 'main',
  ...over,
});

describe('leafToEntity', () => {
  it('makes the seed leaf a Component linked to its leaf, pull requests and Argo CD Application', async () => {
    const path = 'catalog/ml-inference/dev/ollama-phi.yaml';
    const { entity, issues } = leafToEntity(
      file(path, SEED_LEAF),
      fields(path)!,
      repo,
      options,
    );
    expect(issues).toEqual([]);
    await expectValidEntity(entity);
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'ollama-phi-dev',
        namespace: 'default',
        title: 'ollama-phi (dev)',
        description: 'OLLAMA_INFERENCE_LOAD ollama-phi in dev (phi:latest)',
        labels: {
          'workload-catalog.dev/service-name': 'ollama-phi',
          'workload-catalog.dev/catalog': 'ml-inference',
          'workload-catalog.dev/environment': 'dev',
          'workload-catalog.dev/workload-type': 'OLLAMA_INFERENCE_LOAD',
        },
        annotations: {
          'backstage.io/managed-by-location': `url:${repo.webUrl}/blob/main/${path}`,
          'backstage.io/managed-by-origin-location': `url:${repo.webUrl}/blob/main/${path}`,
          'backstage.io/source-location': `url:${repo.webUrl}/tree/main/catalog/ml-inference/dev/`,
          'backstage.io/view-url': `${repo.webUrl}/blob/main/${path}`,
          'github.com/project-slug': 'acme/catalog',
          'workload-catalog.dev/catalog-repo': repo.webUrl,
          'workload-catalog.dev/base-branch': 'main',
          'workload-catalog.dev/leaf-path': path,
          'workload-catalog.dev/leaf-sha': 'b'.repeat(40),
          'workload-catalog.dev/pull-request-branch':
            'workload-catalog/catalog/ml-inference/dev/ollama-phi',
          'workload-catalog.dev/source': 'merged',
          'workload-catalog.dev/service-name': 'ollama-phi',
          'workload-catalog.dev/catalog': 'ml-inference',
          'workload-catalog.dev/environment': 'dev',
          'workload-catalog.dev/workload-type': 'OLLAMA_INFERENCE_LOAD',
          'workload-catalog.dev/namespace': 'ml-workloads',
          'workload-catalog.dev/models': 'phi:latest',
          'argocd/app-selector':
            'workload-catalog.dev/service-name=ollama-phi,workload-catalog.dev/catalog=ml-inference,workload-catalog.dev/environment=dev',
          'backstage.io/kubernetes-id': 'ollama-phi',
          'backstage.io/kubernetes-label-selector':
            'workload-catalog.dev/service-name=ollama-phi,workload-catalog.dev/catalog=ml-inference,workload-catalog.dev/environment=dev',
          'backstage.io/kubernetes-namespace': 'ml-workloads',
        },
        tags: ['workload-catalog', 'ollama-inference-load'],
        links: [
          {
            url: `${repo.webUrl}/blob/main/${path}`,
            title: `Leaf ${path}`,
            icon: 'github',
          },
          { url: 'https://text.hypermedia.au/', title: 'Endpoint' },
        ],
      },
      spec: {
        type: 'ollama-inference-load',
        lifecycle: 'experimental',
        owner: 'group:default/platform-team',
        system: 'ml-inference',
      },
    });
    expect(readWorkloadEntity(entity)).toMatchObject({
      leafPath: path,
      source: 'merged',
      models: ['phi:latest'],
      serviceName: 'ollama-phi',
    });
  });

  it("uses the leaf's owner and description, the lifecycle map, and the Argo CD settings", async () => {
    const path = 'catalog/shop/prod/orders-api.yaml';
    const { entity } = leafToEntity(
      file(path, ORDERS_LEAF, {
        openPull: { number: 4, url: `${repo.webUrl}/pull/4` },
      }),
      fields(path)!,
      repo,
      {
        ...options,
        argocd: {
          appNameTemplate: '{serviceName}-{environment}',
          appNamespace: 'argocd-apps',
          instanceName: 'main',
        },
      },
    );
    await expectValidEntity(entity);
    expect(entity.spec).toEqual({
      type: 'basic-container-load',
      lifecycle: 'production',
      owner: 'group:default/shop-team',
      system: 'shop',
    });
    expect(entity.metadata.description).toBe('Orders API of the shop');
    expect(entity.metadata.annotations).toMatchObject({
      'argocd/app-name': 'orders-api-prod',
      'argocd/app-namespace': 'argocd-apps',
      'argocd/instance-name': 'main',
      'workload-catalog.dev/open-pull-request': '4',
    });
    // Argo CD's plugins take one of app-name and app-selector, never both.
    expect(entity.metadata.annotations).not.toHaveProperty(
      'argocd/app-selector',
    );
    expect(entity.metadata.annotations).not.toHaveProperty(
      'workload-catalog.dev/models',
    );
    expect(entity.metadata.links).toContainEqual({
      url: `${repo.webUrl}/pull/4`,
      title: 'Pull request #4',
      icon: 'github',
    });
  });

  it('selects the pods of its own environment: two environments of one namespace do not share pods', async () => {
    const leafIn = (environment: string) =>
      ORDERS_LEAF.replace(/environment: prod/, `environment: ${environment}`);
    const entityIn = (environment: string) => {
      const path = `catalog/shop/${environment}/orders-api.yaml`;
      return leafToEntity(
        file(path, leafIn(environment)),
        fields(path)!,
        repo,
        options,
      ).entity;
    };
    const dev = entityIn('dev').metadata.annotations!;
    const prod = entityIn('prod').metadata.annotations!;
    expect(dev['backstage.io/kubernetes-namespace']).toBe(
      prod['backstage.io/kubernetes-namespace'],
    );
    // The labels charts/workload-lib puts on every pod (workload-lib.labels).
    const podLabels = (environment: string) => ({
      'app.kubernetes.io/name': 'orders-api',
      'backstage.io/kubernetes-id': 'orders-api',
      'workload-catalog.dev/service-name': 'orders-api',
      'workload-catalog.dev/catalog': 'shop',
      'workload-catalog.dev/environment': environment,
    });
    const matches = (selector: string, labels: Record<string, string>) =>
      selector.split(',').every(term => {
        const [k, v] = term.split('=');
        return labels[k] === v;
      });
    const devSelector = dev['backstage.io/kubernetes-label-selector'];
    expect(devSelector).toContain('workload-catalog.dev/environment=dev');
    expect(matches(devSelector, podLabels('dev'))).toBe(true);
    expect(matches(devSelector, podLabels('prod'))).toBe(false);
    expect(
      matches(
        prod['backstage.io/kubernetes-label-selector'],
        podLabels('prod'),
      ),
    ).toBe(true);
    // Exactly one of the Argo CD annotations.
    expect(dev).toHaveProperty('argocd/app-selector');
    expect(dev).not.toHaveProperty('argocd/app-name');
  });

  it('carries the digest pins of the models for the status to compare', async () => {
    const path = 'catalog/ml-inference/dev/ollama-phi.yaml';
    const pinned = SEED_LEAF.replace(
      /^model: .*$/m,
      `model: "phi:latest@sha256:${'ab'.repeat(8)}"\nadditionalModels:\n  - mistral:7b`,
    );
    expect(pinned).not.toBe(SEED_LEAF);
    const { entity } = leafToEntity(
      file(path, pinned),
      fields(path)!,
      repo,
      options,
    );
    await expectValidEntity(entity);
    expect(entity.metadata.annotations).toMatchObject({
      'workload-catalog.dev/models': 'phi:latest,mistral:7b',
      'workload-catalog.dev/model-digests': `phi:latest@sha256:${'ab'.repeat(8)}`,
    });
    expect(readWorkloadEntity(entity)?.modelDigests).toEqual({
      'phi:latest': 'ab'.repeat(8),
    });
    const { entity: unpinned } = leafToEntity(
      file(path, SEED_LEAF),
      fields(path)!,
      repo,
      options,
    );
    expect(unpinned.metadata.annotations).not.toHaveProperty(
      'workload-catalog.dev/model-digests',
    );
  });

  it('keeps an invalid leaf as an entity named from its path, carrying every problem', async () => {
    const path = 'catalog/ml-inference/dev/broken-llm.yaml';
    const { entity, issues } = leafToEntity(
      file(path, BROKEN_LEAF),
      fields(path)!,
      repo,
      options,
    );
    await expectValidEntity(entity);
    expect(issues.map(i => [i.path, i.line])).toEqual([
      ['gpu.count', 8],
      ['replica', 9],
    ]);
    expect(entity.metadata.name).toBe('broken-llm-dev');
    expect(entity.metadata.tags).toContain('invalid-leaf');
    expect(entity.metadata.description).toMatch(
      /^Invalid catalog leaf catalog\/ml-inference\/dev\/broken-llm.yaml: gpu.count: must be a whole number/,
    );
    const info = readWorkloadEntity(entity)!;
    expect(info.leafErrors).toEqual(issues);
    expect(entity.spec?.type).toBe('ollama-inference-load');

    const garbage = leafToEntity(
      file('catalog/shop/dev/junk.yaml', '- just\n- a list\n'),
      fields('catalog/shop/dev/junk.yaml')!,
      repo,
      options,
    );
    await expectValidEntity(garbage.entity);
    expect(garbage.entity.metadata.name).toBe('junk-dev');
    expect(garbage.entity.spec).toMatchObject({
      type: 'workload',
      system: 'shop',
      lifecycle: 'experimental',
    });
    expect(garbage.issues.length).toBeGreaterThan(0);
  });

  it('reports a leaf whose fields do not match its path', () => {
    const path = 'catalog/ml-inference/dev/ollama-phi.yaml';
    const { entity, issues } = leafToEntity(
      file(path, leafText({ environment: 'prod' })),
      fields(path)!,
      repo,
      options,
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: '(document)',
        message: expect.stringContaining(
          'the leaf is at catalog/ml-inference/dev/ollama-phi.yaml, but its fields place it at catalog/ml-inference/prod/ollama-phi.yaml',
        ),
      }),
    ]);
    expect(entity.metadata.name).toBe('ollama-phi-prod');
  });

  it('marks a workload proposed in a pull request and links the leaf on its branch', async () => {
    const path = 'catalog/ml-inference/dev/ollama-phi.yaml';
    const branch = 'workload-catalog/catalog/ml-inference/dev/ollama-phi';
    const { entity } = leafToEntity(
      file(path, SEED_LEAF, {
        source: 'proposed',
        ref: branch,
        openPull: { number: 9, url: `${repo.webUrl}/pull/9` },
      }),
      fields(path)!,
      repo,
      options,
    );
    await expectValidEntity(entity);
    expect(entity.metadata.tags).toContain('proposed');
    expect(entity.metadata.annotations).toMatchObject({
      'workload-catalog.dev/source': 'proposed',
      'workload-catalog.dev/open-pull-request': '9',
      'backstage.io/view-url': `${repo.webUrl}/blob/${branch}/${path}`,
    });
  });

  it('makes a System per service catalog', async () => {
    const system = systemEntity(
      'ml-inference',
      repo,
      'group:default/platform-team',
    );
    await expectValidEntity(system);
    expect(system.metadata.name).toBe('ml-inference');
    expect(system.spec).toEqual({ owner: 'group:default/platform-team' });
  });
});
