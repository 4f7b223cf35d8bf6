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

/** What a plain scalar looks like to some YAML reader other than YAML 1.2 (see yaml11LookAlike). */
export type Yaml11LookAlike = 'boolean' | 'null' | 'number';

// Each is anchored, with no two quantifiers competing for the same characters (linear time).
const LOOKS_BOOLEAN = /^(?:y|yes|n|no|on|off)$/i;
const LOOKS_NULL = /^(?:~|null)$/i;
const YAML11_NUMBER_FORMS = [
  // a leading zero: octal to YAML 1.1 (010 is 8), decimal to YAML 1.2 (10)
  /^[-+]?0[0-9_]+$/,
  // 0o octal: a number to YAML 1.2 only
  /^[-+]?0o[0-7_]+$/i,
  // binary: a number to YAML 1.1 only
  /^[-+]?0b[01_]+$/,
  // sexagesimal (base 60): 1:20 is 80 and 190:20:30 is 685230 to YAML 1.1
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  // a number with an explicit plus sign
  /^\+(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?$/,
];
// a number with "_" between its digits (1_000 is 1000 to YAML 1.1, text to YAML 1.2)
const NUMBER_WITH_UNDERSCORES =
  /^[-+]?(?:0x[0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$/;

/**
 * Whether a plain (unquoted) scalar is read differently by YAML 1.1 readers (Helm and Argo
 * CD: go-yaml, sigs.k8s.io/yaml) and YAML 1.2 readers (the CLI), or as something else than
 * text by either: the YAML 1.1 booleans y/n/yes/no/on/off and null words ~/null (any case),
 * and numbers written in octal (010, 0o10), binary (0b101), base 60 (1:20), with
 * underscores (1_000) or a plus sign (+1). Numbers both read alike (10, 0x1F, 1.5, 1e3) are
 * not look-alikes. Such text must be quoted in a leaf (and is, when printed).
 */
export function yaml11LookAlike(text: string): Yaml11LookAlike | undefined {
  if (text.length > 64) return undefined;
  if (LOOKS_BOOLEAN.test(text)) return 'boolean';
  if (LOOKS_NULL.test(text)) return 'null';
  if (YAML11_NUMBER_FORMS.some(form => form.test(text))) return 'number';
  if (text.includes('_') && NUMBER_WITH_UNDERSCORES.test(text)) return 'number';
  return undefined;
}

/** Every pattern yaml11LookAlike applies (a test proves each linear with recheck). */
export const YAML11_LOOKALIKE_FORMS: readonly RegExp[] = [
  LOOKS_BOOLEAN,
  LOOKS_NULL,
  ...YAML11_NUMBER_FORMS,
  NUMBER_WITH_UNDERSCORES,
];

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
 * that YAML 1.1 readers (Helm, Argo CD) would take for a boolean, null or number
 * (yaml11LookAlike) is quoted.
 */
export function printLeaf(leaf: unknown): string {
  const doc = new Document(orderLike(leafSchema, canonicalForms(leaf)));
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && yaml11LookAlike(node.value)) {
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
