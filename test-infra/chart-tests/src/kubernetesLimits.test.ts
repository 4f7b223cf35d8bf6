/*
 * The leaf schema's Kubernetes rules against what the charts really render (issue 12,
 * point 5):
 *  - every environment variable a chart sets itself is in the schema's list for that type
 *    (CHART_ENVIRONMENT), so a leaf can never set it and the list cannot drift from the charts;
 *  - a serviceName at its type's limit (SERVICE_NAME_LIMITS) renders objects that pass the
 *    Kubernetes and CRD schemas and whose derived names (the StatefulSet's
 *    controller-revision-hash label, claim names <claim>-<statefulset>-<ordinal>, Service
 *    names) stay within Kubernetes' limits; one character more is refused by the chart's
 *    values.schema.json, generated from the same schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  CHART_ENVIRONMENT,
  RESERVED_ENVIRONMENT_PREFIX,
  SERVICE_NAME_LIMITS,
  WORKLOAD_TYPES,
  validateLeaf,
  type WorkloadType,
} from '@workload-catalog/plugin-workload-catalog-common';
import { parse } from 'yaml';
import { template, type Manifest } from './helm';
import { manifestErrors } from './k8s/validate';
import { podSpecs } from './manifests';
import { chartOf, examplesDir } from './paths';

// helm runs real processes; on a busy 2-core machine a test may take a while
jest.setTimeout(180_000);

type Leaf = Record<string, any>;

const example = (rel: string): Leaf =>
  parse(fs.readFileSync(path.join(examplesDir, 'valid', rel), 'utf8'));

const SECRETS = [
  { name: 'APP_TOKEN', secretKeyRef: { name: 'app-secrets', key: 'token' } },
  { name: 'VAULT_TOKEN', vault: { path: 'secret/data/app', key: 'token' } },
];

/**
 * A leaf of each type that makes its chart render as much as it can: ingress with TLS, both
 * kinds of secret reference, plain variables, the most replicas, and for the inference types
 * model storage that makes a StatefulSet (size, ReadWriteOnce), TGI sharded and quantised.
 */
function fullLeaf(type: WorkloadType): Leaf {
  const base: Record<WorkloadType, Leaf> = {
    BASIC_CONTAINER_LOAD: example('shop/dev/orders-api.yaml'),
    STATEFUL_CONTAINER_LOAD: example('shop/prod/orders-db.yaml'),
    BASIC_CONTAINER_ROLLOUT: example('shop/prod/storefront.yaml'),
    ML_INFERENCE_LOAD: example('ml-inference/prod/mistral-tgi.yaml'),
    OLLAMA_INFERENCE_LOAD: example('ml-inference/dev/ollama-phi.yaml'),
  };
  const leaf = structuredClone(base[type]);
  leaf.ingress = {
    enabled: true,
    host: 'limits.example.com',
    // the inference types route "/" only (their servers answer at fixed endpoint paths)
    path: type.endsWith('_INFERENCE_LOAD') ? '/' : '/api',
    tls: { enabled: true },
  };
  leaf.container = {
    ...leaf.container,
    replicas: 100,
    environment: { LOG_LEVEL: 'info' },
    secrets: SECRETS,
  };
  if (type === 'ML_INFERENCE_LOAD') {
    leaf.gpu = { count: 2 };
    leaf.quantize = 'awq';
  }
  if (type === 'ML_INFERENCE_LOAD' || type === 'OLLAMA_INFERENCE_LOAD') {
    leaf.modelStorage = { size: '50Gi', accessMode: 'ReadWriteOnce' };
  }
  // autoscaling (if the type has it) may cap replicas below container.replicas
  delete leaf.autoscaling;
  return leaf;
}

/** Defaults the platform sets and a leaf may override (the Ollama chart's platform.ollama.environment). */
function platformDefaults(type: WorkloadType): Set<string> {
  const values = parse(
    fs.readFileSync(path.join(chartOf(type), 'values.yaml'), 'utf8'),
  );
  return new Set(Object.keys(values?.platform?.ollama?.environment ?? {}));
}

async function render(leaf: Leaf, release = leaf.serviceName) {
  const result = await template(chartOf(leaf.workloadType), leaf, { release });
  if (result.code !== 0)
    throw new Error(`${leaf.workloadType}: ${result.stderr}`);
  return result.docs;
}

describe('the variables each chart sets are the schema’s (CHART_ENVIRONMENT)', () => {
  it.each(WORKLOAD_TYPES)(
    '%s: every variable it sets in any container is refused in a leaf',
    async type => {
      const leaf = fullLeaf(type);
      expect(validateLeaf(leaf).issues).toEqual([]);
      const docs = await render(leaf);
      const fromLeaf = new Set([
        ...Object.keys(leaf.container.environment),
        ...SECRETS.map(s => s.name),
        ...platformDefaults(type),
      ]);
      const set = new Set<string>();
      for (const { spec } of podSpecs(docs)) {
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          for (const e of c.env ?? [])
            if (!fromLeaf.has(e.name)) set.add(e.name);
        }
      }
      const listed = Object.keys(CHART_ENVIRONMENT[type]);
      // a name the chart sets is listed, or has the charts' reserved prefix (refused too)
      expect(
        [...set].filter(
          name =>
            !listed.includes(name) &&
            !name.startsWith(RESERVED_ENVIRONMENT_PREFIX),
        ),
      ).toEqual([]);
      // and the list holds nothing the chart does not set
      expect(listed.filter(name => !set.has(name))).toEqual(
        // the Ollama list also names the GPU variables (refused in every type anyway)
        type === 'OLLAMA_INFERENCE_LOAD'
          ? ['CUDA_VISIBLE_DEVICES', 'NVIDIA_VISIBLE_DEVICES']
          : [],
      );
    },
  );
});

/** The name of the given length the test uses: a DNS-1035 label. */
const nameOf = (length: number) => `l${'x'.repeat(length - 2)}9`;

const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Names Kubernetes derives from the rendered objects, with their limits: what the API
 * server or the controllers would refuse although each manifest passes its schema.
 */
function derivedNameProblems(docs: Manifest[], maxReplicas: number): string[] {
  const out: string[] = [];
  const check = (what: string, value: string, max: number, re?: RegExp) => {
    if (value.length > max || (re && !re.test(value)))
      out.push(
        `${what} "${value}" (${value.length} characters, at most ${max})`,
      );
  };
  for (const d of docs) {
    const name: string = d.metadata.name;
    check(`${d.kind} name`, name, 253, DNS_1123_SUBDOMAIN);
    for (const [k, v] of Object.entries(d.metadata.labels ?? {}))
      check(`${d.kind}/${name} label ${k}`, String(v), 63);
    if (d.kind === 'Service') check('Service name', name, 63, DNS_1035);
    if (d.kind === 'StatefulSet') {
      // controller-revision-hash: <name>-<hash>, the hash at most 10 characters
      check('controller-revision-hash label', `${name}-${'h'.repeat(10)}`, 63);
      const lastPod = `${name}-${maxReplicas - 1}`;
      check('statefulset.kubernetes.io/pod-name label', lastPod, 63);
      for (const claim of d.spec.volumeClaimTemplates ?? [])
        check(
          'claim name',
          `${claim.metadata.name}-${lastPod}`,
          63,
          DNS_1123_SUBDOMAIN,
        );
    }
    if (['Deployment', 'Rollout'].includes(d.kind)) {
      // ReplicaSet <name>-<pod-template-hash of up to 10>, its pods <rs>-<5 characters>
      check('ReplicaSet name', `${name}-${'h'.repeat(10)}`, 253);
    }
  }
  return out;
}

describe('serviceName at the limit of its type (SERVICE_NAME_LIMITS)', () => {
  it.each(WORKLOAD_TYPES)(
    '%s: renders valid Kubernetes objects whose derived names fit',
    async type => {
      const { max } = SERVICE_NAME_LIMITS[type];
      const leaf: Leaf = { ...fullLeaf(type), serviceName: nameOf(max) };
      expect(leaf.serviceName).toHaveLength(max);
      expect(validateLeaf(leaf).issues).toEqual([]);
      const docs = await render(leaf);
      // the StatefulSet is there wherever the limit is 52
      expect(docs.some(d => d.kind === 'StatefulSet')).toBe(max === 52);
      expect(await manifestErrors(docs)).toEqual([]);
      expect(derivedNameProblems(docs, leaf.container.replicas)).toEqual([]);
    },
  );

  it.each(WORKLOAD_TYPES)(
    '%s: one character more is refused by the schema and by the chart',
    async type => {
      const { max, reason } = SERVICE_NAME_LIMITS[type];
      const leaf: Leaf = { ...fullLeaf(type), serviceName: nameOf(max + 1) };
      expect(validateLeaf(leaf).issues).toEqual([
        {
          path: ['serviceName'],
          message: `must be at most ${max} characters (service name): ${reason}; got ${max + 1}`,
        },
      ]);
      // the release stays a valid Helm name: the chart's values.schema.json refuses the leaf
      const result = await template(chartOf(type), leaf, { release: 'limits' });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('serviceName');
    },
  );

  it('52 is the real limit of a StatefulSet: a name of 53 makes a controller-revision-hash label over 63', async () => {
    const leaf = {
      ...fullLeaf('STATEFUL_CONTAINER_LOAD'),
      serviceName: nameOf(52),
    };
    const docs = await render(leaf);
    const sts = docs.find(d => d.kind === 'StatefulSet')!;
    const longer = [
      { ...sts, metadata: { ...sts.metadata, name: nameOf(53) } },
    ];
    expect(derivedNameProblems(longer, 1)).toEqual([
      `controller-revision-hash label "${nameOf(53)}-hhhhhhhhhh" (64 characters, at most 63)`,
    ]);
  });
});

/** What the schema refuses in every type, and the chart (values.schema.json) refuses too. */
const REFUSED: [string, (leaf: Leaf) => void, string][] = [
  [
    'NVIDIA_VISIBLE_DEVICES=all in the mapping',
    l => (l.container.environment = { NVIDIA_VISIBLE_DEVICES: 'all' }),
    'container/environment',
  ],
  [
    'CUDA_VISIBLE_DEVICES in the list',
    l =>
      (l.container.environment = [
        { name: 'CUDA_VISIBLE_DEVICES', value: '0' },
      ]),
    'container/environment',
  ],
  [
    'a secret named like a GPU device variable',
    l =>
      (l.container.secrets = [
        { name: 'ROCR_VISIBLE_DEVICES', secretKeyRef: { name: 'a', key: 'b' } },
      ]),
    'container/secrets/0/name',
  ],
  [
    'a variable with the reserved prefix WC_',
    l => (l.container.environment = { WC_OLLAMA_MIRROR: 'x' }),
    'container/environment',
  ],
  [
    'a CPU request of 0',
    l => (l.container.resources = { requests: { cpu: '0' } }),
    'container/resources/requests/cpu',
  ],
  [
    'ingress.path with a ".." segment',
    l => (l.ingress.path = '/api/../admin'),
    'ingress/path',
  ],
];

describe('the charts refuse the same (values.schema.json, generated from the schema)', () => {
  const cases = WORKLOAD_TYPES.flatMap(type =>
    REFUSED.filter(
      // the inference types route "/" only: their ingress.path has its own rule
      ([what]) =>
        !(what.startsWith('ingress') && type.endsWith('_INFERENCE_LOAD')),
    ).map(([what, change, at]) => [type, what, change, at] as const),
  );

  it.each(cases)('%s: %s', async (type, _what, change, at) => {
    const leaf = fullLeaf(type);
    change(leaf);
    expect(validateLeaf(leaf).valid).toBe(false);
    const result = await template(chartOf(type), leaf, { release: 'refused' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(at);
  });

  it('a chart-set name is refused by its chart: HF_HOME for TGI, OLLAMA_HOST for Ollama', async () => {
    for (const [type, name] of [
      ['ML_INFERENCE_LOAD', 'HF_HOME'],
      ['OLLAMA_INFERENCE_LOAD', 'OLLAMA_HOST'],
    ] as const) {
      const leaf = fullLeaf(type);
      leaf.container.secrets = [
        { name, secretKeyRef: { name: 'a', key: 'b' } },
      ];
      const result = await template(chartOf(type), leaf, {
        release: 'refused',
      });
      expect(result.code).not.toBe(0);
      // TGI's values.schema.json refuses it; the Ollama chart's own check says why
      expect(result.stderr).toContain(
        type === 'ML_INFERENCE_LOAD'
          ? 'container/secrets/0/name'
          : 'container.secrets.0.name: is set by the chart',
      );
    }
  });
});
