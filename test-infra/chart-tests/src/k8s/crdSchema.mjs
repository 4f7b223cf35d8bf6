// Validators generated from a CRD file's openAPIV3Schema (ajv), for CRDs no kubernetes-models
// package carries: the KEDA HTTP add-on's HTTPScaledObject, copied in ../shared/specs (see
// that folder's README). The approach of test-infra/argocd-local/src/specs.ts: an object
// schema that lists its properties is closed (a field the CRD does not have is a problem,
// where Kubernetes would drop it silently) unless it preserves unknown fields, and the
// OpenAPI integer formats are known to ajv. CEL rules (x-kubernetes-validations) are not
// evaluated by ajv; the one form the HTTPScaledObject CRD uses, `has(self.a) != has(self.b)`
// (exactly one of two fields), is translated into JSON Schema.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const addFormats = addFormatsModule.default ?? addFormatsModule;
const here = path.dirname(fileURLToPath(import.meta.url));

/** Where the CRD copies are: ARGOCD_SPECS_DIR (argocd-local's variable), else ../shared/specs. */
export function specsDir() {
  return (
    process.env.ARGOCD_SPECS_DIR ??
    path.resolve(here, '../../../../../shared/specs')
  );
}

/** The CRD files this module knows, by apiVersion and kind (relative: in specsDir()). */
export const CRD_FILES = {
  'http.keda.sh/v1alpha1/HTTPScaledObject':
    'keda-http-httpscaledobjects-crd.yaml',
  // Envoy Gateway's, kept in this package (see the file's header for its source)
  'gateway.envoyproxy.io/v1alpha1/SecurityPolicy': path.resolve(
    here,
    '../crds/gateway.envoyproxy.io_securitypolicies.yaml',
  ),
};

const EXACTLY_ONE = /^has\(self\.(\w+)\) != has\(self\.(\w+)\)$/;

function translate(schema) {
  if (Array.isArray(schema)) return schema.map(translate);
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema))
    out[k] =
      k === 'properties'
        ? Object.fromEntries(
            Object.entries(v).map(([p, s]) => [p, translate(s)]),
          )
        : translate(v);
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  )
    out.additionalProperties = false;
  const rules = out['x-kubernetes-validations'] ?? [];
  const exactlyOne = rules
    .map(r => EXACTLY_ONE.exec(r.rule))
    .filter(Boolean)
    .map(([, a, b]) => ({ oneOf: [{ required: [a] }, { required: [b] }] }));
  if (exactlyOne.length) out.allOf = [...(out.allOf ?? []), ...exactlyOne];
  return out;
}

function newAjv() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64'])
    ajv.addFormat(f, { type: 'number', validate: n => Number.isInteger(n) });
  return ajv;
}

const cache = new Map();

/**
 * A validator for apiVersion/kind from its CRD file, or undefined when there is none (or the
 * file is missing). It returns a list of problems, empty when the object is valid.
 */
export function crdValidator(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (cache.has(key)) return cache.get(key);
  const file = CRD_FILES[key];
  let validator;
  const filePath = file && path.resolve(specsDir(), file);
  if (filePath && fs.existsSync(filePath)) {
    const crd = parse(fs.readFileSync(filePath, 'utf8'));
    const version = apiVersion.split('/')[1];
    const v = crd.spec.versions.find(x => x.name === version);
    if (v && crd.spec.names.kind === kind) {
      const schema = translate(v.schema.openAPIV3Schema);
      // metadata is ObjectMeta, which the API server checks itself (the CRD says `object`)
      schema.properties.metadata = { type: 'object' };
      const validate = newAjv().compile(schema);
      validator = doc =>
        validate(doc)
          ? []
          : validate.errors.map(e => {
              const extra = e.params?.additionalProperty
                ? ` ("${e.params.additionalProperty}")`
                : '';
              return `${e.instancePath || '/'} ${e.message}${extra}`;
            });
    }
  }
  cache.set(key, validator);
  return validator;
}
