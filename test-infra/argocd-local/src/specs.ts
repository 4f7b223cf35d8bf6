/*
 * Argo CD's own published descriptions, the ones argocd-local is checked against:
 *
 *   - the REST API's OpenAPI 2 description (argo-cd assets/swagger.json): every response
 *     the server sends is validated against the schema of its operation and status (the
 *     200 schema, else the `default` runtimeError), and every query parameter must be one
 *     the operation declares;
 *   - the Application CRD (manifests/crds/application-crd.yaml): every Application is
 *     validated against its openAPIV3Schema before the server keeps it.
 *
 * Both are read from ARGOCD_SPECS_DIR, else ../shared/specs beside the repository (copies
 * of Argo CD's files; see that folder's README). Both checks are stricter than the
 * originals in one way: a field the description does not have is a problem (Kubernetes
 * would silently drop it; Argo CD would never write it), except where the description
 * allows any field (x-kubernetes-preserve-unknown-fields, additionalProperties).
 *
 * One deliberate exception, where Argo CD's description and its wire format differ:
 * runtime.RawExtension (helm.valuesObject) is described as {raw: bytes} but Kubernetes'
 * JSON marshaller writes the embedded object itself, so any JSON value is accepted there.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type Json = any;

/** Where the descriptions are read from. */
export function argoSpecsDir(): string {
  return (
    process.env.ARGOCD_SPECS_DIR ??
    // eslint-disable-next-line no-restricted-syntax
    path.resolve(__dirname, '../../../../shared/specs')
  );
}

const SWAGGER_FILE = 'argocd-swagger.json';
const CRD_FILE = 'argocd-application-crd.yaml';

/** Whether both descriptions are there (the checks are off without them). */
export function argoSpecsAvailable(dir = argoSpecsDir()): boolean {
  return (
    fs.existsSync(path.join(dir, SWAGGER_FILE)) &&
    fs.existsSync(path.join(dir, CRD_FILE))
  );
}

/** Adds additionalProperties: false to object schemas that list their properties. */
function closeObjects(schema: Json, preserveKey?: string): Json {
  if (Array.isArray(schema))
    return schema.map(s => closeObjects(s, preserveKey));
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema))
    out[k] =
      k === 'properties'
        ? Object.fromEntries(
            Object.entries(v as Json).map(([p, s]) => [
              p,
              closeObjects(s, preserveKey),
            ]),
          )
        : closeObjects(v, preserveKey);
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !(preserveKey && out[preserveKey])
  )
    out.additionalProperties = false;
  return out;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'uint32', 'uint64'])
    ajv.addFormat(f, {
      type: 'number',
      validate: (n: number) => Number.isInteger(n),
    });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  return ajv;
}

/** One line per ajv error: `/status/sync/status must be string`. */
function describe(errors: ValidateFunction['errors']): string[] {
  return (errors ?? []).map(e => {
    const where = e.instancePath || '/';
    const params = (e.params ?? {}) as Json;
    let extra = '';
    if (params.additionalProperty) extra = ` ("${params.additionalProperty}")`;
    else if (params.allowedValues)
      extra = ` (${params.allowedValues.join(', ')})`;
    return `${where} ${e.message}${extra}`;
  });
}

// ---------------------------------------------------------------------------------
// The Application CRD

let crdValidator: ValidateFunction | undefined;

/** Problems the Application CRD's schema finds in an object; empty when valid. */
export function crdProblems(app: unknown, dir = argoSpecsDir()): string[] {
  if (!crdValidator) {
    const crd = parse(fs.readFileSync(path.join(dir, CRD_FILE), 'utf8'));
    const version = (crd.spec.versions as Json[]).find(
      v => v.name === 'v1alpha1',
    );
    const schema = closeObjects(
      version.schema.openAPIV3Schema,
      'x-kubernetes-preserve-unknown-fields',
    );
    // metadata is ObjectMeta, which Kubernetes checks itself (the CRD says `object`).
    crdValidator = newAjv().compile(schema);
  }
  return crdValidator(app)
    ? []
    : describe(crdValidator.errors).map(p => `CRD: ${p}`);
}

// ---------------------------------------------------------------------------------
// The REST API

/** The operations argocd-local serves, by Argo CD's operationId. */
export const ARGO_OPERATIONS = {
  version: {
    method: 'get',
    path: '/api/version',
    id: 'VersionService_Version',
  },
  'applications/list': {
    method: 'get',
    path: '/api/v1/applications',
    id: 'ApplicationService_List',
  },
  'applications/get': {
    method: 'get',
    path: '/api/v1/applications/{name}',
    id: 'ApplicationService_Get',
  },
  'applications/resource': {
    method: 'get',
    path: '/api/v1/applications/{name}/resource',
    id: 'ApplicationService_GetResource',
  },
} as const;
export type ArgoOperation = keyof typeof ARGO_OPERATIONS;

interface SwaggerApi {
  validators: Map<string, ValidateFunction>;
  ajv: Ajv;
  swagger: Json;
}
let swaggerApi: SwaggerApi | undefined;

function loadSwagger(dir: string): SwaggerApi {
  if (swaggerApi) return swaggerApi;
  const swagger = JSON.parse(
    fs.readFileSync(path.join(dir, SWAGGER_FILE), 'utf8'),
  );
  const definitions = closeObjects(swagger.definitions);
  // The wire format of runtime.RawExtension is the embedded JSON itself.
  definitions.runtimeRawExtension = {};
  const ajv = newAjv();
  ajv.addSchema({ $id: 'argocd', definitions }, 'argocd');
  swaggerApi = { validators: new Map(), ajv, swagger };
  return swaggerApi;
}

function operationOf(api: SwaggerApi, op: ArgoOperation): Json {
  const o = ARGO_OPERATIONS[op];
  const found = api.swagger.paths?.[o.path]?.[o.method];
  if (!found || found.operationId !== o.id)
    throw new Error(
      `Argo CD's API description has no ${o.id} at ${o.method.toUpperCase()} ${o.path}`,
    );
  return found;
}

/**
 * Problems Argo CD's API description finds in a response of this operation: its body
 * against the schema of `status` (else the `default` response). Empty when it conforms.
 */
export function responseProblems(
  op: ArgoOperation,
  status: number,
  body: unknown,
  dir = argoSpecsDir(),
): string[] {
  const api = loadSwagger(dir);
  const operation = operationOf(api, op);
  const response =
    operation.responses[String(status)] ?? operation.responses.default;
  if (!response)
    return [`${ARGO_OPERATIONS[op].id} has no response ${status} or default`];
  const ref: string | undefined = response.schema?.$ref;
  if (!ref) return [];
  const key = `${op}|${ref}`;
  let validate = api.validators.get(key);
  if (!validate) {
    validate = api.ajv.compile({ $ref: `argocd${ref}` });
    api.validators.set(key, validate);
  }
  return validate(body)
    ? []
    : describe(validate.errors).map(
        p => `${ARGO_OPERATIONS[op].id} ${status}: ${p}`,
      );
}

/** Query parameters of a request that the operation does not declare, or of a wrong type. */
export function queryProblems(
  op: ArgoOperation,
  query: URLSearchParams,
  dir = argoSpecsDir(),
): string[] {
  const api = loadSwagger(dir);
  const operation = operationOf(api, op);
  const params = new Map<string, Json>(
    (operation.parameters ?? [])
      .filter((p: Json) => p.in === 'query')
      .map((p: Json) => [p.name, p]),
  );
  const problems: string[] = [];
  for (const [name, value] of query) {
    const p = params.get(name);
    if (!p) {
      problems.push(
        `${ARGO_OPERATIONS[op].id}: query parameter "${name}" is not in Argo CD's API (allowed: ${[...params.keys()].join(', ')})`,
      );
    } else if (p.type === 'integer' && !/^-?\d+$/.test(value)) {
      problems.push(
        `${ARGO_OPERATIONS[op].id}: query parameter "${name}" must be an integer; got "${value}"`,
      );
    } else if (p.type !== 'array' && query.getAll(name).length > 1) {
      problems.push(
        `${ARGO_OPERATIONS[op].id}: query parameter "${name}" is given more than once`,
      );
    }
  }
  return [...new Set(problems)];
}
