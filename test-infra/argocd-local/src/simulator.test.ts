import { LocalGitHub } from '@workload-catalog/github-local';
import { LocalOllama } from '@workload-catalog/ollama-local';
import { stopSchemaWorker } from './schema';
import { LocalArgoCD } from './server';
import { ApplicationSetSimulator, DEFAULT_CHART_REVISION } from './simulator';

const SEED = `workloadType: OLLAMA_INFERENCE_LOAD
serviceName: ollama-phi
serviceCatalog: ml-inference
namespace: ml-workloads
environment: dev
model: "phi:latest"
additionalModels: ["mistral:7b"]
`;
const WEB = `workloadType: BASIC_CONTAINER_ROLLOUT
serviceName: web
serviceCatalog: shop
namespace: shop
environment: prod
container: { image: nginx }
`;

describe('ApplicationSetSimulator', () => {
  let gh: LocalGitHub;
  let argo: LocalArgoCD;
  let ollama: LocalOllama;
  let now: number;
  let sim: ApplicationSetSimulator;
  const lines: string[] = [];

  beforeEach(async () => {
    gh = await LocalGitHub.start({
      tokens: ['t'],
      repos: [
        {
          owner: 'local',
          repo: 'catalog',
          files: {
            'catalog/ml-inference/dev/ollama-phi.yaml': SEED,
            'catalog/shop/prod/web.yaml': WEB,
            'catalog/shop/prod/notes.md': '# not a leaf',
            'catalog/shop/prod/broken.yaml': 'serviceName: broken\n',
          },
        },
      ],
    });
    argo = await LocalArgoCD.start();
    ollama = await LocalOllama.start();
    now = 0;
    lines.length = 0;
    sim = new ApplicationSetSimulator({
      argo,
      github: {
        apiUrl: gh.apiUrl,
        token: 't',
        owner: 'local',
        repo: 'catalog',
      },
      syncDelayMs: 1000,
      healthyDelayMs: 2000,
      ollamaControlUrl: ollama.url,
      now: () => now,
      log: line => lines.push(line),
    });
  });
  afterEach(async () => {
    await sim.stop();
    await Promise.all([gh.stop(), argo.stop(), ollama.stop()]);
  });
  afterAll(() => stopSchemaWorker());

  const state = (name: string) => {
    const s = argo.get(name)?.status;
    return `${s?.sync?.status}/${s?.health?.status}`;
  };

  it('creates an Application per leaf as the ApplicationSet names and labels them, then deploys it', async () => {
    await sim.tick();
    expect(argo.list().map(a => a.metadata.name)).toEqual([
      'ml-inference.dev.ollama-phi',
      'shop.prod.web',
    ]);
    const app = argo.get('ml-inference.dev.ollama-phi')!;
    expect(app.metadata.labels).toEqual({
      'app.kubernetes.io/part-of': 'workload-catalog',
      'workload-catalog.dev/service-name': 'ollama-phi',
      'workload-catalog.dev/catalog': 'ml-inference',
      'workload-catalog.dev/environment': 'dev',
      'workload-catalog.dev/workload-type': 'OLLAMA_INFERENCE_LOAD',
    });
    expect(app.metadata.annotations).toEqual({
      'workload-catalog.dev/leaf-path':
        'catalog/ml-inference/dev/ollama-phi.yaml',
    });
    expect(app.spec.project).toBe('workload-catalog');
    expect(state('ml-inference.dev.ollama-phi')).toBe('OutOfSync/Missing');
    const head = (
      await (
        await fetch(`${gh.apiUrl}/repos/local/catalog/branches/main`, {
          headers: { authorization: 'token t' },
        })
      ).json()
    ).commit.sha;
    // Multi-source, as deploy/argocd generates it: one revision per source, the catalog
    // repo's (the `ref` source) second; the singular field stays empty.
    expect(app.spec.sources.map((x: any) => x.ref ?? x.path)).toEqual([
      'charts/ollama-inference-load',
      'catalog',
    ]);
    expect(app.spec.sources[1].repoURL).toBe(sim.catalogRepoURL());
    expect(app.status?.sync?.revisions).toEqual([DEFAULT_CHART_REVISION, head]);
    expect(app.status?.sync).not.toHaveProperty('revision');
    // A file the template cannot render generates nothing (missingkey=error).
    expect(sim.renderErrors.get('catalog/shop/prod/broken.yaml')).toMatch(
      /map has no entry for key/,
    );

    now = 1000;
    await sim.tick();
    expect(state('ml-inference.dev.ollama-phi')).toBe('Synced/Progressing');
    expect(argo.get('shop.prod.web')!.status?.resources).toContainEqual(
      expect.objectContaining({ kind: 'Rollout', name: 'web' }),
    );
    expect(ollama.tags).toEqual([]);
    now = 3000;
    await sim.tick();
    expect(state('ml-inference.dev.ollama-phi')).toBe('Synced/Healthy');
    expect(ollama.tags.map(m => m.name).sort()).toEqual([
      'mistral:7b',
      'phi:latest',
    ]);
    expect(lines).toContain('Application ml-inference.dev.ollama-phi Healthy');
    expect(gh.violations).toEqual([]);
  });

  it('follows changes: a changed leaf deploys again, an unchanged one moves to the new commit, a removed one goes', async () => {
    await sim.tick();
    now = 5000;
    await sim.tick();
    now = 10000;
    await sim.tick();
    const repo = gh.repo('local', 'catalog');
    const commit = async (files: Record<string, string | null>) => {
      const octo = (path: string, body: unknown) =>
        fetch(`${gh.apiUrl}/repos/local/catalog${path}`, {
          method: 'POST',
          headers: {
            authorization: 'token t',
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
        }).then(r => r.json());
      const head = await repo.git.resolveRef('refs/heads/main');
      const base = await repo.git.readCommit(head!);
      const tree = await octo('/git/trees', {
        base_tree: base!.tree,
        tree: Object.entries(files).map(([path, content]) =>
          content === null
            ? { path, mode: '100644', type: 'blob', sha: null }
            : { path, mode: '100644', type: 'blob', content },
        ),
      });
      const c = await octo('/git/commits', {
        message: 'change',
        tree: tree.sha,
        parents: [head],
      });
      await fetch(`${gh.apiUrl}/repos/local/catalog/git/refs/heads/main`, {
        method: 'PATCH',
        headers: {
          authorization: 'token t',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ sha: c.sha }),
      });
      return c.sha as string;
    };
    const sha = await commit({
      'catalog/ml-inference/dev/ollama-phi.yaml': SEED.replace(
        'mistral:7b',
        'llama3.2:3b',
      ),
      'catalog/shop/prod/web.yaml': null,
    });
    await sim.tick();
    expect(state('ml-inference.dev.ollama-phi')).toBe('OutOfSync/Missing');
    expect(
      argo.get('ml-inference.dev.ollama-phi')!.status?.sync?.revisions?.[1],
    ).toBe(sha);
    expect(argo.get('shop.prod.web')).toBeUndefined();
    expect(lines).toContain('leaf removed: Application shop.prod.web deleted');

    now = 11000;
    await sim.tick();
    expect(state('ml-inference.dev.ollama-phi')).toBe('Synced/Progressing');
    now = 14000;
    await sim.tick();
    expect(state('ml-inference.dev.ollama-phi')).toBe('Synced/Healthy');

    const other = await commit({ 'README.md': 'docs\n' });
    now = 15000;
    await sim.tick();
    expect(state('ml-inference.dev.ollama-phi')).toBe('Synced/Healthy');
    const moved = argo.get('ml-inference.dev.ollama-phi')!.status!;
    // Compared (and Synced) at the commit that did not touch the leaf; deployed at the
    // one that did.
    expect(moved.sync?.revisions?.[1]).toBe(other);
    expect(moved.history?.[0]?.revisions?.[1]).toBe(sha);
    expect(moved.operationState?.syncResult?.revisions?.[1]).toBe(sha);
    expect(argo.violations).toEqual([]);
  });

  it('keeps polling when GitHub fails, and stops', async () => {
    gh.faults.serverError('repos/get-branch', { status: 503 });
    sim.start(10);
    for (;;) {
      if (lines.some(l => l.startsWith('poll failed: GitHub answered 503')))
        break;
      await new Promise(r => setTimeout(r, 10));
    }
    for (;;) {
      if (argo.list().length === 2) break;
      await new Promise(r => setTimeout(r, 10));
    }
    await sim.stop();
    expect(lines.filter(l => l.startsWith('new leaf'))).toHaveLength(2);
  });
});
