/*
 * GitHub's official OpenAPI description (@octokit/openapi), trimmed to the operations this
 * server implements, and an openapi-backend instance that validates requests and responses
 * against it. Built once per process (the description is 13 MB; trimming takes ~0.1 s and
 * the validators compile lazily, per operation).
 */
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** The operations the local server implements (GitHub's operationIds). */
export const IMPLEMENTED_OPERATIONS = [
  'repos/get',
  'repos/get-branch',
  'repos/list-commits',
  'repos/get-content',
  'git/create-blob',
  'git/get-blob',
  'git/get-tree',
  'git/create-tree',
  'git/create-commit',
  'git/get-commit',
  'git/get-ref',
  'git/create-ref',
  'git/update-ref',
  'git/delete-ref',
  'pulls/list',
  'pulls/list-files',
  'pulls/create',
  'pulls/get',
  'pulls/update',
  'pulls/merge',
  'pulls/request-reviewers',
  'pulls/list-reviews',
  'pulls/create-review',
  'issues/add-labels',
  'apps/list-installations',
  'apps/create-installation-access-token',
  'apps/list-repos-accessible-to-installation',
] as const;
export type OperationId = (typeof IMPLEMENTED_OPERATIONS)[number];

/** Operations of a GitHub App itself (authenticated with its JWT). */
export const APP_OPERATIONS: readonly OperationId[] = [
  'apps/list-installations',
  'apps/create-installation-access-token',
];
/** Operations of an app installation (authenticated with an installation token). */
export const INSTALLATION_OPERATIONS: readonly OperationId[] = [
  'apps/list-repos-accessible-to-installation',
];
/** The operations on a repository (rest.ts). */
export type RepoOperationId = Exclude<
  OperationId,
  | 'apps/list-installations'
  | 'apps/create-installation-access-token'
  | 'apps/list-repos-accessible-to-installation'
>;

type Json = any;

export interface GitHubSpec {
  api: OpenAPIBackend;
  /** The route templates, e.g. `/repos/{owner}/{repo}/git/refs`, by operationId. */
  routes: Record<OperationId, { method: string; path: string }>;
  /** Example values from the description (used as templates for big objects). */
  examples: Record<string, Json>;
  /** The validator of GitHub's generic error body. */
  validateBasicError(body: unknown): string | undefined;
}

let cached: Promise<GitHubSpec> | undefined;

/** The trimmed description and its validators (one instance per process). */
export function loadGitHubSpec(): Promise<GitHubSpec> {
  cached ??= build();
  return cached;
}

function collectRefs(
  value: Json,
  full: Json,
  out: Record<string, Record<string, Json>>,
  seen: Set<string>,
) {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, full, out, seen);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (key === '$ref' && typeof v === 'string') {
      if (seen.has(v)) continue;
      seen.add(v);
      const [, , kind, name] = v.split('/');
      if (kind === 'examples') continue;
      (out[kind] ??= {})[name] = full.components[kind][name];
      collectRefs(full.components[kind][name], full, out, seen);
    } else if (key !== 'examples') {
      collectRefs(v, full, out, seen);
    }
  }
}

/** Drops examples and vendor extensions: they are documentation, not rules. */
function stripDocs(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDocs);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'examples' || k === 'example' || k.startsWith('x-')) continue;
    out[k] = stripDocs(v);
  }
  return out;
}

/**
 * OpenAPI 3.0 `nullable: true` to JSON Schema: ajv (used by openapi-backend) accepts
 * `nullable` only next to `type`, and GitHub's description also puts it next to `allOf`.
 */
function nullableToJsonSchema(value: Json): Json {
  if (Array.isArray(value)) return value.map(nullableToJsonSchema);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = nullableToJsonSchema(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null))
        out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

async function build(): Promise<GitHubSpec> {
  const full: Json = require('@octokit/openapi/generated/api.github.com.json');
  const paths: Json = {};
  const routes = {} as GitHubSpec['routes'];
  for (const [path, item] of Object.entries<Json>(full.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (
        (IMPLEMENTED_OPERATIONS as readonly string[]).includes(op?.operationId)
      ) {
        (paths[path] ??= {})[method] = op;
        routes[op.operationId as OperationId] = {
          method: method.toUpperCase(),
          path,
        };
      }
    }
  }
  const missing = IMPLEMENTED_OPERATIONS.filter(id => !routes[id]);
  if (missing.length) {
    throw new Error(
      `GitHub's OpenAPI description has no operation ${missing.join(', ')}`,
    );
  }
  const components: Record<string, Record<string, Json>> = {};
  collectRefs(paths, full, components, new Set());
  const definition = nullableToJsonSchema({
    openapi: full.openapi,
    info: full.info,
    servers: [{ url: '/api/v3' }],
    paths: stripDocs(paths),
    components: stripDocs(components),
  });
  const api = new OpenAPIBackend({
    definition,
    strict: false,
    validate: true,
    // The definition comes from GitHub and is converted above; skip re-validating it
    // against the OpenAPI meta-schema (it uses JSON Schema type arrays after conversion).
    quick: true,
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: ajv => {
      addFormats(ajv);
      // GitHub's own formats: "owner/name" of a repository, and 64-bit integers.
      ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
      ajv.addFormat('int64', {
        type: 'number',
        validate: (n: number) => Number.isInteger(n),
      });
      return ajv;
    },
  });
  await api.init();

  const examples: Record<string, Json> = {};
  for (const [name, ex] of Object.entries<Json>(full.components.examples)) {
    if (ex && 'value' in ex) examples[name] = ex.value;
  }

  const ajv = new Ajv({ strict: false, allErrors: true });
  const basicError = ajv.compile(
    nullableToJsonSchema(stripDocs(full.components.schemas['basic-error'])),
  );
  return {
    api,
    routes,
    examples,
    validateBasicError(body) {
      return basicError(body) ? undefined : ajv.errorsText(basicError.errors);
    },
  };
}

/** Human-readable ajv errors, one line each, e.g. `requestBody must have required property 'sha'`. */
export function describeErrors(
  errors:
    | Array<{ instancePath?: string; message?: string; params?: any }>
    | null
    | undefined,
): string {
  return (errors ?? [])
    .map(e => {
      const where =
        (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') ||
        '(body)';
      let extra = '';
      if (e.params?.additionalProperty)
        extra = ` "${e.params.additionalProperty}"`;
      else if (e.params?.allowedValues)
        extra = ` (${e.params.allowedValues.join(', ')})`;
      return `${where} ${e.message}${extra}`;
    })
    .join('; ');
}

export type { Operation };
