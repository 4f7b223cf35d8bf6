import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { LocalGitHub } from '@workload-catalog/github-local';
import { createGithubClient } from '@workload-catalog/plugin-workload-catalog-node';
import { Octokit } from '@octokit/rest';
import {
  BROKEN_LEAF,
  ORDERS_LEAF,
  SEED_LEAF,
  leafText,
} from './__testUtils__/leaves';
import { WorkloadCatalogEntityProvider } from './WorkloadCatalogEntityProvider';

const TOKEN = 'test-token';

// The paging test opens 120 pull requests (on 2 cores beside other test projects).
jest.setTimeout(120_000);
const PATTERN = 'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml';

describe('WorkloadCatalogEntityProvider against the local GitHub', () => {
  let gh: LocalGitHub;
  let octokit: Octokit;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let applied: Entity[][];
  let provider: WorkloadCatalogEntityProvider;
  const repo = { owner: 'acme', repo: 'catalog' };

  const connection: EntityProviderConnection = {
    applyMutation: async mutation => {
      if (mutation.type !== 'full') throw new Error('expected a full mutation');
      applied.push(mutation.entities.map(e => e.entity));
    },
    refresh: async () => {},
  };

  const makeProvider = (
    over: { includeProposed?: boolean; systems?: boolean } = {},
  ) =>
    new WorkloadCatalogEntityProvider({
      repo: {
        host: gh.host,
        ...repo,
        webUrl: `${gh.url}/acme/catalog`,
        baseBranch: 'main',
        leafPathPattern: PATTERN,
        branchPrefix: 'workload-catalog',
      },
      entity: {
        defaultOwner: 'group:default/platform-team',
        lifecycles: { prod: 'production' },
        argocd: {},
      },
      includeProposed: over.includeProposed ?? true,
      systems: over.systems ?? true,
      githubClientFactory: async ({ logger: l }) =>
        createGithubClient({
          baseUrl: gh.apiUrl,
          token: TOKEN,
          timeoutMs: 10_000,
          maxRetries: 0,
          logger: l,
        }) as any,
      logger,
    });

  /** A pull request as the scaffolder action opens it: one commit on workload-catalog/<leaf path>. */
  async function openPull(path: string, text: string) {
    const base = await octokit.rest.repos.getBranch({
      ...repo,
      branch: 'main',
    });
    const tree = await octokit.rest.git.createTree({
      ...repo,
      base_tree: base.data.commit.commit.tree.sha,
      tree: [{ path, mode: '100644', type: 'blob', content: text }],
    });
    const commit = await octokit.rest.git.createCommit({
      ...repo,
      message: `Add ${path}`,
      tree: tree.data.sha,
      parents: [base.data.commit.sha],
    });
    const branch = `workload-catalog/${path.replace(/\.yaml$/, '')}`;
    await octokit.rest.git.createRef({
      ...repo,
      ref: `refs/heads/${branch}`,
      sha: commit.data.sha,
    });
    const pull = await octokit.rest.pulls.create({
      ...repo,
      head: branch,
      base: 'main',
      title: `Add ${path}`,
    });
    return pull.data;
  }

  beforeEach(async () => {
    gh = await LocalGitHub.start({
      tokens: [TOKEN],
      repos: [
        {
          ...repo,
          files: {
            'README.md': '# catalog\n',
            'catalog/ml-inference/dev/ollama-phi.yaml': SEED_LEAF,
            'catalog/shop/prod/orders-api.yaml': ORDERS_LEAF,
            'catalog/ml-inference/dev/broken-llm.yaml': BROKEN_LEAF,
            'catalog/notes.md': 'not a leaf\n',
            'catalog/shop/prod/deeper/x.yaml': 'not a leaf either\n',
          },
        },
      ],
    });
    octokit = new Octokit({ baseUrl: gh.apiUrl, auth: TOKEN });
    logger = mockServices.logger.mock();
    applied = [];
    provider = makeProvider();
    await provider.connect(connection);
  });
  afterEach(async () => {
    const violations = [...gh.violations];
    await gh.stop();
    // A request GitHub would reject fails the test that made it.
    if (violations.length)
      throw new Error(`GitHub API violations:\n${violations.join('\n')}`);
  });

  const names = (entities: Entity[]) =>
    entities.map(e => `${e.kind.toLowerCase()}:${e.metadata.name}`).sort();

  it('keeps one Component per leaf and a System per catalog, reporting invalid leaves', async () => {
    gh.resetCalls();
    const result = await provider.refresh();
    expect(names(applied[0])).toEqual([
      'component:broken-llm-dev',
      'component:ollama-phi-dev',
      'component:orders-api-prod',
      'system:ml-inference',
      'system:shop',
    ]);
    expect(result.invalid).toEqual([
      {
        path: 'catalog/ml-inference/dev/broken-llm.yaml',
        messages: [
          expect.stringMatching(
            /^catalog\/ml-inference\/dev\/broken-llm\.yaml:8:10: gpu\.count: /,
          ),
          expect.stringMatching(
            /^catalog\/ml-inference\/dev\/broken-llm\.yaml:9:1: replica: /,
          ),
        ],
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Invalid workload catalog leaf catalog\/ml-inference\/dev\/broken-llm.yaml; listed with its problems/,
      ),
    );
    const broken = applied[0].find(e => e.metadata.name === 'broken-llm-dev')!;
    expect(
      JSON.parse(
        broken.metadata.annotations!['workload-catalog.dev/leaf-errors'],
      ),
    ).toHaveLength(2);
    // branch, tree, the three blobs in one GraphQL query, open pull requests
    expect(gh.calls.map(c => c.operation)).toEqual([
      'repos/get-branch',
      'git/get-tree',
      'graphql',
      'pulls/list',
    ]);
  });

  it('reads only what changed, and leaves the catalog alone when nothing did', async () => {
    await provider.refresh();
    gh.resetCalls();
    const again = await provider.refresh();
    expect(again.entities).toBeUndefined();
    expect(applied).toHaveLength(1);
    // Conditional requests: both answered 304 Not Modified (free of rate limit on GitHub).
    expect(gh.calls.map(c => [c.operation, c.status])).toEqual([
      ['repos/get-branch', 304],
      ['pulls/list', 304],
    ]);

    // A merged change of one leaf: one new blob is read.
    const pull = await openPull(
      'catalog/ml-inference/dev/ollama-phi.yaml',
      leafText({ model: '"mistral:7b"' }),
    );
    await octokit.rest.pulls.merge({ ...repo, pull_number: pull.number });
    gh.resetCalls();
    const changed = await provider.refresh();
    expect(gh.calls.map(c => [c.operation, c.status])).toEqual([
      ['repos/get-branch', 200],
      ['git/get-tree', 200],
      ['graphql', 200],
      // Opened and merged since the last refresh: the open pull requests are as they were.
      ['pulls/list', 304],
    ]);
    const phi = changed.entities!.find(
      e => e.metadata.name === 'ollama-phi-dev',
    )!;
    expect(phi.metadata.annotations!['workload-catalog.dev/models']).toBe(
      'mistral:7b',
    );
  });

  it('lists a workload proposed in an open pull request, and links update pull requests', async () => {
    const proposed = await openPull(
      'catalog/ml-inference/staging/ollama-phi.yaml',
      leafText({ environment: 'staging' }),
    );
    const update = await openPull(
      'catalog/shop/prod/orders-api.yaml',
      ORDERS_LEAF.replace('1.4.2', '1.5.0'),
    );
    // Not ours: other branches are ignored.
    await octokit.rest.git.createRef({
      ...repo,
      ref: 'refs/heads/feature/docs',
      sha: proposed.head.sha,
    });
    await octokit.rest.pulls.create({
      ...repo,
      head: 'feature/docs',
      base: 'main',
      title: 'Docs',
    });

    await provider.refresh();
    const byName = Object.fromEntries(
      applied[0].map(e => [e.metadata.name, e]),
    );
    expect(byName['ollama-phi-staging'].metadata.annotations).toMatchObject({
      'workload-catalog.dev/source': 'proposed',
      'workload-catalog.dev/open-pull-request': String(proposed.number),
      'backstage.io/view-url': `${gh.url}/acme/catalog/blob/workload-catalog/catalog/ml-inference/staging/ollama-phi/catalog/ml-inference/staging/ollama-phi.yaml`,
    });
    expect(byName['orders-api-prod'].metadata.annotations).toMatchObject({
      'workload-catalog.dev/source': 'merged',
      'workload-catalog.dev/open-pull-request': String(update.number),
    });
    // The deployed leaf stays the merged one until the update is merged.
    expect(
      byName['orders-api-prod'].metadata.annotations![
        'workload-catalog.dev/leaf-sha'
      ],
    ).not.toBe(update.head.sha);

    // The proposed leaf is read once per head commit.
    gh.resetCalls();
    await provider.refresh();
    expect(gh.countCalls('graphql')).toBe(0);

    // Closing the pull request removes the proposed workload.
    await octokit.rest.pulls.update({
      ...repo,
      pull_number: proposed.number,
      state: 'closed',
    });
    await provider.refresh();
    expect(names(applied.at(-1)!)).not.toContain(
      'component:ollama-phi-staging',
    );
  });

  it('can leave proposed workloads and systems out', async () => {
    await openPull(
      'catalog/ml-inference/staging/ollama-phi.yaml',
      leafText({ environment: 'staging' }),
    );
    const p = makeProvider({ includeProposed: false, systems: false });
    await p.connect(connection);
    await p.refresh();
    expect(names(applied[0])).toEqual([
      'component:broken-llm-dev',
      'component:ollama-phi-dev',
      'component:orders-api-prod',
    ]);
  });

  it('reports a pull request branch without its leaf, and the same service in two catalogs', async () => {
    const other = await openPull(
      'catalog/other/dev/ollama-phi.yaml',
      leafText({ serviceCatalog: 'other' }),
    );
    await octokit.rest.git.updateRef({
      ...repo,
      ref: 'heads/workload-catalog/catalog/other/dev/ollama-phi',
      sha: (await octokit.rest.repos.getBranch({ ...repo, branch: 'main' }))
        .data.commit.sha,
      force: true,
    });
    const { problems } = await provider.refresh();
    expect(problems).toEqual([
      `pull request #${other.number} (workload-catalog/catalog/other/dev/ollama-phi) has no leaf at catalog/other/dev/ollama-phi.yaml`,
    ]);

    const clash = await openPull(
      'catalog/more/dev/ollama-phi.yaml',
      leafText({ serviceCatalog: 'more' }),
    );
    await octokit.rest.pulls.merge({ ...repo, pull_number: clash.number });
    const result = await provider.refresh();
    // Both rules (common's, as the CLI words them), and one entity for the name.
    expect(result.invalid).toContainEqual({
      path: 'catalog/more/dev/ollama-phi.yaml',
      messages: [
        'catalog/more/dev/ollama-phi.yaml: not listed: catalog/ml-inference/dev/ollama-phi.yaml already gives the entity component:default/ollama-phi-dev',
        'catalog/more/dev/ollama-phi.yaml:2:14: serviceName: "ollama-phi" is already deployed to environment "dev" by catalog/ml-inference/dev/ollama-phi.yaml; service names are unique per environment',
        'catalog/more/dev/ollama-phi.yaml:2:14: serviceName: "ollama-phi" in namespace "ml-workloads" is already the workload of catalog/ml-inference/dev/ollama-phi.yaml; the Kubernetes objects are named after serviceName, so it must be unique in its namespace across the whole catalog',
      ],
    });
    const listed = applied[applied.length - 1].find(
      e => e.metadata.name === 'ollama-phi-dev',
    )!;
    expect(listed.metadata.annotations!['workload-catalog.dev/leaf-path']).toBe(
      'catalog/ml-inference/dev/ollama-phi.yaml',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Workload catalog leaf catalog/more/dev/ollama-phi.yaml: not listed: catalog/ml-inference/dev/ollama-phi.yaml already gives the entity component:default/ollama-phi-dev:\n  catalog/more/dev/ollama-phi.yaml:2:14: serviceName: "ollama-phi" is already deployed',
      ),
    );
  });

  describe('catalog-wide rules', () => {
    const NAMESPACE_RULE = (owner: string) =>
      `"ollama-phi" in namespace "ml-workloads" is already the workload of ${owner}; the Kubernetes objects are named after serviceName, so it must be unique in its namespace across the whole catalog`;
    const byName = (entities: Entity[], name: string) =>
      entities.find(e => e.metadata.name === name)!;
    const errorsOf = (entity: Entity) =>
      JSON.parse(
        entity.metadata.annotations!['workload-catalog.dev/leaf-errors'] ??
          '[]',
      );
    /** A commit on main that writes (or, with null, removes) one file. */
    async function commitToMain(path: string, text: string | null) {
      const base = await octokit.rest.repos.getBranch({
        ...repo,
        branch: 'main',
      });
      const tree = await octokit.rest.git.createTree({
        ...repo,
        base_tree: base.data.commit.commit.tree.sha,
        tree: [
          text === null
            ? { path, mode: '100644', type: 'blob', sha: null }
            : { path, mode: '100644', type: 'blob', content: text },
        ],
      });
      const commit = await octokit.rest.git.createCommit({
        ...repo,
        message: `Change ${path}`,
        tree: tree.data.sha,
        parents: [base.data.commit.sha],
      });
      await octokit.rest.git.updateRef({
        ...repo,
        ref: 'heads/main',
        sha: commit.data.sha,
      });
    }

    it('lists both leaves of one serviceName and namespace; the later carries the conflict on its workload page', async () => {
      // Another catalog, another environment, the same Kubernetes names.
      await commitToMain(
        'catalog/other/prod/ollama-phi.yaml',
        leafText({ serviceCatalog: 'other', environment: 'prod' }),
      );
      const { entities, invalid } = await provider.refresh();
      const first = byName(entities!, 'ollama-phi-dev');
      const later = byName(entities!, 'ollama-phi-prod');
      expect(errorsOf(first)).toEqual([]);
      expect(first.metadata.tags).not.toContain('invalid-leaf');
      expect(errorsOf(later)).toEqual([
        {
          path: 'serviceName',
          line: 2,
          column: 14,
          message: NAMESPACE_RULE('catalog/ml-inference/dev/ollama-phi.yaml'),
        },
      ]);
      expect(later.metadata.tags).toContain('invalid-leaf');
      expect(invalid).toContainEqual({
        path: 'catalog/other/prod/ollama-phi.yaml',
        messages: [
          `catalog/other/prod/ollama-phi.yaml:2:14: serviceName: ${NAMESPACE_RULE('catalog/ml-inference/dev/ollama-phi.yaml')}`,
        ],
      });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Invalid workload catalog leaf catalog/other/prod/ollama-phi.yaml; listed with its problems',
        ),
      );
    });

    it('counts a hidden leaf file, as Argo CD reads it', async () => {
      const hidden = 'catalog/zz/prod/.ollama-phi.yaml';
      await commitToMain(
        hidden,
        leafText({ serviceCatalog: 'zz', environment: 'prod' }),
      );
      const { entities } = await provider.refresh();
      const entity = byName(entities!, 'ollama-phi-prod');
      expect(
        entity.metadata.annotations!['workload-catalog.dev/leaf-path'],
      ).toBe(hidden);
      expect(errorsOf(entity)).toContainEqual({
        path: 'serviceName',
        line: 2,
        column: 14,
        message: NAMESPACE_RULE('catalog/ml-inference/dev/ollama-phi.yaml'),
      });
    });

    it('puts a leaf proposed in a pull request after the merged ones, whatever its path', async () => {
      // "aaa" sorts before "ml-inference", but the merged leaf was there first.
      await openPull(
        'catalog/aaa/prod/ollama-phi.yaml',
        leafText({ serviceCatalog: 'aaa', environment: 'prod' }),
      );
      const { entities } = await provider.refresh();
      expect(errorsOf(byName(entities!, 'ollama-phi-dev'))).toEqual([]);
      expect(errorsOf(byName(entities!, 'ollama-phi-prod'))).toEqual([
        expect.objectContaining({
          message: NAMESPACE_RULE('catalog/ml-inference/dev/ollama-phi.yaml'),
        }),
      ]);
    });

    it('clears the conflict when the earlier leaf goes', async () => {
      await commitToMain(
        'catalog/other/prod/ollama-phi.yaml',
        leafText({ serviceCatalog: 'other', environment: 'prod' }),
      );
      await provider.refresh();
      await commitToMain('catalog/ml-inference/dev/ollama-phi.yaml', null);
      const { entities } = await provider.refresh();
      expect(errorsOf(byName(entities!, 'ollama-phi-prod'))).toEqual([]);
    });
  });

  it('keeps the entities when GitHub fails, and says so', async () => {
    await provider.refresh();
    gh.faults.serverError('git/get-tree', { status: 503 });
    const pull = await openPull(
      'catalog/ml-inference/dev/new.yaml',
      leafText({ serviceName: 'new' }),
    );
    await octokit.rest.pulls.merge({ ...repo, pull_number: pull.number });
    await expect(provider.refresh()).rejects.toMatchObject({ status: 503 });
    expect(applied).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Could not read the workload catalog repo .*acme\/catalog \(main\); the catalog keeps the workloads it has: /,
      ),
    );
    // The next run succeeds.
    await provider.refresh();
    expect(names(applied[1])).toContain('component:new-dev');
  });

  it('follows the Link pages of more than 100 open pull requests, and reads more leaves than one query holds', async () => {
    // 150 leaves on main (two GraphQL batches of 100), 120 open pull requests (two pages):
    // 60 change a merged leaf, 60 propose a new one.
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++)
      files[`catalog/bulk/dev/svc-${i}.yaml`] = leafText({
        serviceName: `svc-${i}`,
        serviceCatalog: 'bulk',
      });
    const base = await octokit.rest.repos.getBranch({
      ...repo,
      branch: 'main',
    });
    const tree = await octokit.rest.git.createTree({
      ...repo,
      base_tree: base.data.commit.commit.tree.sha,
      tree: Object.entries(files).map(([path, content]) => ({
        path,
        mode: '100644' as const,
        type: 'blob' as const,
        content,
      })),
    });
    const commit = await octokit.rest.git.createCommit({
      ...repo,
      message: 'bulk',
      tree: tree.data.sha,
      parents: [base.data.commit.sha],
    });
    await octokit.rest.git.updateRef({
      ...repo,
      ref: 'heads/main',
      sha: commit.data.sha,
    });
    for (let i = 0; i < 60; i++) {
      await openPull(
        `catalog/bulk/dev/svc-${i}.yaml`,
        leafText({
          serviceName: `svc-${i}`,
          serviceCatalog: 'bulk',
          model: '"mistral:7b"',
        }),
      );
      await openPull(
        `catalog/bulk/staging/new-${i}.yaml`,
        leafText({
          serviceName: `new-${i}`,
          serviceCatalog: 'bulk',
          environment: 'staging',
        }),
      );
    }
    gh.resetCalls();
    const result = await provider.refresh();
    expect(gh.calls.map(c => c.operation)).toEqual([
      'repos/get-branch',
      'git/get-tree',
      'graphql', // leaves 1-100
      'graphql', // leaves 101-153
      'pulls/list', // pull requests 1-100
      'pulls/list', // 101-120, through the Link header's rel="next"
      'graphql', // the 60 proposed leaves
    ]);
    const byName = Object.fromEntries(
      result.entities!.map(e => [e.metadata.name, e]),
    );
    expect(result.entities!.filter(e => e.kind === 'Component')).toHaveLength(
      3 + 150 + 60,
    );
    expect(byName['new-59-staging'].metadata.annotations).toMatchObject({
      'workload-catalog.dev/source': 'proposed',
    });
    // The pull request of svc-0 is on the second page (newest first): linked all the same.
    expect(
      byName['svc-0-dev'].metadata.annotations![
        'workload-catalog.dev/open-pull-request'
      ],
    ).toBe('1');
    expect(result.problems).toEqual([]);

    // Nothing changed: three conditional requests, all 304.
    gh.resetCalls();
    await provider.refresh();
    expect(gh.calls.map(c => [c.operation, c.status])).toEqual([
      ['repos/get-branch', 304],
      ['pulls/list', 304],
      ['pulls/list', 304],
    ]);
  });

  it('refuses to refresh before the catalog connects', async () => {
    await expect(makeProvider().refresh()).rejects.toThrow(
      'WorkloadCatalogEntityProvider is not connected',
    );
  });

  it('runs on its schedule', async () => {
    const run = jest.fn();
    const p = new WorkloadCatalogEntityProvider({
      ...(provider as any).options,
      taskRunner: { run },
    });
    await p.connect(connection);
    expect(run).toHaveBeenCalledWith({
      id: `workload-catalog:${gh.host}/acme/catalog:refresh`,
      fn: expect.any(Function),
    });
    await run.mock.calls[0][0].fn();
    expect(applied).toHaveLength(1);
    gh.faults.serverError('repos/get-branch', { status: 500 });
    await expect(run.mock.calls[0][0].fn()).resolves.toBeUndefined();
  });
});
