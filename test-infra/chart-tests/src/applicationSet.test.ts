/*
 * deploy/argocd: the ApplicationSet and the AppProject against Argo CD's CRD schemas, and the
 * ApplicationSet's template evaluated for every example leaf with Go templates and sprig
 * (Helm's template engine is the same text/template + sprig that Argo CD's goTemplate mode
 * uses), giving the Application Argo CD would create; that Application's chart, values file
 * and platform values are then rendered with helm.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workloadTypeSlug } from '@workload-catalog/plugin-workload-catalog-common';
import { parse, stringify } from 'yaml';
import { helm, parseManifests, pool, template, type Manifest } from './helm';
import { manifestErrors } from './k8s/validate';
import { repoRoot, validExampleLeaves } from './paths';

// helm runs real processes; on a busy 2-core machine a test may take a while
jest.setTimeout(180_000);

const deployDir = path.join(repoRoot, 'deploy/argocd');
const appSet = parse(
  fs.readFileSync(path.join(deployDir, 'applicationset.yaml'), 'utf8'),
);
const project = parse(
  fs.readFileSync(path.join(deployDir, 'appproject.yaml'), 'utf8'),
);

/** Where an example leaf lives in the catalog repo: catalog/<serviceCatalog>/<environment>/<serviceName>.yaml. */
function catalogPath(leaf: Record<string, any>) {
  const dir = `catalog/${leaf.serviceCatalog}/${leaf.environment}`;
  const filename = `${leaf.serviceName}.yaml`;
  return {
    path: dir,
    filename,
    basename: leaf.serviceName,
    basenameNormalized: leaf.serviceName,
    filenameNormalized: filename,
    segments: dir.split('/'),
  };
}

/** The Applications the ApplicationSet's template yields for the given generator parameters. */
async function applicationsFor(
  params: Record<string, any>[],
): Promise<Manifest[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-appset-'));
  fs.mkdirSync(path.join(dir, 'templates'));
  fs.writeFileSync(
    path.join(dir, 'Chart.yaml'),
    'apiVersion: v2\nname: appset-template\nversion: 0.0.0\n',
  );
  const body = stringify(
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      ...appSet.spec.template,
    },
    { lineWidth: 0 },
  );
  fs.writeFileSync(
    path.join(dir, 'templates/application.yaml'),
    `{{- with .Values }}\n${body}{{- end }}\n`,
  );
  return pool(params, async p => {
    const result = await helm(
      ['template', 'x', dir, '-f', '-'],
      JSON.stringify(p),
    );
    if (result.code !== 0) throw new Error(result.stderr);
    expect(result.stdout).not.toContain('<no value>');
    const [app] = parseManifests(result.stdout);
    return app;
  });
}

const examples = validExampleLeaves().map(file => {
  const leaf = parse(fs.readFileSync(file, 'utf8'));
  return { file, leaf, params: { ...leaf, path: catalogPath(leaf) } };
});

describe('the ApplicationSet', () => {
  it('and the AppProject are valid against the Argo CD CRD schemas', async () => {
    expect(await manifestErrors([appSet, project])).toEqual([]);
    expect(appSet.kind).toBe('ApplicationSet');
  });

  it('reads the leaves of the catalog repo with Go templates that fail on a missing key', () => {
    expect(appSet.spec.goTemplate).toBe(true);
    expect(appSet.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(appSet.spec.generators).toEqual([
      {
        git: expect.objectContaining({
          files: [{ path: 'catalog/*/*/*.yaml' }],
        }),
      },
    ]);
    const catalogRepo = appSet.spec.generators[0].git.repoURL;
    expect(
      appSet.spec.template.spec.sources.find(
        (s: Manifest) => s.ref === 'catalog',
      ).repoURL,
    ).toBe(catalogRepo);
    expect(project.spec.sourceRepos).toEqual(
      appSet.spec.template.spec.sources.map((s: Manifest) => s.repoURL),
    );
  });

  it('syncs automatically, with prune and self-heal', () => {
    expect(appSet.spec.template.spec.syncPolicy.automated).toEqual({
      prune: true,
      selfHeal: true,
    });
    expect(appSet.spec.template.spec.project).toBe(project.metadata.name);
  });

  it('yields for every example leaf the Application of the contract, valid against its schema', async () => {
    const apps = await applicationsFor(examples.map(e => e.params));
    expect(await manifestErrors(apps)).toEqual([]);
    apps.forEach((app, i) => {
      const { leaf, params } = examples[i];
      expect(app.metadata.name).toBe(
        `${leaf.serviceCatalog}.${leaf.environment}.${leaf.serviceName}`,
      );
      expect(app.metadata.labels).toEqual({
        'app.kubernetes.io/part-of': 'workload-catalog',
        'workload-catalog.dev/service-name': leaf.serviceName,
        'workload-catalog.dev/catalog': leaf.serviceCatalog,
        'workload-catalog.dev/environment': leaf.environment,
        'workload-catalog.dev/workload-type': leaf.workloadType,
      });
      expect(app.metadata.annotations['workload-catalog.dev/leaf-path']).toBe(
        `${params.path.path}/${params.path.filename}`,
      );
      const chart = app.spec.sources.find((s: Manifest) => s.path);
      expect(chart.path).toBe(`charts/${workloadTypeSlug(leaf.workloadType)}`);
      expect(fs.existsSync(path.join(repoRoot, chart.path, 'Chart.yaml'))).toBe(
        true,
      );
      expect(chart.helm.releaseName).toBe(leaf.serviceName);
      expect(chart.helm.valueFiles).toEqual([
        `$catalog/catalog/${leaf.serviceCatalog}/${leaf.environment}/${leaf.serviceName}.yaml`,
      ]);
      expect(app.spec.destination.namespace).toBe(leaf.namespace);
    });
  });

  it("renders each Application's chart with its leaf and platform values", async () => {
    const apps = await applicationsFor(examples.map(e => e.params));
    const rendered = await pool(apps, (app, i) => {
      const chart = app.spec.sources.find((s: Manifest) => s.path);
      return template(path.join(repoRoot, chart.path), examples[i].file, {
        release: chart.helm.releaseName,
        setJson: chart.helm.valuesObject,
      });
    });
    expect(rendered.filter(r => r.code !== 0).map(r => r.stderr)).toEqual([]);
    rendered.forEach((r, i) => {
      for (const doc of r.docs) {
        expect(doc.metadata.namespace).toBe(apps[i].spec.destination.namespace);
        expect(doc.metadata.labels['workload-catalog.dev/service-name']).toBe(
          apps[i].metadata.labels['workload-catalog.dev/service-name'],
        );
      }
    });
  });
});
