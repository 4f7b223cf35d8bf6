/*
 * Validation of a leaf value: the zod schema (field rules and cross-field refinements), then
 * the platform policy (configured GPU maximum, allowed environments and namespaces). Every
 * problem comes back as a field path and a message that says what is allowed.
 */
import { z } from 'zod';
import { WORKLOAD_TYPES } from '../schema/base';
import { policyIssues, type LeafPolicy } from '../policy/platformPolicy';
import { leafSchema, type WorkloadLeaf } from '../schema/leaf';
import { unionOptionFor, unwrapSchema } from '../schema/walk';
import { closest, describeValue } from './describe';

import { formatPath, type FieldPath } from './path';

export { formatPath, type FieldPath };

export interface LeafIssue {
  path: FieldPath;
  message: string;
  /** Set when the issue is about a key itself (unknown or misspelt field name). */
  atKey?: boolean;
}

export type { LeafPolicy };

export type LeafValidationResult =
  | { valid: true; leaf: WorkloadLeaf; issues: [] }
  | { valid: false; issues: LeafIssue[] };

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
};

/** Messages for zod's built-in issues; fields with their own messages keep them. */
const errorMap: z.core.$ZodErrorMap = iss => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'is required';
      return `must be ${TYPE_NAMES[iss.expected] ?? iss.expected}; got ${describeValue(iss.input)}`;
    case 'too_small': {
      const min = Number(iss.minimum);
      if (iss.origin === 'string')
        return min === 1
          ? 'must not be empty'
          : `must be at least ${min} characters`;
      if (iss.origin === 'array')
        return `must have at least ${min} item${min === 1 ? '' : 's'}`;
      return `must be ${iss.inclusive ? 'at least' : 'more than'} ${min}; got ${describeValue(iss.input)}`;
    }
    case 'too_big': {
      const max = Number(iss.maximum);
      if (iss.origin === 'string') return `must be at most ${max} characters`;
      if (iss.origin === 'array') return `must have at most ${max} items`;
      return `must be ${iss.inclusive ? 'at most' : 'less than'} ${max}; got ${describeValue(iss.input)}`;
    }
    case 'invalid_value': {
      const values = iss.values.map(v =>
        typeof v === 'string' ? v : JSON.stringify(v),
      );
      const guess =
        typeof iss.input === 'string' ? closest(iss.input, values) : undefined;
      if (values.length === 1)
        return `must be ${values[0]}; got ${describeValue(iss.input)}`;
      return `must be one of ${values.join(', ')}; got ${describeValue(iss.input)}${guess ? ` (did you mean "${guess}"?)` : ''}`;
    }
    case 'invalid_union':
      return `is not valid; got ${describeValue(iss.input)}`;
    case 'invalid_format':
      return `has the wrong format; got ${describeValue(iss.input)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(iss.divisor)}`;
    default:
      return undefined;
  }
};

/** Known keys of the object schema at `path`, following the value through unions. */
function knownKeysAt(path: FieldPath, value: unknown): string[] {
  let schema: z.core.$ZodType = leafSchema;
  let data: unknown = value;
  for (let i = 0; ; i++) {
    schema = unwrapSchema(schema).schema;
    if ((schema._zod.def as any).type === 'union') {
      schema = unwrapSchema(unionOptionFor(schema, data)).schema;
    }
    const def = schema._zod.def as any;
    if (i === path.length)
      return def.type === 'object' ? Object.keys(def.shape) : [];
    const seg = path[i];
    data = (data as any)?.[seg];
    if (def.type === 'object') schema = def.shape[seg];
    else if (def.type === 'array') schema = def.element;
    else if (def.type === 'record') schema = def.valueType;
    else return [];
    if (!schema) return [];
  }
}

/** Extra advice for unknown keys that usually mean a misunderstanding, not a typo. */
const UNKNOWN_KEY_ADVICE: Record<string, string> = {
  value:
    'a leaf never carries a secret value: reference an existing Secret (secretKeyRef: {name, key}) or a Vault path (vault: {path, key})',
  valueFrom:
    'write secretKeyRef: {name, key} or vault: {path, key} directly under the secret',
  gpus: 'the GPU count is gpu.count',
};

/** Keys of the chart values that only the ApplicationSet sets (see charts.ts). */
const PLATFORM_KEYS = new Set(['platform', 'leafSetsPlatform']);

/** Advice for an unknown key that depends on where it is. */
function unknownKeyAdvice(path: FieldPath, key: string): string | undefined {
  if (path.length === 0 && PLATFORM_KEYS.has(key))
    return 'platform values (GPU tolerations and node selector, GPU limits, gateway, issuers, pod security) are set by the platform team in the Argo CD ApplicationSet, never by a leaf, and a chart refuses a leaf file that has this key: remove it';
  if (key === 'valueFrom' && path[path.length - 2] === 'environment')
    return 'a variable from a Secret goes in container.secrets, by reference: {name, secretKeyRef: {name, key}} or {name, vault: {path, key}}';
  return UNKNOWN_KEY_ADVICE[key];
}

/**
 * The issues of a union's option that the value's shape chose, when exactly one option got
 * past the type check (a list for container.environment's list form, say): its own messages
 * say more than "is not valid".
 */
function unionOptionIssues(
  issue: z.core.$ZodIssue,
): z.core.$ZodIssue[] | undefined {
  if (issue.code !== 'invalid_union' || !('errors' in issue)) return undefined;
  const errors = (issue.errors ?? []) as z.core.$ZodIssue[][];
  const typed = errors.filter(
    list =>
      list.length > 0 &&
      !list.some(i => i.code === 'invalid_type' && i.path.length === 0),
  );
  if (typed.length !== 1) return undefined;
  return typed[0].map(i => ({
    ...i,
    path: [...issue.path, ...i.path],
  })) as z.core.$ZodIssue[];
}

/**
 * Unknown keys explained ("did you mean", "allowed here") up to this many issues; a report
 * shows at most 50 (leaf files' cap), the rest only count.
 */
const HINTED_ISSUES = 100;

function toLeafIssues(issues: z.core.$ZodIssue[], value: unknown): LeafIssue[] {
  const out: LeafIssue[] = [];
  for (const issue of issues) {
    const path = issue.path as FieldPath;
    const chosen = unionOptionIssues(issue);
    if (chosen) {
      out.push(...toLeafIssues(chosen, value));
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(path, value);
      for (const key of issue.keys) {
        if (out.length >= HINTED_ISSUES) {
          // past what any report shows: counted, not explained (the typo search is the
          // cost: 9,900 unknown keys took 1.5 s in it)
          out.push({
            path: [...path, key],
            atKey: true,
            message: `unknown field "${key}"`,
          });
          continue;
        }
        const guess = closest(key, known);
        const advice = unknownKeyAdvice(path, key);
        let hint = '';
        if (advice && PLATFORM_KEYS.has(key) && path.length === 0)
          hint = `; ${advice}`;
        else if (guess) hint = `; did you mean "${guess}"?`;
        else if (advice) hint = `; ${advice}`;
        else if (known.length) hint = `; allowed here: ${known.join(', ')}`;
        out.push({
          path: [...path, key],
          atKey: true,
          message: `unknown field "${key}"${hint}`,
        });
      }
    } else if (issue.code === 'invalid_key') {
      const inner = issue.issues[0]?.message ?? 'is not allowed';
      out.push({ path, atKey: true, message: `field name ${inner}` });
    } else if (
      issue.code === 'invalid_union' &&
      (issue as any).discriminator === 'workloadType'
    ) {
      const input = (value as any)?.workloadType;
      const guess =
        typeof input === 'string' ? closest(input, WORKLOAD_TYPES) : undefined;
      out.push({
        path: ['workloadType'],
        message:
          input === undefined
            ? `is required: one of ${WORKLOAD_TYPES.join(', ')}`
            : `must be one of ${WORKLOAD_TYPES.join(', ')}; got ${describeValue(input)}${guess ? ` (did you mean "${guess}"?)` : ''}`,
      });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** Checks a leaf value (already parsed from YAML or built by the form). */
export function validateLeaf(
  value: unknown,
  policy: LeafPolicy = {},
): LeafValidationResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      valid: false,
      issues: [
        {
          path: [],
          message: `a leaf must be a mapping of fields (workloadType, serviceName, ...); got ${value === undefined || value === null ? 'an empty document' : describeValue(value)}`,
        },
      ],
    };
  }
  const result = leafSchema.safeParse(value, { error: errorMap });
  const issues = result.success ? [] : toLeafIssues(result.error.issues, value);
  const taken = new Set(issues.map(i => formatPath(i.path)));
  for (const issue of policyIssues(value, policy)) {
    if (!taken.has(formatPath(issue.path))) issues.push(issue);
  }
  if (result.success && issues.length === 0)
    return { valid: true, leaf: result.data, issues: [] };
  return { valid: false, issues };
}
