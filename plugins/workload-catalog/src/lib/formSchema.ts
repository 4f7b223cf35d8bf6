/*
 * The schemas RJSF renders, derived once per workload type from the generated JSON Schema and
 * uiSchema of the common package. Validation is not RJSF's job here (the common package's
 * validateLeaf gives the messages), so the keywords that only validate are left out of the
 * rendering schema: `if`/`then`, `not`, and `oneOf`/`anyOf` branches that only say which
 * fields are required. Otherwise RJSF would draw "Option 1 / Option 2" pickers for them. A
 * field with two spellings (container.environment as a mapping or as a list) is edited in
 * its canonical one, the mapping; a leaf loaded in the list form is turned into it first
 * (`formValue`).
 */
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import {
  leafJsonSchema,
  leafUiSchema,
  workloadTypeInfo,
  type WorkloadType,
} from '@workload-catalog/plugin-workload-catalog-common';

type Json = Record<string, any>;

// `examples` too: RJSF would offer them as a datalist; they are the placeholders already.
const VALIDATION_ONLY = new Set([
  'if',
  'then',
  'else',
  'not',
  'propertyNames',
  '$schema',
  '$id',
  'examples',
]);

const isRequiredOnly = (branch: Json) =>
  branch &&
  typeof branch === 'object' &&
  Object.keys(branch).every(k => k === 'required');

const ACRONYMS = new Set(['cpu', 'gpu', 'tls', 'url', 'id']);

/** "resourcePreset" -> "Resource preset", "top_p" -> "Top p", "tls" -> "TLS". */
export function humanize(key: string): string {
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim()
    .split(/\s+/)
    .map(w => (ACRONYMS.has(w) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One schema node of the rendering schema (see the file comment). */
export function toFormSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toFormSchema) as unknown as Json;
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (VALIDATION_ONLY.has(key)) continue;
    if ((key === 'oneOf' || key === 'anyOf') && Array.isArray(value)) {
      if (value.every(isRequiredOnly)) continue;
      // [const 0, const 1, const 2] -> enum
      if (value.every(b => b && 'const' in b)) {
        out.enum = value.map(b => b.const);
        const types = new Set(value.map(b => b.type ?? typeof b.const));
        if (types.size === 1)
          out.type = [...types][0] === 'integer' ? 'integer' : [...types][0];
        continue;
      }
      // Two spellings of one field (container.environment: a mapping or a list of
      // {name, value}): the form edits the mapping, the form printLeaf writes.
      const mapping = value.find(
        b => b?.type === 'object' && b.additionalProperties,
      );
      if (
        mapping &&
        value.length === 2 &&
        value.some(b => b?.type === 'array')
      ) {
        Object.assign(out, toFormSchema(mapping));
        continue;
      }
      // Quantities are "string or number": a text field, which is how people write them.
      const str = value.find(b => b?.type === 'string');
      if (
        str &&
        value.every(b =>
          ['string', 'number', 'integer', 'boolean'].includes(b?.type),
        )
      ) {
        out.type = 'string';
        continue;
      }
    }
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as Json).map(([name, child]) => {
          const c = toFormSchema(child);
          return [name, c.title ? c : { ...c, title: humanize(name) }];
        }),
      );
      continue;
    }
    out[key] = toFormSchema(value);
  }
  return out;
}

export interface FormSchemas {
  schema: RJSFSchema;
  uiSchema: UiSchema<Record<string, any>, RJSFSchema, any>;
}

const cache = new Map<WorkloadType, FormSchemas>();
const withPolicy = new Map<string, FormSchemas>();

/** The platform's lists that turn a free-text field into a choice. */
export interface FormChoices {
  environments?: readonly string[];
  namespaces?: readonly string[];
}

/**
 * The rendering schema and uiSchema of one workload type. Computed once (per policy) and then
 * the same objects every time, so RJSF's schema utilities and validator caches keep working.
 * When the platform lists its environments or namespaces, those fields become choices.
 */
export function formSchemasFor(
  type: WorkloadType,
  choices: FormChoices = {},
): FormSchemas {
  const base = baseSchemasFor(type);
  const { environments, namespaces } = choices;
  if (!environments?.length && !namespaces?.length) return base;
  const key = JSON.stringify([type, environments ?? null, namespaces ?? null]);
  let hit = withPolicy.get(key);
  if (!hit) {
    const properties = { ...(base.schema.properties as Record<string, any>) };
    // A choice's empty entry shows the placeholder: an example value there would read as chosen.
    const uiSchema: Record<string, any> = { ...base.uiSchema };
    if (environments?.length) {
      properties.environment = {
        ...properties.environment,
        enum: [...environments],
      };
      uiSchema.environment = {
        ...uiSchema.environment,
        'ui:placeholder': 'Choose an environment',
      };
    }
    if (namespaces?.length) {
      properties.namespace = { ...properties.namespace, enum: [...namespaces] };
      uiSchema.namespace = {
        ...uiSchema.namespace,
        'ui:placeholder': 'Choose a namespace',
      };
    }
    hit = {
      schema: { ...base.schema, properties },
      uiSchema: uiSchema as FormSchemas['uiSchema'],
    };
    withPolicy.set(key, hit);
  }
  return hit;
}

function baseSchemasFor(type: WorkloadType): FormSchemas {
  let hit = cache.get(type);
  if (!hit) {
    // The type's title and description are shown by the type choice above the form.
    const {
      title: _title,
      description: _description,
      ...schema
    } = toFormSchema(leafJsonSchema(type));
    hit = {
      schema: schema as RJSFSchema,
      uiSchema: {
        ...leafUiSchema(type),
        'ui:submitButtonOptions': { norender: true },
      } as FormSchemas['uiSchema'],
    };
    cache.set(type, hit);
  }
  return hit;
}

/** Title and description of a workload type, from its schema (no conversion: this runs per render). */
export const describeWorkloadType = workloadTypeInfo;
