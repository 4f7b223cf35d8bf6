import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
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
      ).toMatch(/^file:\/.*\/templates\/[^/]+\/template\.yaml$/);
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
});
