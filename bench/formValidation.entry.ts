/*
 * Bundled by bench/form.bench.mts (esbuild) and run in Chromium: validation of a leaf as the
 * user types, with the full union schema, by our form (the common package's validateLeaf, as
 * WorkloadConfigForm runs it per keystroke) and by a plain Backstage template form
 * (@rjsf/validator-ajv8 set up as the scaffolder's Stepper does: customizeValidator() plus
 * ajv-errors, draft-07).
 */
import { customizeValidator } from '@rjsf/validator-ajv8';
import ajvErrors from 'ajv-errors';
import {
  unionJsonSchema,
  validateLeaf,
} from '@workload-catalog/plugin-workload-catalog-common';

const SEED = {
  workloadType: 'OLLAMA_INFERENCE_LOAD',
  serviceName: 'ollama-phi',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'dev',
  model: 'phi:latest',
  gpu: { count: 1 },
  ingress: { enabled: true, host: 'text.hypermedia.au' },
  container: {
    replicas: 1,
    resources: {
      requests: { cpu: '500m', memory: '2Gi' },
      limits: { cpu: '2', memory: '4Gi' },
    },
  },
};

/** The leaf after each keystroke of typing a service name and a host name. */
function keystrokes(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const name = 'ollama-inference-bench';
  for (let i = 1; i <= name.length; i++)
    out.push({ ...SEED, serviceName: name.slice(0, i) });
  const host = 'chat.inference.example.com';
  for (let i = 1; i <= host.length; i++) {
    out.push({
      ...SEED,
      serviceName: name,
      ingress: { enabled: true, host: host.slice(0, i) },
    });
  }
  return out;
}

/** The union schema as a template parameter schema: no $schema/$id (Backstage's ajv is draft-07). */
function plainSchema(): Record<string, unknown> {
  const { $schema: _s, $id: _i, ...rest } = unionJsonSchema();
  return rest;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Milliseconds per call of `fn`, from `reps` calls timed together: the browser's clock is
 * coarse (100 µs without cross-origin isolation), a single call is far shorter.
 */
function perCall(fn: () => void, reps: number): number {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) fn();
  return (performance.now() - t0) / reps;
}

export interface ValidationResult {
  keystrokes: number;
  oursMs: number;
  plainSameSchemaMs: number;
  plainNewSchemaMs: number;
  plainFirstCompileMs: number;
  invalidLeaf: { oursIssues: number; plainErrors: number };
}

function run(): ValidationResult {
  const leaves = keystrokes();
  const policy = { maxGpuCount: 8, environments: ['dev', 'staging', 'prod'] };

  // Ours: per keystroke, the whole leaf through the union schema and the policy.
  const ours = leaves.map(leaf =>
    perCall(() => validateLeaf(leaf, policy), 200),
  );

  // Plain: the scaffolder's validator. Its first compile, then the same schema object each time
  // (the cache hit), then a new but equal object each time (what the Stepper hands RJSF: it
  // rebuilds the step schema on every render).
  const validator = customizeValidator();
  ajvErrors(validator.ajv);
  const schema = plainSchema();
  const first = perCall(
    () => validator.validateFormData(leaves[0], schema as any),
    1,
  );
  const same = leaves.map(leaf =>
    perCall(() => validator.validateFormData(leaf, schema as any), 200),
  );
  const fresh = leaves
    .slice(0, 12)
    .map(leaf =>
      perCall(() => validator.validateFormData(leaf, plainSchema() as any), 1),
    );

  const invalid = { ...SEED, serviceName: 'Ollama_Phi', gpu: { count: 1.5 } };
  return {
    keystrokes: leaves.length,
    oursMs: median(ours),
    plainSameSchemaMs: median(same),
    plainNewSchemaMs: median(fresh),
    plainFirstCompileMs: first,
    invalidLeaf: {
      oursIssues: validateLeaf(invalid, policy).issues.length,
      plainErrors: validator.validateFormData(invalid, schema as any).errors
        .length,
    },
  };
}

(globalThis as any).formValidationBench = run;
