import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { LocalGitHub } from '@workload-catalog/github-local';
import { parseLeafFile } from '@workload-catalog/plugin-workload-catalog-common';
import { createDefaultGithubClientFactory } from '../github/client';
import {
  createWorkloadLeafConditionalDecision,
  workloadCatalogPullRequestCreatePermission,
  workloadLeafConditions,
} from '../permissions';
import {
  openLeafPullRequest,
  type LeafPullRequestOptions,
} from './openLeafPullRequest';

const EXAMPLES = path.resolve(__dirname, '../../../../examples/catalog/valid');
const example = (relative: string) =>
  parseLeafFile(readFileSync(path.join(EXAMPLES, relative), 'utf8'))
    .value as Record<string, any>;
const ORDERS_PATH = 'catalog/shop/dev/orders-api.yaml';

// The first test of the file also loads GitHub's OpenAPI description and GraphQL schema
// into the local GitHub (several seconds on a busy machine).
jest.setTimeout(30_000);

describe('openLeafPullRequest', () => {
  let gh: LocalGitHub;
  let options: LeafPullRequestOptions;
  const logger = mockServices.logger.mock();
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      env: { ...process.env, GIT_DIR: gh.repo('acme', 'catalog').git.dir },
    }).toString();
  const writes = () =>
    gh.calls.filter(c => c.method !== 'GET' && c.operation !== 'graphql');

  beforeEach(async () => {
    gh = await LocalGitHub.start({
      tokens: ['t'],
      repos: [
        {
          owner: 'acme',
          repo: 'catalog',
          files: {
            [ORDERS_PATH]: readFileSync(
              path.join(EXAMPLES, 'shop/dev/orders-api.yaml'),
            ),
          },
        },
      ],
    });
    const config = new ConfigReader({
      integrations: {
        github: [{ host: gh.host, apiBaseUrl: gh.apiUrl, token: 't' }],
      },
    });
    options = {
      githubClientFactory: createDefaultGithubClientFactory({
        integrations: ScmIntegrations.fromConfig(config),
        timeoutMs: 60_000,
        maxRetries: 0,
      }),
      catalogRepo: {
        url: `${gh.url}/acme/catalog`,
        host: gh.host,
        owner: 'acme',
        repo: 'catalog',
        baseBranch: 'main',
        leafPathPattern:
          'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
        branchPrefix: 'workload-catalog',
      },
      policy: {},
    };
  });
  afterEach(() => gh.stop());

  it('opens a pull request without a scaffolder task: each step simply runs', async () => {
    const result = await openLeafPullRequest(options, {
      leaf: example('ml-inference/dev/ollama-phi.yaml'),
      requestId: 'request-1',
      requestedBy: 'user:default/jane',
      logger,
    });
    expect(result).toMatchObject({
      pullRequestNumber: 1,
      leafPath: 'catalog/ml-inference/dev/ollama-phi.yaml',
      branch: 'workload-catalog/catalog/ml-inference/dev/ollama-phi',
      adopted: false,
    });
    expect(result.pullRequestUrl).toBe(`${gh.url}/acme/catalog/pull/1`);
    const message = git('log', '-1', '--format=%B', result.branch);
    expect(message).toContain('Workload-Catalog-Task: request-1');
    expect(message).toContain('Requested-By: user:default/jane');
  });

  it('hands every side effect to the step runner under a versioned key', async () => {
    const keys: string[] = [];
    await openLeafPullRequest(options, {
      leaf: example('ml-inference/dev/ollama-phi.yaml'),
      requestId: 'request-2',
      logger,
      labels: ['workload'],
      step: async (key, fn) => {
        keys.push(key);
        return fn();
      },
    });
    expect(keys).toEqual([
      'workload-catalog.v2.read-base',
      'workload-catalog.v2.commit',
      'workload-catalog.v2.pull-request',
      'workload-catalog.v2.labels',
    ]);
  });

  it('refuses an invalid leaf by field path before it asks GitHub anything', async () => {
    const leaf = {
      ...example('ml-inference/dev/ollama-phi.yaml'),
      serviceName: 'Ollama_Phi',
    };
    await expect(
      openLeafPullRequest(options, { leaf, requestId: 'r', logger }),
    ).rejects.toThrow(/serviceName: /);
    expect(gh.calls).toEqual([]);
  });

  it('needs credentials when permissions are configured', async () => {
    const permissions = mockServices.permissions.mock();
    await expect(
      openLeafPullRequest(
        { ...options, permissions },
        {
          leaf: example('ml-inference/dev/ollama-phi.yaml'),
          requestId: 'r',
          logger,
        },
      ),
    ).rejects.toThrow(/no credentials/);
    expect(gh.calls).toEqual([]);
  });

  it('authorises an update against the leaf it replaces as well as the new one', async () => {
    // The user may only touch workloads in namespace "team-a"; the existing leaf is in
    // "shop". Moving it into team-a would take over another team's workload.
    const permissions = mockServices.permissions.mock();
    permissions.authorizeConditional.mockResolvedValue([
      createWorkloadLeafConditionalDecision(
        workloadCatalogPullRequestCreatePermission,
        workloadLeafConditions.isInNamespace({ namespaces: ['team-a'] }),
      ),
    ]);
    const leaf = {
      ...example('shop/dev/orders-api.yaml'),
      namespace: 'team-a',
    };
    await expect(
      openLeafPullRequest(
        { ...options, permissions },
        {
          leaf,
          update: true,
          requestId: 'r',
          credentials: mockCredentials.user('user:default/mallory'),
          logger,
        },
      ),
    ).rejects.toThrow(/not allowed to propose orders-api .*namespace "shop"/);
    expect(writes()).toEqual([]);
    expect(
      git('for-each-ref', '--format=%(refname)', 'refs/heads').trim(),
    ).toBe('refs/heads/main');
  });

  describe('catalog-wide rules against the base branch', () => {
    const orders = () => example('shop/dev/orders-api.yaml');
    const ordersText = readFileSync(
      path.join(EXAMPLES, 'shop/dev/orders-api.yaml'),
      'utf8',
    );
    /** The catalog repo with these files (and nothing else) on main. */
    const catalogWith = async (
      files: Record<string, string>,
      leafPathPattern = 'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
    ) => {
      await gh.createRepo({ owner: 'acme', repo: 'shared', files });
      options = {
        ...options,
        catalogRepo: {
          ...options.catalogRepo,
          url: `${gh.url}/acme/shared`,
          repo: 'shared',
          leafPathPattern,
        },
      };
      gh.resetCalls();
    };
    const branches = () =>
      execFileSync(
        'git',
        ['for-each-ref', '--format=%(refname)', 'refs/heads'],
        {
          env: { ...process.env, GIT_DIR: gh.repo('acme', 'shared').git.dir },
        },
      )
        .toString()
        .trim();

    it('refuses serviceName + namespace of a leaf in another catalog, naming it, and writes nothing', async () => {
      await catalogWith({ [ORDERS_PATH]: ordersText });
      // Another team's catalog, another environment, the same Kubernetes names.
      const leaf = {
        ...orders(),
        serviceCatalog: 'billing',
        environment: 'prod',
      };
      await expect(
        openLeafPullRequest(options, { leaf, requestId: 'r', logger }),
      ).rejects.toThrow(
        `catalog/billing/prod/orders-api.yaml would break the catalog-wide rules of ${gh.url}/acme/shared (main); nothing was written:\n- serviceName "orders-api" in namespace "shop" is already the workload of ${ORDERS_PATH} on main: the Kubernetes objects are named after serviceName, so Argo CD would make two Applications own the same Deployment, Service and route, and one would silently replace the other. Choose another serviceName, or another namespace.`,
      );
      expect(writes()).toEqual([]);
      // the base with the catalog's paths, then the texts of the leaves named like the service
      expect(gh.calls.map(c => c.operation)).toEqual(['graphql', 'graphql']);
      expect(branches()).toBe('refs/heads/main');
      expect(gh.repo('acme', 'shared').pulls).toEqual([]);
    });

    it('refuses a second leaf of one service and environment (another catalog, another namespace)', async () => {
      await catalogWith({ [ORDERS_PATH]: ordersText });
      const leaf = {
        ...orders(),
        serviceCatalog: 'billing',
        namespace: 'billing',
      };
      await expect(
        openLeafPullRequest(options, { leaf, requestId: 'r', logger }),
      ).rejects.toThrow(
        `- serviceName "orders-api" is already deployed to environment "dev" by ${ORDERS_PATH} on main: a service has one leaf per environment across the whole catalog. Choose another serviceName or another environment; to change that workload, update ${ORDERS_PATH} instead.`,
      );
      expect(writes()).toEqual([]);
    });

    it('counts a hidden leaf file (Argo CD reads it) and names it', async () => {
      const hidden = 'catalog/.attic/prod/.orders-api.yaml';
      await catalogWith({
        [hidden]: ordersText.replace('environment: dev', 'environment: prod'),
      });
      const leaf = { ...orders(), serviceCatalog: 'billing' };
      await expect(
        openLeafPullRequest(options, { leaf, requestId: 'r', logger }),
      ).rejects.toThrow(
        `serviceName "orders-api" in namespace "shop" is already the workload of ${hidden} on main`,
      );
      expect(writes()).toEqual([]);
    });

    it('reads the texts of many leaves named like the service in queries of 100', async () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 150; i++)
        files[`catalog/team-${i}/dev/orders-api-${i}.yaml`] = ordersText
          .replace('serviceName: orders-api', `serviceName: orders-api-${i}`)
          .replace('namespace: shop', `namespace: team-${i}`);
      // the leaf that holds the name comes late in the tree (the second batch of texts)
      files['catalog/team-99/prod/orders-api.yaml'] = ordersText.replace(
        'environment: dev',
        'environment: prod',
      );
      await catalogWith(files);
      const leaf = { ...orders(), serviceCatalog: 'billing' };
      await expect(
        openLeafPullRequest(options, { leaf, requestId: 'r', logger }),
      ).rejects.toThrow(
        'serviceName "orders-api" in namespace "shop" is already the workload of catalog/team-99/prod/orders-api.yaml on main',
      );
      expect(gh.calls.map(c => c.operation)).toEqual([
        'graphql',
        'graphql',
        'graphql',
      ]);
      expect(writes()).toEqual([]);
    });

    it('reports the conflict in a dry run as well', async () => {
      await catalogWith({ [ORDERS_PATH]: ordersText });
      const leaf = {
        ...orders(),
        serviceCatalog: 'billing',
        environment: 'prod',
      };
      await expect(
        openLeafPullRequest(options, {
          leaf,
          requestId: 'r',
          logger,
          dryRun: true,
        }),
      ).rejects.toThrow(
        /already the workload of catalog\/shop\/dev\/orders-api.yaml on main/,
      );
      expect(writes()).toEqual([]);
    });

    it('follows the configured layout, at the root of the repository too', async () => {
      await catalogWith(
        { 'dev/orders-api.yaml': ordersText, 'README.md': '# catalog\n' },
        '{environment}/{serviceName}.yaml',
      );
      const leaf = { ...orders(), environment: 'prod' };
      await expect(
        openLeafPullRequest(options, { leaf, requestId: 'r', logger }),
      ).rejects.toThrow(
        'serviceName "orders-api" in namespace "shop" is already the workload of dev/orders-api.yaml on main',
      );
      expect(writes()).toEqual([]);
    });

    it('lets through what keeps the rules, a new service in the same four calls: an update of the same leaf, other names, invalid leaves', async () => {
      await catalogWith({
        [ORDERS_PATH]: ordersText,
        // the same names, but not a valid leaf: the CLI reports it on its own, not as a clash
        'catalog/broken/prod/orders-api.yaml': ordersText.replace(
          'replicas: 2',
          'replicas: many',
        ),
        // another service in the same namespace and environment
        'catalog/shop/dev/payments.yaml': ordersText.replace(
          'serviceName: orders-api',
          'serviceName: payments',
        ),
        'catalog/README.md': '# leaves\n',
      });
      const update = await openLeafPullRequest(options, {
        leaf: {
          ...orders(),
          container: { ...orders().container, replicas: 3 },
        },
        update: true,
        requestId: 'update',
        logger,
      });
      expect(update.leafPath).toBe(ORDERS_PATH);
      gh.resetCalls();
      const created = await openLeafPullRequest(options, {
        leaf: { ...orders(), serviceName: 'orders-api-v2' },
        requestId: 'new',
        logger,
      });
      expect(created.pullRequestNumber).toBe(2);
      expect(gh.calls.map(c => c.operation)).toEqual([
        'graphql',
        'git/create-ref',
        'graphql/createCommitOnBranch',
        'pulls/create',
      ]);
      expect(gh.violations).toEqual([]);
    });
  });

  it('lets an update through when both the old and the new leaf are allowed', async () => {
    const permissions = mockServices.permissions.mock();
    permissions.authorizeConditional.mockResolvedValue([
      createWorkloadLeafConditionalDecision(
        workloadCatalogPullRequestCreatePermission,
        workloadLeafConditions.isInNamespace({ namespaces: ['shop'] }),
      ),
    ]);
    const orders = example('shop/dev/orders-api.yaml');
    const leaf = {
      ...orders,
      container: { ...orders.container, replicas: 3 },
    };
    const result = await openLeafPullRequest(
      { ...options, permissions },
      {
        leaf,
        update: true,
        requestId: 'r',
        credentials: mockCredentials.user('user:default/jane'),
        logger,
      },
    );
    expect(result.title).toMatch(/orders-api/);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(2);
  });
});
