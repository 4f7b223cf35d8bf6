import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { validateLeaf, formatPath } from '../validation/validate';
import { WORKLOAD_TYPES } from './base';
import { leafSchemasByType } from './leaf';
import { SEED_LEAF_YAML as SEED } from '../testUtils/seed';

const examples = path.resolve(__dirname, '../../../../examples/catalog');

/** Minimal valid leaves of each type, the base for the rule table below. */
const MINIMAL: Record<string, Record<string, any>> = {
  BASIC_CONTAINER_LOAD: {
    workloadType: 'BASIC_CONTAINER_LOAD',
    serviceName: 'orders-api',
    serviceCatalog: 'shop',
    namespace: 'shop',
    environment: 'dev',
    container: { image: 'ghcr.io/acme/orders-api:1.4.2' },
  },
  STATEFUL_CONTAINER_LOAD: {
    workloadType: 'STATEFUL_CONTAINER_LOAD',
    serviceName: 'orders-db',
    serviceCatalog: 'shop',
    namespace: 'shop',
    environment: 'prod',
    container: { image: 'postgres:17.2' },
    storage: { size: '10Gi', mountPath: '/var/lib/postgresql/data' },
  },
  BASIC_CONTAINER_ROLLOUT: {
    workloadType: 'BASIC_CONTAINER_ROLLOUT',
    serviceName: 'storefront',
    serviceCatalog: 'shop',
    namespace: 'shop',
    environment: 'prod',
    container: { image: 'ghcr.io/acme/storefront:2.7.0' },
  },
  ML_INFERENCE_LOAD: {
    workloadType: 'ML_INFERENCE_LOAD',
    serviceName: 'mistral',
    serviceCatalog: 'ml-inference',
    namespace: 'ml-workloads',
    environment: 'dev',
    model: { id: 'mistralai/Mistral-7B-Instruct-v0.3' },
  },
  OLLAMA_INFERENCE_LOAD: parse(SEED),
};

function withChange(type: string, change: (leaf: any) => void) {
  const leaf = structuredClone(MINIMAL[type]);
  change(leaf);
  return leaf;
}

describe('the seed leaf', () => {
  it('validates unchanged', () => {
    const result = validateLeaf(parse(SEED));
    expect(result.issues).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is the one in examples/, byte for byte', () => {
    expect(
      fs.readFileSync(
        path.join(examples, 'valid/ml-inference/dev/ollama-phi.yaml'),
        'utf8',
      ),
    ).toBe(SEED);
  });

  it('gets defaults where it is silent, and keeps what it says', () => {
    const result = validateLeaf(parse(SEED));
    if (!result.valid) throw new Error('seed invalid');
    const leaf = result.leaf;
    expect(leaf.workloadType).toBe('OLLAMA_INFERENCE_LOAD');
    if (leaf.workloadType !== 'OLLAMA_INFERENCE_LOAD') return;
    expect(leaf.model).toBe('phi:latest');
    expect(leaf.gpu).toEqual({ count: 1 });
    expect(leaf.ingress).toEqual({
      enabled: true,
      host: 'text.hypermedia.au',
      path: '/',
    });
    expect(leaf.container.resources?.limits).toEqual({
      cpu: '2',
      memory: '4Gi',
    });
    expect(leaf.modelStorage).toBeUndefined();
  });
});

describe('minimal leaves', () => {
  it.each(WORKLOAD_TYPES)(
    '%s validates with only its required fields',
    type => {
      expect(validateLeaf(MINIMAL[type]).issues).toEqual([]);
    },
  );

  it('fills every default of the Ollama type', () => {
    const r = validateLeaf({
      ...MINIMAL.OLLAMA_INFERENCE_LOAD,
      gpu: undefined,
      container: undefined,
      ingress: undefined,
    });
    expect(r.valid && r.leaf).toMatchObject({
      gpu: { count: 1 },
      container: { replicas: 1 },
    });
  });

  it('fills the default canary steps of a rollout', () => {
    const r = validateLeaf(MINIMAL.BASIC_CONTAINER_ROLLOUT);
    expect(r.valid && (r.leaf as any).rollout.canary.steps[0]).toEqual({
      setWeight: 20,
    });
  });

  it('normalises Ollama references', () => {
    const r = validateLeaf({
      ...MINIMAL.OLLAMA_INFERENCE_LOAD,
      model: 'Library/Phi',
      additionalModels: ['llama3.2'],
    });
    expect(r.valid && (r.leaf as any).model).toBe('phi:latest');
    expect(r.valid && (r.leaf as any).additionalModels).toEqual([
      'llama3.2:latest',
    ]);
  });
});

describe('valid examples', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.yaml')) files.push(full);
    }
  };
  walk(path.join(examples, 'valid'));

  it('cover every workload type', () => {
    const types = new Set(
      files.map(f => parse(fs.readFileSync(f, 'utf8')).workloadType),
    );
    expect([...types].sort()).toEqual([...WORKLOAD_TYPES].sort());
  });

  it.each(files.map(f => [path.relative(examples, f), f]))(
    '%s is valid',
    (_, file) => {
      expect(validateLeaf(parse(fs.readFileSync(file, 'utf8'))).issues).toEqual(
        [],
      );
    },
  );
});

/**
 * Every field rule: a change to a minimal valid leaf, the field path it must be reported at,
 * and a part of the message (which must say what is allowed).
 */
const RULES: [string, string, (leaf: any) => void, string, string][] = [
  // identity
  [
    'serviceName must be a DNS label',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.serviceName = 'Ollama_Phi'),
    'serviceName',
    'must be a DNS-1035 label (service name)',
  ],
  [
    'serviceName suggests a fix',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.serviceName = 'Ollama Phi'),
    'serviceName',
    '(did you mean "ollama-phi"?)',
  ],
  [
    'serviceName suggests a fix without leading or trailing dashes',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.serviceName = '--Ollama Phi!--'),
    'serviceName',
    '(did you mean "ollama-phi"?)',
  ],
  [
    'serviceName is at most 53 characters',
    'BASIC_CONTAINER_LOAD',
    l => (l.serviceName = 'a'.repeat(54)),
    'serviceName',
    'must be at most 53 characters',
  ],
  [
    'serviceName is required',
    'BASIC_CONTAINER_LOAD',
    l => delete l.serviceName,
    'serviceName',
    'is required',
  ],
  [
    'serviceName must be a string',
    'BASIC_CONTAINER_LOAD',
    l => (l.serviceName = 42),
    'serviceName',
    'must be a string (service name); got 42',
  ],
  [
    'serviceCatalog must be a DNS label',
    'BASIC_CONTAINER_LOAD',
    l => (l.serviceCatalog = 'ML/Inference'),
    'serviceCatalog',
    'DNS-1123 label (catalog name)',
  ],
  [
    'namespace must be a DNS label',
    'BASIC_CONTAINER_LOAD',
    l => (l.namespace = '-shop'),
    'namespace',
    'DNS-1123 label (Kubernetes namespace)',
  ],
  [
    'namespace is at most 63 characters',
    'BASIC_CONTAINER_LOAD',
    l => (l.namespace = 'n'.repeat(64)),
    'namespace',
    'at most 63 characters',
  ],
  [
    'environment must be a DNS label',
    'BASIC_CONTAINER_LOAD',
    l => (l.environment = 'Dev Env'),
    'environment',
    'DNS-1123 label (environment name)',
  ],
  [
    'environment must not be empty',
    'BASIC_CONTAINER_LOAD',
    l => (l.environment = ''),
    'environment',
    'must not be empty',
  ],
  [
    'owner is an entity reference',
    'BASIC_CONTAINER_LOAD',
    l => (l.owner = 'group:ML Team'),
    'owner',
    'Backstage entity reference',
  ],
  [
    'unknown workload type',
    'BASIC_CONTAINER_LOAD',
    l => (l.workloadType = 'BASIC_CONTAINER'),
    'workloadType',
    'did you mean "BASIC_CONTAINER_LOAD"?',
  ],
  [
    'missing workload type',
    'BASIC_CONTAINER_LOAD',
    l => delete l.workloadType,
    'workloadType',
    'is required: one of BASIC_CONTAINER_LOAD',
  ],
  [
    'unknown top-level field',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.gpus = 2),
    'gpus',
    'unknown field "gpus"; did you mean "gpu"?',
  ],
  [
    'unknown field lists allowed ones',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.zzzzzz = 1),
    'container.zzzzzz',
    'allowed here: image, port',
  ],
  [
    'type-specific field on another type',
    'BASIC_CONTAINER_LOAD',
    l => (l.gpu = { count: 1 }),
    'gpu',
    'unknown field "gpu"',
  ],
  // container
  [
    'image is required for app containers',
    'BASIC_CONTAINER_LOAD',
    l => delete l.container.image,
    'container.image',
    'is required',
  ],
  [
    'image must be a reference',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.image = 'https://ghcr.io/acme/x'),
    'container.image',
    'container image reference',
  ],
  [
    'replicas is whole',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.replicas = 1.5),
    'container.replicas',
    'must be a whole number; got 1.5',
  ],
  [
    'replicas is at most 100',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.replicas = 101),
    'container.replicas',
    'must be at most 100',
  ],
  [
    'replicas is not negative',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.replicas = -1),
    'container.replicas',
    'must be at least 0',
  ],
  [
    'port range',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.port = 70000),
    'container.port',
    'port number from 1 to 65535',
  ],
  [
    'healthPath is a URL path',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.healthPath = 'healthz'),
    'container.healthPath',
    'URL path starting with "/"',
  ],
  [
    'cpu quantity parses',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.resources = { requests: { cpu: 'two' } }),
    'container.resources.requests.cpu',
    'Kubernetes quantity such as "500m"',
  ],
  [
    'memory quantity suggests Gi',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.resources = { limits: { memory: '4GB' } }),
    'container.resources.limits.memory',
    '(did you mean "4Gi"?)',
  ],
  [
    'negative quantity',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.resources = { limits: { memory: -1 } }),
    'container.resources.limits.memory',
    'Kubernetes quantity',
  ],
  [
    'memory in millibytes',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.resources = { requests: { memory: '512m' } }),
    'container.resources.requests.memory',
    'write "512Mi"',
  ],
  [
    'cpu in bytes',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.resources = { requests: { cpu: '2Gi' } }),
    'container.resources.requests.cpu',
    'CPU is counted in cores',
  ],
  [
    'limits >= requests (cpu)',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.container.resources = {
        requests: { cpu: 2 },
        limits: { cpu: '1500m' },
      }),
    'container.resources.limits.cpu',
    'must be at least the request (2); got "1500m"',
  ],
  [
    'limits >= requests (memory)',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.container.resources.limits.memory = '1Gi'),
    'container.resources.limits.memory',
    'must be at least the request ("2Gi")',
  ],
  [
    'resources or preset',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.container.resourcePreset = 'small'),
    'container.resourcePreset',
    'set either resources or resourcePreset',
  ],
  [
    'preset names',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.resourcePreset = 'smal'),
    'container.resourcePreset',
    'must be one of small, medium, large; got "smal" (did you mean "small"?)',
  ],
  [
    'environment names',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = { 'LOG-LEVEL': 'x' }),
    'container.environment["LOG-LEVEL"]',
    'field name must be an environment variable name',
  ],
  [
    'environment values are scalars',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = { A: ['x'] }),
    'container.environment.A',
    'must be a string, a number or true/false',
  ],
  [
    'environment values are not null',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = { A: null }),
    'container.environment.A',
    'got null',
  ],
  [
    'secret-like name in environment',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = { DB_PASSWORD: 'hunter2' }),
    'container.environment.DB_PASSWORD',
    'plaintext secrets are not allowed',
  ],
  [
    'token-like value in environment',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = { GH: `ghp_${'a'.repeat(36)}` }),
    'container.environment.GH',
    'looks like a GitHub token',
  ],
  [
    'fine-grained GitHub token in environment (40 characters after the prefix)',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = { GH: `github_pat_${'a_1'.repeat(13)}b` }),
    'container.environment.GH',
    'looks like a GitHub token',
  ],
  // environment as a list of {name, value}: the same rules, each reported at the item
  [
    'environment list: names',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = [{ name: 'LOG-LEVEL', value: 'x' }]),
    'container.environment[0].name',
    'must be an environment variable name',
  ],
  [
    'environment list: each name once',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.container.environment = [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'PORT_X', value: 1 },
        { name: 'LOG_LEVEL', value: 'debug' },
      ]),
    'container.environment[2].name',
    '"LOG_LEVEL" is already set at container.environment[0]; each variable once',
  ],
  [
    'environment list: a value is required',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = [{ name: 'LOG_LEVEL' }]),
    'container.environment[0].value',
    'is required: the value of the variable (write "" for an empty one)',
  ],
  [
    'environment list: values are scalars',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = [{ name: 'A', value: ['x'] }]),
    'container.environment[0].value',
    'must be a string, a number or true/false',
  ],
  [
    'environment list: items are {name, value}',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = ['LOG_LEVEL=info']),
    'container.environment[0]',
    'must be a variable {name, value}, e.g. {name: LOG_LEVEL, value: info}; got "LOG_LEVEL=info"',
  ],
  [
    'environment list: no other keys',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = [{ name: 'A', value: 'x', vaule: 'y' }]),
    'container.environment[0].vaule',
    'unknown field "vaule"; did you mean "value"?',
  ],
  [
    'environment list: a Secret goes in secrets',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.container.environment = [
        {
          name: 'HF_TOKEN',
          valueFrom: { secretKeyRef: { name: 'h', key: 't' } },
        },
      ]),
    'container.environment[0].valueFrom',
    'a variable from a Secret goes in container.secrets, by reference',
  ],
  [
    'environment list: secret-like name',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = [{ name: 'DB_PASSWORD', value: 'x' }]),
    'container.environment[0].name',
    'plaintext secrets are not allowed',
  ],
  [
    'environment list: token-like value',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.container.environment = [
        { name: 'GH', value: `ghp_${'a'.repeat(36)}` },
      ]),
    'container.environment[0].value',
    'looks like a GitHub token',
  ],
  [
    'environment is a mapping or a list',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.environment = 'LOG_LEVEL=info'),
    'container.environment',
    'must be a mapping of variables (NAME: value) or a list of {name, value}; got "LOG_LEVEL=info"',
  ],
  [
    'environment list: secret also in environment',
    'BASIC_CONTAINER_LOAD',
    l => {
      l.container.environment = [{ name: 'X', value: '1' }];
      l.container.secrets = [
        { name: 'X', secretKeyRef: { name: 'a', key: 'b' } },
      ];
    },
    'container.secrets[0].name',
    'also set in container.environment',
  ],
  [
    'environment list: ollama setting typo',
    'OLLAMA_INFERENCE_LOAD',
    l =>
      (l.container.environment = [
        { name: 'LOG_LEVEL', value: 'x' },
        { name: 'OLLAMA_NUM_PARALEL', value: 2 },
      ]),
    'container.environment[1].name',
    'did you mean "OLLAMA_NUM_PARALLEL"?',
  ],
  [
    'environment list: ollama setting value',
    'OLLAMA_INFERENCE_LOAD',
    l =>
      (l.container.environment = [
        { name: 'OLLAMA_KEEP_ALIVE', value: 'forever' },
      ]),
    'container.environment[0].value',
    'must be a duration such as "5m"',
  ],
  [
    'environment list: chart-managed Ollama setting',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.container.environment = [{ name: 'OLLAMA_HOST', value: 'x' }]),
    'container.environment[0].name',
    'is set by the chart',
  ],
  [
    'environment list: chart-managed TGI variable',
    'ML_INFERENCE_LOAD',
    l => (l.container = { environment: [{ name: 'MODEL_ID', value: 'x' }] }),
    'container.environment[0].name',
    'is set by the chart (the chart sets it from model.id)',
  ],
  [
    'secret named like a chart-managed Ollama variable',
    'OLLAMA_INFERENCE_LOAD',
    l =>
      (l.container.secrets = [
        { name: 'OLLAMA_MODELS', secretKeyRef: { name: 'a', key: 'b' } },
      ]),
    'container.secrets[0].name',
    'is set by the chart (the chart points it at the model volume (modelStorage)); remove it',
  ],
  [
    'secret named like a chart-managed TGI variable',
    'ML_INFERENCE_LOAD',
    l =>
      (l.container = {
        secrets: [{ name: 'HF_HOME', secretKeyRef: { name: 'a', key: 'b' } }],
      }),
    'container.secrets[0].name',
    'is set by the chart',
  ],
  [
    'secret needs a source',
    'BASIC_CONTAINER_LOAD',
    l => (l.container.secrets = [{ name: 'DB_PASSWORD' }]),
    'container.secrets[0]',
    'either secretKeyRef {name, key}',
  ],
  [
    'secret has one source',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.container.secrets = [
        {
          name: 'X',
          secretKeyRef: { name: 'a', key: 'b' },
          vault: { path: 'a/b', key: 'c' },
        },
      ]),
    'container.secrets[0]',
    'not both',
  ],
  [
    'secret never has a value',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.container.secrets = [
        { name: 'X', secretKeyRef: { name: 'a', key: 'b' }, value: 'x' },
      ]),
    'container.secrets[0].value',
    'a leaf never carries a secret value',
  ],
  [
    'secret Secret name',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.container.secrets = [
        { name: 'X', secretKeyRef: { name: 'My_Secret', key: 'b' } },
      ]),
    'container.secrets[0].secretKeyRef.name',
    'DNS-1123 subdomain (Kubernetes Secret name)',
  ],
  [
    'vault path has no ..',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.container.secrets = [
        { name: 'X', vault: { path: 'secret/../root', key: 'k' } },
      ]),
    'container.secrets[0].vault.path',
    'Vault secret path',
  ],
  [
    'secret key',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.container.secrets = [
        { name: 'X', vault: { path: 'a/b', key: 'a key' } },
      ]),
    'container.secrets[0].vault.key',
    'key in the secret',
  ],
  [
    'secret duplicates environment',
    'BASIC_CONTAINER_LOAD',
    l => {
      l.container.environment = { X: '1' };
      l.container.secrets = [
        { name: 'X', secretKeyRef: { name: 'a', key: 'b' } },
      ];
    },
    'container.secrets[0].name',
    'also set in container.environment',
  ],
  [
    'secret listed twice',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.container.secrets = [
        { name: 'X', secretKeyRef: { name: 'a', key: 'b' } },
        { name: 'X', vault: { path: 'a', key: 'b' } },
      ]),
    'container.secrets[1].name',
    'listed twice',
  ],
  // ingress
  [
    'ingress host needed when enabled',
    'BASIC_CONTAINER_LOAD',
    l => (l.ingress = { enabled: true }),
    'ingress.host',
    'is required when ingress.enabled is true',
  ],
  [
    'ingress host is not a URL',
    'BASIC_CONTAINER_LOAD',
    l => (l.ingress = { enabled: true, host: 'https://a.example.com/x' }),
    'ingress.host',
    'not a URL: write "a.example.com"',
  ],
  [
    'ingress host has no port',
    'BASIC_CONTAINER_LOAD',
    l => (l.ingress = { enabled: true, host: 'a.example.com:8443' }),
    'ingress.host',
    'without port or path',
  ],
  [
    'ingress host is lowercase',
    'BASIC_CONTAINER_LOAD',
    l => (l.ingress = { enabled: true, host: 'A.Example.com' }),
    'ingress.host',
    'write "a.example.com"',
  ],
  [
    'ingress host is qualified',
    'BASIC_CONTAINER_LOAD',
    l => (l.ingress = { enabled: true, host: 'localhost' }),
    'ingress.host',
    'fully qualified host name',
  ],
  [
    'ingress path',
    'BASIC_CONTAINER_LOAD',
    l => (l.ingress = { enabled: true, host: 'a.example.com', path: 'api' }),
    'ingress.path',
    'must start with "/": a route path is "/" or "/segment/..."',
  ],
  [
    'ingress enabled is boolean',
    'BASIC_CONTAINER_LOAD',
    l => (l.ingress = { enabled: 'yes' }),
    'ingress.enabled',
    'must be true or false; got "yes"',
  ],
  [
    'tls secret name',
    'BASIC_CONTAINER_LOAD',
    l =>
      (l.ingress = {
        enabled: true,
        host: 'a.example.com',
        tls: { secretName: 'A B' },
      }),
    'ingress.tls.secretName',
    'DNS-1123 subdomain (TLS Secret name)',
  ],
  // GPU and models
  [
    'gpu count is whole',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.gpu.count = 1.5),
    'gpu.count',
    'must be a whole number of GPUs; got 1.5',
  ],
  [
    'gpu count is a number',
    'ML_INFERENCE_LOAD',
    l => (l.gpu = { count: 'two' }),
    'gpu.count',
    'must be a whole number of GPUs; got "two"',
  ],
  [
    'gpu count has a hard ceiling',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.gpu.count = 17),
    'gpu.count',
    'must be at most 16',
  ],
  [
    'gpu count within the platform maximum',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.gpu.count = 9),
    'gpu.count',
    "must be at most 8 (the platform's GPU maximum per replica); got 9",
  ],
  [
    'gpu count not negative',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.gpu.count = -1),
    'gpu.count',
    'must be 0 (CPU only) or more',
  ],
  [
    'gpu product is a label value',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.gpu.product = 'NVIDIA A100'),
    'gpu.product',
    'node label value',
  ],
  [
    'ollama model reference',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.model = 'phi latest'),
    'model',
    'Ollama model reference [host/][namespace/]name[:tag]',
  ],
  [
    'ollama model is not a URL',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.model = 'https://ollama.com/library/phi'),
    'model',
    'not a URL',
  ],
  [
    'ollama model is required',
    'OLLAMA_INFERENCE_LOAD',
    l => delete l.model,
    'model',
    'is required',
  ],
  [
    'ollama host needs a namespace',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.model = 'registry.local:5000/phi'),
    'model',
    'Ollama model reference',
  ],
  [
    'ollama digest is hex',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.model = 'phi:latest@sha256:xyz'),
    'model',
    'Ollama model reference',
  ],
  [
    'duplicate models',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.additionalModels = ['phi']),
    'additionalModels[0]',
    '"phi:latest" is already declared at model',
  ],
  [
    'custom model name is local',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.customModels = [{ name: 'example.com/ns/bot', from: 'phi' }]),
    'customModels[0].name',
    'must be a local name',
  ],
  [
    'custom model name clashes',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.customModels = [{ name: 'phi', from: 'phi' }]),
    'customModels[0].name',
    'already the name of another model',
  ],
  [
    'custom model base model',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.customModels = [{ name: 'bot', from: 'not a model' }]),
    'customModels[0].from',
    'Ollama model reference',
  ],
  [
    'custom model parameter range',
    'OLLAMA_INFERENCE_LOAD',
    l =>
      (l.customModels = [
        { name: 'bot', from: 'phi', parameters: { temperature: 3 } },
      ]),
    'customModels[0].parameters.temperature',
    'must be at most 2; got 3',
  ],
  [
    'custom model unknown parameter',
    'OLLAMA_INFERENCE_LOAD',
    l =>
      (l.customModels = [
        { name: 'bot', from: 'phi', parameters: { temprature: 1 } },
      ]),
    'customModels[0].parameters.temprature',
    'did you mean "temperature"?',
  ],
  [
    'ollama setting typo',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.container.environment = { OLLAMA_NUM_PARALEL: 2 }),
    'container.environment.OLLAMA_NUM_PARALEL',
    'did you mean "OLLAMA_NUM_PARALLEL"?',
  ],
  [
    'ollama setting value',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.container.environment = { OLLAMA_KEEP_ALIVE: 'forever' }),
    'container.environment.OLLAMA_KEEP_ALIVE',
    'must be a duration such as "5m"',
  ],
  [
    'ollama boolean setting',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.container.environment = { OLLAMA_FLASH_ATTENTION: 'yes' }),
    'container.environment.OLLAMA_FLASH_ATTENTION',
    'must be true or false',
  ],
  [
    'ollama enum setting',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.container.environment = { OLLAMA_KV_CACHE_TYPE: 'q2' }),
    'container.environment.OLLAMA_KV_CACHE_TYPE',
    'must be one of f16, q8_0, q4_0',
  ],
  [
    'chart-managed setting',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.container.environment = { OLLAMA_MODELS: '/x' }),
    'container.environment.OLLAMA_MODELS',
    'is set by the chart',
  ],
  [
    'ollama has no command',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.container.command = ['sh']),
    'container.command',
    'unknown field "command"',
  ],
  [
    'model storage needs a size or claim',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.modelStorage = {}),
    'modelStorage.size',
    'unless existingClaim',
  ],
  [
    'model storage is size or claim',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.modelStorage = { size: '10Gi', existingClaim: 'models' }),
    'modelStorage.existingClaim',
    'not both',
  ],
  [
    'model storage access mode',
    'OLLAMA_INFERENCE_LOAD',
    l => (l.modelStorage = { size: '10Gi', accessMode: 'ReadWriteOncePod' }),
    'modelStorage.accessMode',
    'must be one of ReadWriteOnce, ReadWriteMany',
  ],
  [
    'hf model id',
    'ML_INFERENCE_LOAD',
    l => (l.model.id = 'https://huggingface.co/mistralai/x'),
    'model.id',
    'Hugging Face model id',
  ],
  [
    'hf model is an object',
    'ML_INFERENCE_LOAD',
    l => (l.model = 'mistralai/Mistral-7B'),
    'model',
    'must be a mapping; got "mistralai/Mistral-7B"',
  ],
  [
    'hf revision',
    'ML_INFERENCE_LOAD',
    l => (l.model.revision = 'bad revision'),
    'model.revision',
    'commit sha',
  ],
  [
    'tgi quantize',
    'ML_INFERENCE_LOAD',
    l => (l.quantize = 'gguf'),
    'quantize',
    'must be one of awq',
  ],
  [
    'shared memory quantity',
    'ML_INFERENCE_LOAD',
    l => (l.sharedMemory = '1 GB'),
    'sharedMemory',
    'Kubernetes quantity',
  ],
  [
    'TGI settings the chart owns',
    'ML_INFERENCE_LOAD',
    l => (l.container = { environment: { MODEL_ID: 'x' } }),
    'container.environment.MODEL_ID',
    'is set by the chart (the chart sets it from model.id)',
  ],
  [
    'serviceName starts with a letter',
    'BASIC_CONTAINER_LOAD',
    l => (l.serviceName = '4-orders'),
    'serviceName',
    'starting with a letter and ending with a letter or digit',
  ],
  // stateful
  [
    'storage is required',
    'STATEFUL_CONTAINER_LOAD',
    l => delete l.storage,
    'storage',
    'is required',
  ],
  [
    'storage mount path',
    'STATEFUL_CONTAINER_LOAD',
    l => (l.storage.mountPath = '/var/../etc'),
    'storage.mountPath',
    'absolute path',
  ],
  [
    'storage mount path relative',
    'STATEFUL_CONTAINER_LOAD',
    l => (l.storage.mountPath = 'data'),
    'storage.mountPath',
    'absolute path',
  ],
  [
    'storage size',
    'STATEFUL_CONTAINER_LOAD',
    l => (l.storage.size = 'ten gigs'),
    'storage.size',
    'Kubernetes quantity such as "10Gi"',
  ],
  [
    'storage class',
    'STATEFUL_CONTAINER_LOAD',
    l => (l.storage.storageClassName = 'Fast SSD'),
    'storage.storageClassName',
    'DNS-1123 subdomain (storage class name)',
  ],
  // rollout
  [
    'rollout strategy is one of two',
    'BASIC_CONTAINER_ROLLOUT',
    l => (l.rollout = {}),
    'rollout',
    'needs a strategy: canary or blueGreen',
  ],
  [
    'rollout strategy not both',
    'BASIC_CONTAINER_ROLLOUT',
    l => (l.rollout = { canary: {}, blueGreen: {} }),
    'rollout',
    'not both',
  ],
  [
    'canary weight range',
    'BASIC_CONTAINER_ROLLOUT',
    l => (l.rollout = { canary: { steps: [{ setWeight: 120 }] } }),
    'rollout.canary.steps[0].setWeight',
    'percentage from 1 to 100',
  ],
  [
    'canary weights do not go down',
    'BASIC_CONTAINER_ROLLOUT',
    l =>
      (l.rollout = {
        canary: { steps: [{ setWeight: 50 }, { setWeight: 20 }] },
      }),
    'rollout.canary.steps[1].setWeight',
    'must not be lower than the weight of an earlier step (50)',
  ],
  [
    'canary step is one thing',
    'BASIC_CONTAINER_ROLLOUT',
    l => (l.rollout = { canary: { steps: [{}] } }),
    'rollout.canary.steps[0]',
    'a step is either setWeight',
  ],
  [
    'canary pause duration',
    'BASIC_CONTAINER_ROLLOUT',
    l =>
      (l.rollout = { canary: { steps: [{ pause: { duration: '5 min' } }] } }),
    'rollout.canary.steps[0].pause.duration',
    'duration such as "30s"',
  ],
  [
    'canary needs steps',
    'BASIC_CONTAINER_ROLLOUT',
    l => (l.rollout = { canary: { steps: [] } }),
    'rollout.canary.steps',
    'must have at least 1 item',
  ],
  [
    'blue-green option type',
    'BASIC_CONTAINER_ROLLOUT',
    l => (l.rollout = { blueGreen: { autoPromotionEnabled: 'yes' } }),
    'rollout.blueGreen.autoPromotionEnabled',
    'must be true or false',
  ],
];

describe('field rules', () => {
  it.each(RULES)('%s', (_, type, change, fieldPath, message) => {
    const result = validateLeaf(withChange(type, change));
    expect(result.valid).toBe(false);
    const issues = result.issues.map(
      i => `${formatPath(i.path)}: ${i.message}`,
    );
    expect(issues).toContainEqual(expect.stringContaining(`${fieldPath}: `));
    const issue = result.issues.find(i => formatPath(i.path) === fieldPath)!;
    expect(issue.message).toContain(message);
  });

  it('reports one issue per mistake, not a cascade', () => {
    const result = validateLeaf(
      withChange('OLLAMA_INFERENCE_LOAD', l => {
        l.serviceName = 'Bad_Name';
        l.gpu.count = 1.5;
      }),
    );
    expect(result.issues.map(i => formatPath(i.path))).toEqual([
      'serviceName',
      'gpu.count',
    ]);
  });

  it('reports a field in every workload type the same way', () => {
    for (const type of WORKLOAD_TYPES) {
      const result = validateLeaf(withChange(type, l => (l.namespace = 'Bad')));
      expect(result.issues).toEqual([
        {
          path: ['namespace'],
          message: expect.stringContaining(
            'must be a DNS-1123 label (Kubernetes namespace)',
          ),
        },
      ]);
    }
  });
});

describe('container.environment in either form', () => {
  const list = [
    { name: 'OLLAMA_KEEP_ALIVE', value: '24h' },
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'WORKERS', value: 4 },
    { name: 'DEBUG', value: false },
  ];
  const mapping = {
    OLLAMA_KEEP_ALIVE: '24h',
    LOG_LEVEL: 'info',
    WORKERS: 4,
    DEBUG: false,
  };

  it.each(WORKLOAD_TYPES)(
    '%s: the list and the mapping parse to the same leaf (the mapping, in the order written)',
    type => {
      const vars = type === 'OLLAMA_INFERENCE_LOAD' ? list : list.slice(1);
      const asList = validateLeaf(
        withChange(
          type,
          l => (l.container = { ...l.container, environment: vars }),
        ),
      );
      const asMapping = validateLeaf(
        withChange(
          type,
          l =>
            (l.container = {
              ...l.container,
              environment: Object.fromEntries(vars.map(v => [v.name, v.value])),
            }),
        ),
      );
      expect(asList.issues).toEqual([]);
      expect(asList.valid && asMapping.valid).toBe(true);
      if (!asList.valid || !asMapping.valid) return;
      expect(asList.leaf).toEqual(asMapping.leaf);
      expect(Object.keys((asList.leaf.container as any).environment)).toEqual(
        vars.map(v => v.name),
      );
    },
  );

  it('reports every mistake of a list at its item, one issue each', () => {
    const result = validateLeaf(
      withChange('OLLAMA_INFERENCE_LOAD', l => {
        l.container.environment = [
          ...list,
          { name: 'LOG_LEVEL', value: 'debug' },
          { name: 'OLLAMA_MODELS', value: '/x' },
          { name: '1X', value: 'a' },
        ];
      }),
    );
    expect(
      result.issues.map(i => `${formatPath(i.path)}: ${i.message}`).sort(),
    ).toEqual([
      'container.environment[4].name: "LOG_LEVEL" is already set at container.environment[1]; each variable once',
      'container.environment[5].name: is set by the chart (the chart points it at the model volume (modelStorage)); remove it',
      'container.environment[6].name: must be an environment variable name (letters, digits and "_", not starting with a digit), e.g. "OLLAMA_KEEP_ALIVE"; got "1X"',
    ]);
  });

  it('accepts the mapping with the same values as before', () => {
    const result = validateLeaf({
      ...MINIMAL.OLLAMA_INFERENCE_LOAD,
      container: { environment: mapping },
    });
    expect(result.valid && (result.leaf.container as any).environment).toEqual(
      mapping,
    );
  });
});

describe('many unknown keys', () => {
  it('are all reported, the first 100 explained and the rest only named', () => {
    const extra = Object.fromEntries(
      Array.from({ length: 150 }, (_, i) => [`gpux${i}`, 1]),
    );
    const result = validateLeaf({ ...MINIMAL.BASIC_CONTAINER_LOAD, ...extra });
    expect(result.valid).toBe(false);
    const messages = result.valid ? [] : result.issues.map(i => i.message);
    expect(messages).toHaveLength(150);
    expect(messages[0]).toMatch(
      /^unknown field "gpux0"; (did you mean|allowed here)/,
    );
    expect(messages[99]).toMatch(/^unknown field "gpux99"; /);
    expect(messages[100]).toBe('unknown field "gpux100"');
    expect(messages[149]).toBe('unknown field "gpux149"');
  });
});

describe('token-like values', () => {
  it('are told apart by their length, not only their form', () => {
    const env = (value: string) =>
      validateLeaf({
        ...MINIMAL.BASIC_CONTAINER_LOAD,
        container: {
          ...MINIMAL.BASIC_CONTAINER_LOAD.container,
          environment: { GH: value },
        },
      }).valid;
    expect(env(`github_pat_${'a'.repeat(39)}`)).toBe(true);
    expect(env(`github_pat_${'a'.repeat(40)}`)).toBe(false);
    expect(env(`github_pat_${'a'.repeat(39)}-`)).toBe(true);
  });
});

describe('policy', () => {
  const seed = () => parse(SEED);

  it('applies a configured GPU maximum', () => {
    const leaf = { ...seed(), gpu: { count: 3 } };
    expect(validateLeaf(leaf, { maxGpuCount: 2 }).issues).toEqual([
      {
        path: ['gpu', 'count'],
        message:
          "must be at most 2 (the platform's GPU maximum per replica); got 3",
      },
    ]);
    expect(validateLeaf(leaf, { maxGpuCount: 4 }).valid).toBe(true);
  });

  it('never raises the GPU maximum above the schema limit', () => {
    const result = validateLeaf(
      { ...seed(), gpu: { count: 17 } },
      { maxGpuCount: 64 },
    );
    expect(result.issues[0].message).toContain('at most 16');
  });

  it('restricts environments and namespaces when configured', () => {
    const result = validateLeaf(
      { ...seed(), environment: 'prd', namespace: 'other' },
      {
        environments: ['dev', 'staging', 'prod'],
        namespaces: ['ml-workloads'],
      },
    );
    expect(result.issues).toEqual([
      {
        path: ['environment'],
        message:
          'must be one of dev, staging, prod; got "prd" (did you mean "prod"?)',
      },
      {
        path: ['namespace'],
        message: expect.stringContaining(
          'must be one of the namespaces this platform deploys to: ml-workloads',
        ),
      },
    ]);
  });

  it('reports policy problems together with schema problems', () => {
    const result = validateLeaf({
      ...seed(),
      serviceName: 'X',
      gpu: { count: 12 },
    });
    expect(result.issues.map(i => formatPath(i.path))).toEqual([
      'serviceName',
      'gpu.count',
    ]);
  });
});

describe('non-leaf values', () => {
  it.each([
    [null, 'an empty document'],
    [undefined, 'an empty document'],
    [[1], 'a list'],
    ['text', '"text"'],
    [3, '3'],
  ])('rejects %p', (value, got) => {
    expect(validateLeaf(value).issues).toEqual([
      {
        path: [],
        message: `a leaf must be a mapping of fields (workloadType, serviceName, ...); got ${got}`,
      },
    ]);
  });
});

it('declares a schema for every workload type', () => {
  expect(Object.keys(leafSchemasByType).sort()).toEqual(
    [...WORKLOAD_TYPES].sort(),
  );
});
