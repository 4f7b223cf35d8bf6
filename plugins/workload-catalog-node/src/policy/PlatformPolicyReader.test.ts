import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { LocalGitHub } from '@workload-catalog/github-local';
import { seedLeaf } from '@workload-catalog/plugin-workload-catalog-common/testUtils';
import { createDefaultGithubClientFactory } from '../github/client';
import {
  openLeafPullRequest,
  type LeafPullRequestOptions,
} from '../pullRequest/openLeafPullRequest';
import {
  PlatformPolicyReader,
  type PlatformPolicyReaderOptions,
} from './PlatformPolicyReader';

const POLICY = `apiVersion: workload-catalog.dev/v1
kind: PlatformPolicy
environments: [dev, prod]
namespaces: [ml-workloads]
gpu: { maxPerReplica: 2, maxPerWorkload: 2 }
`;

describe('PlatformPolicyReader', () => {
  const logger = mockServices.logger.mock();
  let gh: LocalGitHub;
  let now = 0;

  async function start(files: Record<string, string>) {
    gh = await LocalGitHub.start({
      tokens: ['t'],
      repos: [{ owner: 'acme', repo: 'catalog', files }],
    });
  }
  afterEach(() => gh?.stop());

  function reader(
    configPolicy: PlatformPolicyReaderOptions['configPolicy'] = {},
  ) {
    const config = new ConfigReader({
      integrations: {
        github: [{ host: gh.host, apiBaseUrl: gh.apiUrl, token: 't' }],
      },
    });
    const githubClientFactory = createDefaultGithubClientFactory({
      integrations: ScmIntegrations.fromConfig(config),
      timeoutMs: 30_000,
      maxRetries: 0,
    });
    const catalogRepo = {
      url: `${gh.url}/acme/catalog`,
      host: gh.host,
      owner: 'acme',
      repo: 'catalog',
      baseBranch: 'main',
      leafPathPattern:
        'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
      branchPrefix: 'workload-catalog',
    };
    return {
      githubClientFactory,
      catalogRepo,
      reader: new PlatformPolicyReader({
        githubClientFactory,
        catalogRepo,
        configPolicy,
        logger,
        cacheTtlMs: 1000,
        now: () => now,
      }),
    };
  }

  it('reads the catalog repo’s policy file and narrows it with config', async () => {
    await start({ '.workload-catalog/policy.yaml': POLICY });
    expect(await reader({ environments: ['dev'] }).reader.get()).toEqual({
      environments: ['dev'],
      namespaces: ['ml-workloads'],
      maxGpuCount: 2,
      maxGpusPerWorkload: 2,
    });
  });

  it('is config alone when the repo has no policy file', async () => {
    await start({ 'README.md': '#' });
    expect(await reader({ maxGpuCount: 4 }).reader.get()).toEqual({
      maxGpuCount: 4,
    });
  });

  it('refuses config that widens the policy, naming the key', async () => {
    await start({ '.workload-catalog/policy.yaml': POLICY });
    await expect(
      reader({ namespaces: ['ml-workloads', 'argocd'] }).reader.get(),
    ).rejects.toThrow(
      /Backstage config widens the platform policy \(\.workload-catalog\/policy\.yaml on main of .*\):\n- workloadCatalog\.namespaces lists "argocd"/,
    );
  });

  it('fails closed on an invalid policy file, with its line', async () => {
    await start({
      '.workload-catalog/policy.yaml': POLICY.replace(
        'environments: [dev, prod]',
        'environments: dev',
      ),
    });
    await expect(reader().reader.get()).rejects.toThrow(
      /The platform policy \.workload-catalog\/policy\.yaml on main of .* is not valid, so nothing it governs can be checked:\n- line 3: environments: /,
    );
  });

  it('keeps a read policy for its TTL, then reads again', async () => {
    await start({ '.workload-catalog/policy.yaml': POLICY });
    const { reader: r } = reader();
    now = 0;
    await r.get();
    await r.get();
    const reads = () =>
      gh.calls.filter(c => c.operation === 'repos/get-content').length;
    expect(reads()).toBe(1);
    now = 1500;
    await r.get();
    expect(reads()).toBe(2);
  });

  it('is what the pull request checks: a leaf the repo’s policy refuses writes nothing', async () => {
    await start({ '.workload-catalog/policy.yaml': POLICY });
    const { reader: r, githubClientFactory, catalogRepo } = reader();
    const options: LeafPullRequestOptions = {
      githubClientFactory,
      catalogRepo,
      policy: () => r.get(),
    };
    const leaf = seedLeaf();
    leaf.container.replicas = 3;
    await expect(
      openLeafPullRequest(options, { leaf, requestId: 'r', logger }),
    ).rejects.toThrow(
      /container\.replicas: asks for 3 GPUs \(1 per replica × 3 replicas\); the platform allows at most 2 GPUs per workload/,
    );
    expect(gh.calls.filter(c => c.method !== 'GET')).toEqual([]);
    leaf.container.replicas = 2;
    const result = await openLeafPullRequest(options, {
      leaf,
      requestId: 'r2',
      logger,
    });
    expect(result.pullRequestNumber).toBe(1);
  });
});
