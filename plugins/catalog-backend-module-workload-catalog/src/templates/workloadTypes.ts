/*
 * Every workload type discoverable and scaffoldable: a catalog entity (kind Resource, type
 * workload-type) that describes the type and its chart, and a template for the type. Both
 * are made from the zod schemas' metadata (title, description) and the guided `workload`
 * template, so a new workload type in the common package gets its entity and template
 * without a file here.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  WORKLOAD_TYPES,
  workloadTypeInfo,
  workloadTypeSlug,
  type WorkloadType,
} from '@workload-catalog/plugin-workload-catalog-common';

/** Where the charts are browsed (links of the workload-type entities). */
export const DEFAULT_CHARTS_URL =
  'https://github.com/workload-catalog/workload-catalog/tree/main/charts';

export const WORKLOAD_TYPE_ANNOTATION = 'workload-catalog.dev/workload-type';

/** Name of the template of one type, e.g. `new-ollama-inference-load`. */
export const workloadTypeTemplateName = (type: WorkloadType) =>
  `new-${workloadTypeSlug(type)}`;

/** Name of the Resource entity of one type, e.g. `workload-type-ollama-inference-load`. */
export const workloadTypeEntityName = (type: WorkloadType) =>
  `workload-type-${workloadTypeSlug(type)}`;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/**
 * The template of one workload type: the guided template (`base`, the shipped `workload`
 * template) with the form fixed to that type, named and described from its schema.
 */
export function workloadTypeTemplate(type: WorkloadType, base: Entity): Entity {
  const info = workloadTypeInfo(type);
  const template = clone(base);
  template.metadata = {
    name: workloadTypeTemplateName(type),
    title: `New ${info.title}`,
    description: `${info.description ?? info.title}. Opens a pull request in the catalog repo; Argo CD deploys it when the pull request is merged.`,
    tags: ['workload-catalog', workloadTypeSlug(type)],
    annotations: { [WORKLOAD_TYPE_ANNOTATION]: type },
  };
  const spec = template.spec as {
    parameters: Array<{ properties?: Record<string, any> }>;
  };
  const leaf = spec.parameters.find(p => p.properties?.leaf)?.properties?.leaf;
  if (!leaf) {
    throw new Error(
      'the guided workload template has no "leaf" parameter to fix to one workload type',
    );
  }
  leaf.title = info.title;
  leaf['ui:options'] = { ...leaf['ui:options'], workloadTypes: [type] };
  return template;
}

/** The catalog entity that describes one workload type and its chart. */
export function workloadTypeEntity(
  type: WorkloadType,
  options: { owner: string; chartsUrl?: string },
): Entity {
  const info = workloadTypeInfo(type);
  const slug = workloadTypeSlug(type);
  const chartsUrl = (options.chartsUrl ?? DEFAULT_CHARTS_URL).replace(
    // eslint-disable-next-line redos/no-vulnerable -- app-config value, set by the operator (not user input)
    /\/+$/,
    '',
  );
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: workloadTypeEntityName(type),
      title: info.title,
      ...(info.description ? { description: info.description } : {}),
      tags: ['workload-catalog', 'workload-type', slug],
      annotations: {
        [WORKLOAD_TYPE_ANNOTATION]: type,
        'workload-catalog.dev/chart': `charts/${slug}`,
        // the template that creates a workload of this type
        'workload-catalog.dev/template': `template:default/${workloadTypeTemplateName(type)}`,
      },
      links: [
        {
          url: `${chartsUrl}/${slug}`,
          title: `Helm chart ${slug}`,
          icon: 'docs',
        },
        {
          url: `${chartsUrl}/${slug}/values.schema.json`,
          title: 'Leaf schema (values.schema.json)',
          icon: 'docs',
        },
      ],
    },
    spec: { type: 'workload-type', owner: options.owner },
  };
}

/** The template and the entity of every workload type. */
export function workloadTypeEntities(
  base: Entity,
  options: { owner: string; chartsUrl?: string },
): { templates: Entity[]; resources: Entity[] } {
  return {
    templates: WORKLOAD_TYPES.map(t => workloadTypeTemplate(t, base)),
    resources: WORKLOAD_TYPES.map(t => workloadTypeEntity(t, options)),
  };
}
