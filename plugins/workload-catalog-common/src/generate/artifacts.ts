/*
 * Everything generated from the zod schemas: the JSON Schemas (one per workload type and one
 * for the union) and the RJSF uiSchema hints. `yarn generate` writes them under schemas/;
 * a test fails when the committed files drift from what this module produces.
 */
import { z } from 'zod';
import { WORKLOAD_TYPES, type WorkloadType } from '../schema/base';
import {
  leafSchema,
  leafSchemasByType,
  workloadTypeSlug,
} from '../schema/leaf';
import { uiHints } from '../schema/uiHints';
import { unwrapSchema } from '../schema/walk';
import { chartArtifacts } from './charts';

export const SCHEMA_BASE_URL = 'https://workload-catalog.dev/schemas';

export type JsonSchema = Record<string, any>;

function toJsonSchema(schema: z.ZodType, id: string): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
  }) as JsonSchema;
  const { $schema, ...rest } = json;
  return { $schema, $id: `${SCHEMA_BASE_URL}/${id}`, ...rest };
}

/** The JSON Schema of one workload type's leaf. */
export function leafJsonSchema(type: WorkloadType): JsonSchema {
  return toJsonSchema(
    leafSchemasByType[type],
    `${workloadTypeSlug(type)}.schema.json`,
  );
}

/** The JSON Schema of any leaf (oneOf over the workload types). */
export function unionJsonSchema(): JsonSchema {
  return toJsonSchema(leafSchema, 'workload-leaf.schema.json');
}

export type UiSchema = Record<string, any>;

function uiFor(node: z.core.$ZodType): UiSchema {
  const { schema, layers } = unwrapSchema(node);
  const ui: UiSchema = {};
  for (const layer of layers) {
    const hints = uiHints.get(layer as z.ZodType);
    if (!hints) continue;
    if (hints.field) ui['ui:field'] = hints.field;
    if (hints.widget) ui['ui:widget'] = hints.widget;
    if (hints.placeholder) ui['ui:placeholder'] = hints.placeholder;
    if (hints.help) ui['ui:help'] = hints.help;
    if (hints.options)
      ui['ui:options'] = { ...ui['ui:options'], ...hints.options };
  }
  const def = schema._zod.def as any;
  if (def.type === 'object') {
    ui['ui:order'] = [...Object.keys(def.shape), '*'];
    for (const [key, child] of Object.entries(def.shape)) {
      const childUi = uiFor(child as z.core.$ZodType);
      if (Object.keys(childUi).length > 0) ui[key] = childUi;
    }
  } else if (def.type === 'array') {
    const items = uiFor(def.element);
    if (Object.keys(items).length > 0) ui.items = items;
  }
  if (!ui['ui:placeholder']) {
    const examples =
      (z.globalRegistry.get(node as z.ZodType) ?? {}).examples ??
      layers
        .map(l => z.globalRegistry.get(l as z.ZodType)?.examples)
        .find(Boolean);
    if (Array.isArray(examples) && typeof examples[0] === 'string') {
      ui['ui:placeholder'] = examples[0];
    }
  }
  return ui;
}

/** The RJSF uiSchema of one workload type: field order, custom fields, placeholders. */
export function leafUiSchema(type: WorkloadType): UiSchema {
  const ui = uiFor(leafSchemasByType[type]);
  ui.workloadType = { 'ui:widget': 'hidden' };
  return ui;
}

/** The RJSF uiSchema of each workload type (leafUiSchema of every type). */
export function leafUiSchemas(): Record<WorkloadType, UiSchema> {
  const out = {} as Record<WorkloadType, UiSchema>;
  for (const type of WORKLOAD_TYPES) out[type] = leafUiSchema(type);
  return out;
}

/**
 * A workload type's title and description: what its JSON Schema says, read from the zod
 * schema's metadata without converting the schema.
 */
export function workloadTypeInfo(type: WorkloadType): {
  title: string;
  description?: string;
} {
  const meta = z.globalRegistry.get(leafSchemasByType[type]) ?? {};
  return {
    title: typeof meta.title === 'string' ? meta.title : type,
    ...(typeof meta.description === 'string'
      ? { description: meta.description }
      : {}),
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file, keyed by its path relative to the repository root. */
export function generatedArtifacts(): Record<string, string> {
  const files: Record<string, string> = {
    'schemas/workload-leaf.schema.json': json(unionJsonSchema()),
    'schemas/workload-leaf.ui-schema.json': json(leafUiSchemas()),
  };
  for (const type of WORKLOAD_TYPES) {
    files[`schemas/${workloadTypeSlug(type)}.schema.json`] = json(
      leafJsonSchema(type),
    );
  }
  Object.assign(files, chartArtifacts());
  return files;
}
