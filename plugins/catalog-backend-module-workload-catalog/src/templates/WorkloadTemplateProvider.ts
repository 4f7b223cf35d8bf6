/*
 * The scaffolder templates that ship with Workload Catalog, offered to the catalog by an
 * entity provider: a platform team gets them by installing this module, without copying
 * files or pointing a catalog location into node_modules, and turns each one off in config
 * (catalog.providers.workloadCatalog.templates).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  resolvePackagePath,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  type Entity,
} from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import yaml from 'yaml';
import { workloadTypeEntities } from './workloadTypes';

/** The guided template every per-type template is made from. */
const GUIDED_TEMPLATE = 'workload';

/** The folder of templates inside this package (one folder per template, each with template.yaml). */
export const shippedTemplatesDir = () =>
  resolvePackagePath(
    '@workload-catalog/plugin-catalog-backend-module-workload-catalog',
    'templates',
  );

export interface ShippedTemplate {
  name: string;
  file: string;
  entity: Entity;
}

/** Reads every `<dir>/<folder>/template.yaml`; a file that is not a Template is an error naming it. */
export async function readShippedTemplates(
  dir: string = shippedTemplatesDir(),
): Promise<ShippedTemplate[]> {
  const folders = (await fs.readdir(dir, { withFileTypes: true }))
    .filter(d => d.isDirectory())
    .map(d => d.name)
    .sort();
  const templates: ShippedTemplate[] = [];
  for (const folder of folders) {
    const file = path.join(dir, folder, 'template.yaml');
    const entity = yaml.parse(await fs.readFile(file, 'utf8')) as Entity;
    if (entity?.kind !== 'Template' || !entity.metadata?.name) {
      throw new Error(
        `${file} is not a scaffolder Template (kind: Template with metadata.name)`,
      );
    }
    templates.push({ name: entity.metadata.name, file, entity });
  }
  return templates;
}

export interface TemplateSelection {
  /** false: offer none. Default true. */
  enabled: boolean;
  /** Names of templates not to offer. */
  exclude: string[];
  /** Offer a template and a catalog entity (kind Resource) per workload type. Default true. */
  workloadTypes?: boolean;
  /** Owner of the templates and workload-type entities (the platform team). */
  owner?: string;
  /** Where the charts are browsed, for the workload-type entities' links. */
  chartsUrl?: string;
}

/** The templates the selection keeps; an excluded name that does not exist is an error listing the names. */
export function selectTemplates(
  templates: ShippedTemplate[],
  selection: TemplateSelection,
  key = 'catalog.providers.workloadCatalog.templates',
): ShippedTemplate[] {
  if (!selection.enabled) return [];
  const names = templates.map(t => t.name);
  const unknown = selection.exclude.filter(n => !names.includes(n));
  if (unknown.length) {
    throw new Error(
      `${key}.exclude names ${unknown.map(n => `"${n}"`).join(', ')}, which Workload Catalog does not ship; its templates are ${names.map(n => `"${n}"`).join(', ')}`,
    );
  }
  return templates.filter(t => !selection.exclude.includes(t.name));
}

/** Offers the shipped templates once, when the catalog connects. */
export class WorkloadTemplateProvider implements EntityProvider {
  constructor(
    private readonly options: {
      selection: TemplateSelection;
      logger: LoggerService;
      /** Where the templates are; default this package's templates/ folder. */
      dir?: string;
    },
  ) {}

  getProviderName(): string {
    return 'workload-catalog-templates';
  }

  /** The entities offered, as the catalog receives them. */
  async entities(): Promise<Entity[]> {
    const { selection } = this.options;
    const shipped = await readShippedTemplates(this.options.dir);
    const located = (entity: Entity, location: string): Entity => ({
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [ANNOTATION_LOCATION]: location,
          [ANNOTATION_ORIGIN_LOCATION]: location,
        },
      },
    });
    const owner = selection.owner ?? 'group:default/platform-team';
    const all: ShippedTemplate[] = shipped.map(t => ({
      ...t,
      entity: located(
        {
          ...t.entity,
          spec: { ...t.entity.spec, owner: t.entity.spec?.owner ?? owner },
        },
        `file:${t.file}`,
      ),
    }));
    const resources: Entity[] = [];
    const base = shipped.find(t => t.name === GUIDED_TEMPLATE);
    if (selection.workloadTypes !== false && base) {
      const generated = workloadTypeEntities(base.entity, {
        owner,
        chartsUrl: selection.chartsUrl,
      });
      for (const entity of generated.templates) {
        entity.spec = { ...entity.spec, owner };
        all.push({
          name: entity.metadata.name,
          file: base.file,
          entity: located(entity, `file:${base.file}`),
        });
      }
      for (const entity of generated.resources)
        resources.push(
          located(entity, `workload-catalog-templates:${entity.metadata.name}`),
        );
    }
    return [
      ...selectTemplates(all, selection).map(t => t.entity),
      ...(selection.enabled ? resources : []),
    ];
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    const entities = await this.entities();
    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.options.logger.info(
      `Workload Catalog templates offered: ${entities.map(e => e.metadata.name).join(', ') || 'none'}`,
    );
  }
}
