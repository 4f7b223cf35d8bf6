import fs from 'node:fs';
import path from 'node:path';
import { sourcesContext, states } from './applications';
import {
  ApplicationSetError,
  loadApplicationSet,
  matchesFileGlob,
  renderApplications,
} from './appset';
import { argoSpecsAvailable, argoSpecsDir, crdProblems } from './specs';

const EXAMPLES = path.resolve(__dirname, '../../../examples/catalog/valid');
const CATALOG = 'http://127.0.0.1:7008/local/catalog.git';

/** The example catalog's leaves at the paths the ApplicationSet reads. */
function exampleFiles() {
  const out: Array<{ path: string; content: string }> = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.yaml'))
        out.push({
          path: `catalog/${path.relative(EXAMPLES, full)}`,
          content: fs.readFileSync(full, 'utf8'),
        });
    }
  };
  walk(EXAMPLES);
  return out;
}

const SEED = `workloadType: OLLAMA_INFERENCE_LOAD
serviceName: ollama-phi
serviceCatalog: ml-inference
namespace: ml-workloads
environment: dev
model: "phi:latest"
gpu:
  count: 1
`;

describe("deploy/argocd's ApplicationSet, rendered as Argo CD renders it", () => {
  jest.setTimeout(120_000);

  it('finds the descriptions Argo CD publishes', () => {
    // The checks below are only as good as these files (see src/specs.ts).
    expect({ dir: argoSpecsDir(), found: argoSpecsAvailable() }).toEqual({
      dir: argoSpecsDir(),
      found: true,
    });
  });

  it('generates the multi-source Application of the seed leaf, named and labelled as its template says', async () => {
    const appSet = loadApplicationSet({ catalogRepoURL: CATALOG });
    const [result] = await renderApplications(appSet, [
      { path: 'catalog/ml-inference/dev/ollama-phi.yaml', content: SEED },
    ]);
    expect(result).not.toHaveProperty('error');
    const app = (result as any).application;
    expect(app.metadata).toMatchObject({
      name: 'ml-inference.dev.ollama-phi',
      namespace: 'argocd',
      labels: {
        'app.kubernetes.io/part-of': 'workload-catalog',
        'workload-catalog.dev/service-name': 'ollama-phi',
        'workload-catalog.dev/catalog': 'ml-inference',
        'workload-catalog.dev/environment': 'dev',
        'workload-catalog.dev/workload-type': 'OLLAMA_INFERENCE_LOAD',
      },
      annotations: {
        'workload-catalog.dev/leaf-path':
          'catalog/ml-inference/dev/ollama-phi.yaml',
      },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
      ownerReferences: [
        expect.objectContaining({
          kind: 'ApplicationSet',
          name: 'workload-catalog',
          controller: true,
        }),
      ],
    });
    expect(app.spec.source).toBeUndefined();
    expect(app.spec.sources).toHaveLength(2);
    expect(app.spec.sources[0]).toMatchObject({
      path: 'charts/ollama-inference-load',
      helm: {
        releaseName: 'ollama-phi',
        valueFiles: ['$catalog/catalog/ml-inference/dev/ollama-phi.yaml'],
      },
    });
    // The generator's repo is the local catalog repo, and so is the `ref` source.
    expect(appSet.git.repoURL).toBe(CATALOG);
    expect(app.spec.sources[1]).toEqual({
      repoURL: CATALOG,
      targetRevision: 'main',
      ref: 'catalog',
    });
    expect(app.spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'ml-workloads',
    });
    expect(crdProblems(app)).toEqual([]);
  });

  it('renders every example leaf into an Application the CRD accepts, in each state', async () => {
    const appSet = loadApplicationSet({ catalogRepoURL: CATALOG });
    const results = await renderApplications(appSet, exampleFiles());
    expect(results.length).toBeGreaterThanOrEqual(6);
    for (const r of results) {
      expect(r).not.toHaveProperty('error');
      const app = (r as any).application;
      const ctx = {
        revision: 'a'.repeat(40),
        workload: app.metadata.labels['workload-catalog.dev/service-name'],
        ...sourcesContext(app, s =>
          s.repoURL === CATALOG ? 'a'.repeat(40) : 'b'.repeat(40),
        ),
      };
      for (const status of [
        states.created(),
        states.outOfSync(ctx),
        states.syncing(ctx),
        states.progressing(ctx),
        states.healthy(ctx),
        states.degraded(ctx, 'Back-off pulling image'),
        states.syncFailed(ctx, 'one or more objects failed to apply'),
        states.comparisonError(ctx, 'values don’t meet the specifications'),
      ])
        expect(crdProblems({ ...app, status })).toEqual([]);
    }
  });

  it('fills the plural revision fields of a multi-source app, one per source, and no singular one', async () => {
    const appSet = loadApplicationSet({ catalogRepoURL: CATALOG });
    const [r] = await renderApplications(appSet, [
      { path: 'catalog/ml-inference/dev/ollama-phi.yaml', content: SEED },
    ]);
    const app = (r as any).application;
    const status = states.healthy({
      revision: 'cat',
      ...sourcesContext(app, s => (s.ref ? 'cat' : 'chart')),
    });
    expect(status.sync).toEqual({
      status: 'Synced',
      revisions: ['chart', 'cat'],
      comparedTo: {
        sources: app.spec.sources,
        destination: app.spec.destination,
      },
    });
    expect(status.history![0]).toMatchObject({
      revisions: ['chart', 'cat'],
      sources: app.spec.sources,
    });
    expect(status.history![0]).not.toHaveProperty('revision');
    expect(status.operationState!.syncResult).toEqual({
      revision: '',
      revisions: ['chart', 'cat'],
      sources: app.spec.sources,
      resources: [],
    });
    expect(status.operationState!.operation.sync).toEqual({
      revisions: ['chart', 'cat'],
    });
    expect(status.sync).not.toHaveProperty('revision');
  });

  it('generates nothing for a leaf the template cannot render (missingkey=error), and names the key', async () => {
    const appSet = loadApplicationSet({ catalogRepoURL: CATALOG });
    const results = await renderApplications(appSet, [
      {
        path: 'catalog/ml-inference/dev/half.yaml',
        content: 'serviceName: half\nenvironment: dev\n',
      },
      { path: 'catalog/ml-inference/dev/ollama-phi.yaml', content: SEED },
      { path: 'catalog/ml-inference/dev/notes.md', content: '# no' },
      { path: 'catalog/deep/er/than/glob.yaml', content: SEED },
    ]);
    expect(results.map(r => r.path)).toEqual([
      'catalog/ml-inference/dev/half.yaml',
      'catalog/ml-inference/dev/ollama-phi.yaml',
    ]);
    expect((results[0] as any).error).toMatch(
      /map has no entry for key "(serviceCatalog|workloadType|namespace)"/,
    );
  });

  it('refuses two leaves that generate one Application name, as the controller does', async () => {
    const appSet = loadApplicationSet({ catalogRepoURL: CATALOG });
    const results = await renderApplications(appSet, [
      { path: 'catalog/ml-inference/dev/ollama-phi.yaml', content: SEED },
      { path: 'catalog/other/dev/copy.yaml', content: SEED },
    ]);
    expect(results.map(r => (r as any).error)).toEqual([
      'ApplicationSet workload-catalog contains applications with duplicate name: ml-inference.dev.ollama-phi',
      'ApplicationSet workload-catalog contains applications with duplicate name: ml-inference.dev.ollama-phi',
    ]);
  });

  it('matches files as the generator globs do', () => {
    expect(matchesFileGlob('catalog/*/*/*.yaml', 'catalog/a/b/c.yaml')).toBe(
      true,
    );
    expect(matchesFileGlob('catalog/*/*/*.yaml', 'catalog/a/b/c/d.yaml')).toBe(
      false,
    );
    expect(matchesFileGlob('catalog/**/*.yaml', 'catalog/a/b/c/d.yaml')).toBe(
      true,
    );
    expect(matchesFileGlob('catalog/?.yaml', 'catalog/ab.yaml')).toBe(false);
  });

  it('refuses an ApplicationSet it cannot render, naming the field', () => {
    const tmp = path.join(
      fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'appset-')),
      'a.yaml',
    );
    fs.writeFileSync(
      tmp,
      'kind: ApplicationSet\nspec:\n  goTemplate: false\n  template: {}\n',
    );
    expect(() => loadApplicationSet({ file: tmp })).toThrow(
      new ApplicationSetError(
        'a.yaml: spec.goTemplate must be true (argocd-local renders Go templates only)',
      ),
    );
    fs.writeFileSync(
      tmp,
      'kind: ApplicationSet\nspec:\n  goTemplate: true\n  generators: [{list: {}}]\n',
    );
    expect(() => loadApplicationSet({ file: tmp })).toThrow(
      'a.yaml: spec.generators must be one git files generator; got list',
    );
  });
});
