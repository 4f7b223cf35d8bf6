import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { ConfigReader as Config } from '@backstage/config';
import {
  WORKLOAD_TYPES,
  workloadTypeInfo,
} from '@workload-catalog/plugin-workload-catalog-common';
import { readTemplateSelection } from './readTemplateSelection';
import {
  readShippedTemplates,
  selectTemplates,
  shippedTemplatesDir,
  WorkloadTemplateProvider,
} from './WorkloadTemplateProvider';

const logger = mockServices.logger.mock();
const selection = (value: unknown) =>
  readTemplateSelection(
    new ConfigReader(
      value === undefined
        ? {}
        : { catalog: { providers: { workloadCatalog: { templates: value } } } },
    ),
  );

describe('WorkloadTemplateProvider', () => {
  it('ships every template folder of the package, each a Template that uses our actions', async () => {
    const templates = await readShippedTemplates();
    expect(templates.map(t => t.name)).toEqual(
      expect.arrayContaining(['ollama-inference-service', 'workload']),
    );
    for (const t of templates) {
      expect(t.entity.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
      const actions = (t.entity.spec as any).steps.map((s: any) => s.action);
      expect(actions).toEqual([
        'workload:leaf:validate',
        'workload:catalog:pull-request',
      ]);
      expect(path.dirname(t.file).startsWith(shippedTemplatesDir())).toBe(true);
    }
  });

  it('offers them to the catalog with location annotations, once, as a full mutation', async () => {
    const connection = { applyMutation: jest.fn(), refresh: jest.fn() };
    const provider = new WorkloadTemplateProvider({
      selection: selection(undefined),
      logger,
    });
    await provider.connect(connection as unknown as EntityProviderConnection);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    const names = mutation.entities.map((e: any) => e.entity.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['ollama-inference-service']));
    for (const { entity, locationKey } of mutation.entities) {
      expect(locationKey).toBe('workload-catalog-templates');
      expect(
        entity.metadata.annotations['backstage.io/managed-by-location'],
      ).toMatch(
        entity.kind === 'Template'
          ? /^file:\/.*\/templates\/[^/]+\/template\.yaml$/
          : /^workload-catalog-templates:workload-type-[a-z-]+$/,
      );
      expect(
        entity.metadata.annotations['backstage.io/managed-by-origin-location'],
      ).toBe(entity.metadata.annotations['backstage.io/managed-by-location']);
    }
  });

  it('turns single templates off by name, or all of them', async () => {
    const all = await readShippedTemplates();
    const names = (value: unknown) =>
      selectTemplates(all, selection(value)).map(t => t.name);
    expect(names({ exclude: ['ollama-inference-service'] })).not.toContain(
      'ollama-inference-service',
    );
    expect(names({ exclude: ['ollama-inference-service'] })).toContain(
      'workload',
    );
    expect(names(false)).toEqual([]);
    expect(names({ enabled: false })).toEqual([]);
    expect(names(true)).toEqual(all.map(t => t.name));
  });

  it('names the templates it has when config excludes one it does not ship', async () => {
    const all = await readShippedTemplates();
    expect(() =>
      selectTemplates(all, selection({ exclude: ['olama-inference-service'] })),
    ).toThrow(
      /catalog\.providers\.workloadCatalog\.templates\.exclude names "olama-inference-service", which Workload Catalog does not ship; its templates are .*"ollama-inference-service"/,
    );
  });

  it('refuses a config value that is neither false nor an object', () => {
    expect(() => selection('no')).toThrow(
      /catalog\.providers\.workloadCatalog\.templates must be false .* got "no"/,
    );
  });

  it('refuses a folder whose template.yaml is not a Template, naming the file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wc-templates-'));
    await fs.mkdir(path.join(dir, 'broken'));
    await fs.writeFile(
      path.join(dir, 'broken', 'template.yaml'),
      'kind: Component\nmetadata: { name: x }\n',
    );
    await expect(readShippedTemplates(dir)).rejects.toThrow(
      /broken\/template\.yaml is not a scaffolder Template/,
    );
  });

  describe('a template and an entity per workload type', () => {
    const entities = (value?: object) =>
      new WorkloadTemplateProvider({
        selection: readTemplateSelection(
          new Config({
            catalog: { providers: { workloadCatalog: value ?? {} } },
          }),
        ),
        logger,
      }).entities();

    it('makes one of each for every workload type, from the schema’s metadata', async () => {
      const all = await entities({
        defaultOwner: 'group:default/gpu-platform',
      });
      for (const type of WORKLOAD_TYPES) {
        const slug = type.toLowerCase().replace(/_/g, '-');
        const info = workloadTypeInfo(type);
        const template = all.find(e => e.metadata.name === `new-${slug}`);
        expect(template).toMatchObject({
          kind: 'Template',
          metadata: {
            title: `New ${info.title}`,
            annotations: { 'workload-catalog.dev/workload-type': type },
          },
          spec: { owner: 'group:default/gpu-platform' },
        });
        const leaf = (template!.spec as any).parameters
          .map((p: any) => p.properties?.leaf)
          .find(Boolean);
        expect(leaf['ui:options']).toMatchObject({
          workloadTypes: [type],
          ownerParameter: 'owner',
          catalogParameter: 'system',
        });
        expect((template!.spec as any).steps.map((s: any) => s.action)).toEqual(
          ['workload:leaf:validate', 'workload:catalog:pull-request'],
        );
        const resource = all.find(
          e =>
            e.kind === 'Resource' &&
            e.metadata.name === `workload-type-${slug}`,
        );
        expect(resource).toMatchObject({
          metadata: {
            title: info.title,
            annotations: { 'workload-catalog.dev/chart': `charts/${slug}` },
          },
          spec: { type: 'workload-type', owner: 'group:default/gpu-platform' },
        });
        expect(resource!.metadata.links!.map(l => l.url)).toEqual([
          `https://github.com/workload-catalog/workload-catalog/tree/main/charts/${slug}`,
          `https://github.com/workload-catalog/workload-catalog/tree/main/charts/${slug}/values.schema.json`,
        ]);
      }
    });

    it('has a chart in this repository for every workload type it describes', async () => {
      const charts = path.resolve(__dirname, '../../../../charts');
      for (const e of (await entities()).filter(x => x.kind === 'Resource')) {
        const chart = e.metadata.annotations!['workload-catalog.dev/chart'];
        await expect(
          fs.stat(path.join(charts, '..', chart, 'Chart.yaml')),
        ).resolves.toBeDefined();
      }
    });

    it('turns off with workloadTypes: false, and single templates by name', async () => {
      const names = (await entities({ workloadTypes: false })).map(
        e => e.metadata.name,
      );
      expect(names.some(n => n.startsWith('new-'))).toBe(false);
      expect(names.some(n => n.startsWith('workload-type-'))).toBe(false);
      const some = await entities({
        templates: { exclude: ['new-basic-container-load'] },
      });
      expect(some.map(e => e.metadata.name)).not.toContain(
        'new-basic-container-load',
      );
      expect(some.map(e => e.metadata.name)).toContain(
        'new-ollama-inference-load',
      );
    });
  });
});
