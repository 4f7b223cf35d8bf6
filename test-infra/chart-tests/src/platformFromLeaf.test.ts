/*
 * `platform` is the platform team's: a leaf must not set it, whatever file it is in. Helm
 * validates the merged values (leaf file, then the ApplicationSet's valuesObject) and cannot
 * tell which file a key came from, and a leaf's platform keys that the valuesObject does not
 * set (GPU tolerations, node selector) would survive the merge. So the ApplicationSet
 * computes leafSetsPlatform from the leaf file's own keys and the charts' values.schema.json
 * requires "false".
 *
 * The Applications are rendered from deploy/argocd/applicationset.yaml by argocd-local (Go
 * text/template and sprig, as Argo CD's ApplicationSet controller), then each one's chart is
 * rendered by helm as Argo CD does it: the leaf as the values file, the valuesObject after it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  loadApplicationSet,
  renderApplications,
} from '@workload-catalog/argocd-local';
import { parseLeafFile } from '@workload-catalog/plugin-workload-catalog-common';
import { helm, parseManifests, type HelmResult, type Manifest } from './helm';
import { repoRoot, seedLeafPath } from './paths';

jest.setTimeout(180_000);

const SEED = fs.readFileSync(seedLeafPath, 'utf8');
const PLATFORM = [
  'platform:',
  '  gpu:',
  '    tolerations:',
  '      - operator: Exists',
  '    nodeSelector:',
  '      pool: reserved',
  '',
].join('\n');

const named = (text: string, name: string) =>
  text.replace(/^serviceName: .*$/m, `serviceName: ${name}`);

const FILES = [
  { path: 'catalog/ml-inference/dev/ollama-phi.yaml', content: SEED },
  {
    path: 'catalog/ml-inference/dev/greedy.yaml',
    content: named(SEED, 'greedy') + PLATFORM,
  },
  {
    // a hidden file is a leaf to the generator's glob too; setting the guard itself does not help
    path: 'catalog/ml-inference/dev/.hidden.yaml',
    content: `${named(SEED, 'hidden')}leafSetsPlatform: "false"\n${PLATFORM}`,
  },
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-platform-'));

/** helm template of an Application's chart, as Argo CD runs it: valueFiles, then valuesObject. */
async function renderApp(
  app: Manifest,
  content: string,
  valuesObject?: Record<string, unknown>,
): Promise<HelmResult & { docs: Manifest[] }> {
  const chart = app.spec.sources.find((s: Manifest) => s.path);
  const base = path.join(dir, app.metadata.name);
  fs.writeFileSync(`${base}.leaf.yaml`, content);
  fs.writeFileSync(
    `${base}.values.json`,
    JSON.stringify(valuesObject ?? chart.helm.valuesObject),
  );
  const result = await helm([
    'template',
    chart.helm.releaseName,
    path.join(repoRoot, chart.path),
    '-f',
    `${base}.leaf.yaml`,
    '-f',
    `${base}.values.json`,
  ]);
  return {
    ...result,
    docs: result.code === 0 ? parseManifests(result.stdout) : [],
  };
}

async function applications() {
  const results = await renderApplications(loadApplicationSet(), FILES);
  return FILES.map(file => {
    const r = results.find(x => x.path === file.path);
    if (!r || !('application' in r))
      throw new Error(`no Application for ${file.path}: ${JSON.stringify(r)}`);
    return { file, app: r.application as Manifest };
  });
}

const refusal = (file: string) =>
  `at '/leafSetsPlatform': 'true: the leaf file ${file} sets platform values, which only the platform team sets (in this ApplicationSet); remove its platform key' does not match pattern '^false$'`;

describe('platform values from a leaf file', () => {
  it('the ApplicationSet computes leafSetsPlatform from the leaf file itself', async () => {
    const apps = await applications();
    expect(
      apps.map(
        ({ app }) =>
          app.spec.sources.find((s: Manifest) => s.path).helm.valuesObject
            .leafSetsPlatform,
      ),
    ).toEqual([
      'false',
      expect.stringMatching(/^true: the leaf file catalog\/.*greedy\.yaml/),
      expect.stringMatching(/^true: the leaf file catalog\/.*\.hidden\.yaml/),
    ]);
  });

  it('a normal leaf renders; a leaf file with a platform key (a hidden one too) fails with the schema message', async () => {
    const [normal, greedy, hidden] = await applications();
    const ok = await renderApp(normal.app, normal.file.content);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.docs.length).toBeGreaterThan(0);

    for (const { app, file } of [greedy, hidden]) {
      const r = await renderApp(app, file.content);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        "values don't meet the specifications of the schema",
      );
      expect(r.stderr).toContain(refusal(file.path));
    }
  });

  it('without the guard, the leaf would set its own GPU tolerations and node selector (what the guard stops)', async () => {
    const [, greedy] = await applications();
    const chart = greedy.app.spec.sources.find((s: Manifest) => s.path);
    const { leafSetsPlatform, ...unguarded } = chart.helm.valuesObject;
    expect(leafSetsPlatform).not.toBe('false');
    const r = await renderApp(greedy.app, greedy.file.content, unguarded);
    expect(r.stderr).toBe('');
    const workload = r.docs.find(d => d.kind === 'Deployment')!;
    expect(workload.spec.template.spec.tolerations).toEqual([
      { operator: 'Exists' },
    ]);
    expect(workload.spec.template.spec.nodeSelector).toMatchObject({
      pool: 'reserved',
    });
  });

  it('the CLI refuses the platform key, saying who sets platform values', () => {
    const { valid, issues } = parseLeafFile(named(SEED, 'greedy') + PLATFORM);
    expect(valid).toBe(false);
    expect(issues).toEqual([
      {
        path: 'platform',
        line: SEED.split('\n').length,
        column: 1,
        message:
          'unknown field "platform"; platform values (GPU tolerations and node selector, GPU limits, gateway, issuers, pod security) are set by the platform team in the Argo CD ApplicationSet, never by a leaf, and a chart refuses a leaf file that has this key: remove it',
      },
    ]);
  });
});
