/*
 * Switching the workload type in the middle of the form: what the new type also has (service
 * name, namespace, ingress, replicas, ...) is kept; what only the old type has is put aside
 * and comes back if the user switches back.
 */
import type { WorkloadType } from '@workload-catalog/plugin-workload-catalog-common';
import { formSchemasFor } from './formSchema';
import { cleanLeaf } from './cleanLeaf';

type Json = Record<string, any>;

function matchesType(schema: Json, value: unknown): boolean {
  const t = schema.type;
  if (t === undefined) return true;
  const types = Array.isArray(t) ? t : [t];
  return types.some(type => {
    switch (type) {
      case 'object':
        return (
          value !== null && typeof value === 'object' && !Array.isArray(value)
        );
      case 'array':
        return Array.isArray(value);
      case 'integer':
        return Number.isInteger(value);
      case 'number':
        return typeof value === 'number';
      case 'string':
        return typeof value === 'string';
      case 'boolean':
        return typeof value === 'boolean';
      case 'null':
        return value === null;
      default:
        return false;
    }
  });
}

/** The part of `value` that `schema` (a rendering schema) has room for. */
export function pruneToSchema(value: unknown, schema: Json): unknown {
  if (value === undefined || !matchesType(schema, value)) return undefined;
  if (Array.isArray(value)) {
    if (!schema.items) return value;
    const items = value.map(v => pruneToSchema(v, schema.items));
    return items.some(v => v === undefined) ? undefined : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const child =
        schema.properties?.[k] ??
        (typeof schema.additionalProperties === 'object'
          ? schema.additionalProperties
          : undefined);
      if (!child) continue;
      const pruned = pruneToSchema(v, child);
      if (pruned !== undefined) out[k] = pruned;
    }
    return out;
  }
  if (schema.enum && !schema.enum.includes(value)) return undefined;
  if ('const' in schema && schema.const !== value) return undefined;
  return value;
}

/** Deep merge where `over` wins; lists are replaced, not merged. */
function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (
    base === null ||
    typeof base !== 'object' ||
    Array.isArray(base) ||
    over === null ||
    typeof over !== 'object' ||
    Array.isArray(over)
  ) {
    return over;
  }
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = merge((base as Json)[k], v);
  return out;
}

/**
 * The part of `value` that `schema` has no room for (what `pruneToSchema` would drop): the
 * values of the type being left that the current type cannot carry.
 */
export function notCoveredBy(
  value: unknown,
  schema: Json | undefined,
): unknown {
  if (!schema || !matchesType(schema, value)) return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return undefined;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const child = schema.properties?.[k];
    const rest = notCoveredBy(v, child);
    if (
      rest !== undefined &&
      !(
        typeof rest === 'object' &&
        rest !== null &&
        !Array.isArray(rest) &&
        Object.keys(rest).length === 0
      )
    ) {
      out[k] = rest;
    }
  }
  return out;
}

/** Values put aside per workload type while another type is shown. */
export type TypeStash = Partial<Record<WorkloadType, Json>>;

/**
 * The form value after switching from the current type to `to`: the current values that fit
 * the new type, over what the user had entered for `to` before.
 */
export function switchWorkloadType(
  current: Json,
  to: WorkloadType,
  stash: TypeStash,
): { value: Json; stash: TypeStash } {
  const from = current.workloadType as WorkloadType | undefined;
  const nextStash: TypeStash = { ...stash };
  if (from) nextStash[from] = current;
  const { schema } = formSchemasFor(to);
  const { workloadType: _ignored, ...rest } = current;
  const carried = pruneToSchema(cleanLeaf(rest), schema as Json) as Json;
  // From what was put aside for `to`, only what the current type could not carry comes back:
  // the values the user sees now win.
  const fromSchema = from ? (formSchemasFor(from).schema as Json) : undefined;
  const restored = (notCoveredBy(stash[to] ?? {}, fromSchema) ?? {}) as Json;
  const value = merge(restored, carried) as Json;
  return { value: { ...value, workloadType: to }, stash: nextStash };
}
