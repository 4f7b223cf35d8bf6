/*
 * Leaves back to YAML: normal form and a stable field order. Kept apart from leafFile.ts so
 * the frontend (the YAML preview) does not pull in the parsers.
 */
import { Document, visit } from 'yaml';
import { z } from 'zod';
import { environmentMapping } from '../schema/base';
import { leafSchema, type WorkloadLeaf } from '../schema/leaf';
import { unionOptionFor, unwrapSchema } from '../schema/walk';

/** Text that YAML 1.1 readers (Helm, Argo CD) take for a boolean when it is not quoted. */
export const YAML11_BOOLEAN =
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/**
 * The leaf as it goes into the catalog repo: validated, defaults applied, model references
 * in normal form. Throws when the value is not a valid leaf (validate first).
 */
export function normalizeLeaf(value: unknown): WorkloadLeaf {
  return leafSchema.parse(value);
}

/**
 * Fields that may be written in two forms, in the one printed: container.environment as a
 * mapping (a validated leaf has it already; the form's preview may hold the list form).
 */
function canonicalForms(leaf: unknown): unknown {
  const container = (leaf as any)?.container;
  if (!container || typeof container !== 'object') return leaf;
  const environment = environmentMapping(container.environment);
  if (environment === container.environment) return leaf;
  return {
    ...(leaf as object),
    container: { ...container, environment },
  };
}

/** Orders keys as the schema declares them (identity first, then what, then how). */
function orderLike(node: z.core.$ZodType, value: unknown): unknown {
  const { schema } = unwrapSchema(node);
  const def = schema._zod.def as any;
  if (Array.isArray(value)) {
    return def.type === 'array'
      ? value.map(v => orderLike(def.element, v))
      : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (def.type === 'union')
    return orderLike(unionOptionFor(schema, value), value);
  if (def.type === 'record') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, orderLike(def.valueType, v)]),
    );
  }
  if (def.type !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(def.shape)) {
    if (key in value && (value as any)[key] !== undefined) {
      out[key] = orderLike(def.shape[key], (value as any)[key]);
    }
  }
  for (const [k, v] of Object.entries(value))
    if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

/**
 * Prints a leaf as YAML in the schema's field order: stable, diff-friendly, readable. Text
 * that YAML 1.1 readers (Helm, Argo CD) would take for a boolean is quoted.
 */
export function printLeaf(leaf: unknown): string {
  const doc = new Document(orderLike(leafSchema, canonicalForms(leaf)));
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && YAML11_BOOLEAN.test(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({
    indent: 2,
    lineWidth: 0,
    defaultStringType: 'PLAIN',
    defaultKeyType: 'PLAIN',
  });
}
