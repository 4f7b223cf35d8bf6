import { seedLeaf } from '../testUtils/seed';
import { validateLeaf } from '../validation/validate';
import { formatPath } from '../validation/path';
import {
  gpuLimits,
  imageRepository,
  isSystemNamespace,
  narrowPolicy,
  parsePolicyFile,
  policyIssues,
} from './platformPolicy';

const POLICY = `apiVersion: workload-catalog.dev/v1
kind: PlatformPolicy
environments: [dev, staging, prod]
namespaces: [ml-workloads, shop]
gpu:
  maxPerReplica: 4
  maxPerWorkload: 8
ingress:
  domains:
    ml-inference: [hypermedia.au]
    "*": [apps.example.com]
images:
  registries: [ghcr.io/acme, docker.io/ollama]
`;

const messages = (leaf: unknown, policy = parsePolicyFile(POLICY).policy!) =>
  validateLeaf(leaf, policy).issues.map(
    i => `${i.path.join('.')}: ${i.message}`,
  );

describe('the platform policy file', () => {
  it('reads every rule', () => {
    expect(parsePolicyFile(POLICY)).toEqual({
      policy: {
        environments: ['dev', 'staging', 'prod'],
        namespaces: ['ml-workloads', 'shop'],
        maxGpuCount: 4,
        maxGpusPerWorkload: 8,
        ingressDomains: {
          'ml-inference': ['hypermedia.au'],
          '*': ['apps.example.com'],
        },
        imageRegistries: ['ghcr.io/acme', 'docker.io/ollama'],
      },
      issues: [],
    });
  });

  it('names the field, the line and what is allowed for each mistake', () => {
    const text = POLICY.replace('maxPerReplica: 4', 'maxPerReplica: 1.5')
      .replace('kind: PlatformPolicy', 'kind: Policy')
      .replace('images:', 'image:');
    const { policy, issues } = parsePolicyFile(text);
    expect(policy).toBeUndefined();
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'kind',
          line: 2,
          message: 'must be PlatformPolicy; got "Policy"',
        },
        expect.objectContaining({
          path: 'gpu.maxPerReplica',
          line: 6,
          message: expect.stringMatching(/whole number of GPUs per replica/),
        }),
        expect.objectContaining({
          path: '(policy)',
          message: expect.stringMatching(
            /unknown field "image"; a policy has apiVersion, kind, /,
          ),
        }),
      ]),
    );
  });

  it('refuses YAML problems with their line', () => {
    const { issues } = parsePolicyFile(`${POLICY}environments: [dev]\n`);
    expect(issues[0]).toMatchObject({ path: '(document)', line: 14 });
    expect(issues[0].message).toMatch(/unique/i);
  });
});

describe('narrowPolicy: config may only narrow the policy', () => {
  const base = parsePolicyFile(POLICY).policy!;
  it('keeps what both allow', () => {
    const { policy, problems } = narrowPolicy(base, {
      environments: ['dev'],
      maxGpuCount: 2,
    });
    expect(problems).toEqual([]);
    expect(policy.environments).toEqual(['dev']);
    expect(policy.maxGpuCount).toBe(2);
    expect(policy.namespaces).toEqual(['ml-workloads', 'shop']);
  });

  it('refuses to widen, naming the key and the policy file', () => {
    const { policy, problems } = narrowPolicy(
      base,
      { namespaces: ['shop', 'kube-system'], maxGpuCount: 16 },
      {
        namespaces: 'workloadCatalog.namespaces',
        maxGpuCount: 'workloadCatalog.maxGpuCount',
      },
    );
    expect(problems).toEqual([
      "workloadCatalog.maxGpuCount is 16, above the platform policy's 4 (.workload-catalog/policy.yaml); config may only narrow the policy",
      'workloadCatalog.namespaces lists "kube-system", which the platform policy (.workload-catalog/policy.yaml) does not allow; config may only narrow the policy (allowed: ml-workloads, shop)',
    ]);
    expect(policy.namespaces).toEqual(['shop']);
    expect(policy.maxGpuCount).toBe(4);
  });

  it('takes config as it is when the policy says nothing', () => {
    expect(narrowPolicy({}, { environments: ['dev'] }).policy).toEqual({
      environments: ['dev'],
    });
  });
});

describe('policyIssues', () => {
  it('lets the seed leaf through a policy that allows it', () => {
    expect(messages(seedLeaf())).toEqual([]);
  });

  it('counts GPUs per replica and per workload (gpu.count × replicas)', () => {
    const leaf = seedLeaf();
    leaf.gpu.count = 4;
    leaf.container.replicas = 100;
    expect(messages(leaf)).toEqual([
      'container.replicas: asks for 400 GPUs (4 per replica × 100 replicas); the platform allows at most 8 GPUs per workload, so at most 2 replicas of 4 GPUs',
    ]);
    leaf.gpu.count = 5;
    leaf.container.replicas = 1;
    expect(messages(leaf)).toEqual([
      "gpu.count: must be at most 4 (the platform's GPU maximum per replica); got 5",
    ]);
  });

  it('counts autoscaling at maxReplicas', () => {
    const issues = policyIssues(
      {
        gpu: { count: 2 },
        container: { replicas: 1 },
        autoscaling: { maxReplicas: 10 },
      },
      { maxGpusPerWorkload: 8 },
    );
    expect(issues.map(i => i.path.join('.'))).toEqual([
      'autoscaling.maxReplicas',
    ]);
  });

  it('denies system namespaces unless the policy lists them', () => {
    for (const ns of ['kube-system', 'argocd', 'default', 'kube-anything']) {
      const leaf = { ...seedLeaf(), namespace: ns };
      expect(messages(leaf, {})).toEqual([
        `namespace: "${ns}" is a system namespace (the cluster's or the platform's own); workloads may not deploy there unless the platform policy lists it under namespaces`,
      ]);
      expect(messages(leaf, { namespaces: [ns] })).toEqual([]);
    }
    expect(isSystemNamespace('ml-workloads')).toBe(false);
  });

  it('keeps each catalog to its ingress domains', () => {
    const leaf = seedLeaf();
    expect(messages(leaf)).toEqual([]);
    leaf.ingress.host = 'text.apps.example.com';
    expect(messages(leaf)).toEqual([]);
    leaf.ingress.host = 'shop.example.com';
    expect(messages(leaf)).toEqual([
      'ingress.host: must be one of the domains of catalog "ml-inference" or below one: hypermedia.au, apps.example.com; got "shop.example.com"',
    ]);
    leaf.ingress.host = 'evilhypermedia.au';
    expect(messages(leaf)).toHaveLength(1);
    expect(
      messages(leaf, { ingressDomains: { shop: ['shop.example.com'] } }),
    ).toEqual([
      'ingress.host: catalog "ml-inference" may not expose hosts (the platform policy gives it no ingress domains); got "evilhypermedia.au"',
    ]);
  });

  it('allows images only from the listed registries', () => {
    const leaf = {
      ...seedLeaf(),
      container: { ...seedLeaf().container, image: 'evil.io/acme/ollama:1' },
    };
    expect(messages(leaf)).toEqual([
      'container.image: must come from one of the platform\'s registries: ghcr.io/acme, docker.io/ollama; got "evil.io/acme/ollama:1" (from evil.io/acme/ollama)',
    ]);
    leaf.container.image = 'ollama/ollama:0.5.7';
    expect(messages(leaf)).toEqual([]);
    leaf.container.image = 'ghcr.io/acmeevil/x:1';
    expect(messages(leaf)).toHaveLength(1);
  });

  it('resolves image names as a container runtime does', () => {
    expect(imageRepository('nginx:1.27')).toBe('docker.io/library/nginx');
    expect(imageRepository('ollama/ollama:0.5.7')).toBe(
      'docker.io/ollama/ollama',
    );
    expect(imageRepository('ghcr.io/acme/api@sha256:abc')).toBe(
      'ghcr.io/acme/api',
    );
    expect(imageRepository('localhost:5000/x:1')).toBe('localhost:5000/x');
  });

  it('has one place for the GPU defaults', () => {
    expect(gpuLimits({})).toEqual({ perReplica: 8, perWorkload: undefined });
    expect(gpuLimits({ maxGpuCount: 99 }).perReplica).toBe(16);
  });
});

describe('the route of an inference server (ingress.paths)', () => {
  const ollama = () => {
    const leaf = seedLeaf();
    leaf.ingress.paths = ['/api/pull'];
    return leaf;
  };
  const OLLAMA_ALLOWED =
    '/api/generate, /api/chat, /api/embed, /api/embeddings, /api/tags, /api/show, /api/version, /v1/';

  it('refuses a management endpoint without the policy, naming the item and what is allowed', () => {
    expect(messages(ollama(), {})).toEqual([
      `ingress.paths.0: "/api/pull" is a management endpoint of Ollama, which a route exposes only when the platform policy allows it for catalog "ml-inference" (ingress.extraPaths in .workload-catalog/policy.yaml); allowed: ${OLLAMA_ALLOWED} (a path ending in "/" also allows the paths below it)`,
    ]);
    const issues = validateLeaf(ollama(), {}).issues;
    expect(formatPath(issues[0].path)).toBe('ingress.paths[0]');
  });

  it('lets a leaf narrow to a subset, a prefix entry covering the paths below it', () => {
    const leaf = seedLeaf();
    leaf.ingress.paths = ['/v1/chat/completions', '/api/tags', '/v1/'];
    expect(messages(leaf, {})).toEqual([]);
    leaf.ingress.paths = ['/', '/api/ps', '/metrics'];
    expect(messages(leaf, {}).map(m => m.split(':')[0])).toEqual([
      'ingress.paths.0',
      'ingress.paths.1',
      'ingress.paths.2',
    ]);
    expect(messages(leaf, {})[2]).toContain(
      '"/metrics" is not an inference endpoint of Ollama',
    );
  });

  it('widens only through the policy, for the catalog it names (or every catalog with *)', () => {
    const policy = parsePolicyFile(
      `${POLICY.replace(
        'ingress:\n  domains:',
        'ingress:\n  extraPaths:\n    ml-inference: [/api/pull, /api/blobs/]\n    "*": [/api/ps]\n  domains:',
      )}`,
    ).policy!;
    expect(policy.ingressExtraPaths).toEqual({
      'ml-inference': ['/api/pull', '/api/blobs/'],
      '*': ['/api/ps'],
    });
    const leaf = ollama();
    leaf.ingress.paths = [
      '/api/pull',
      '/api/blobs/sha256:abc',
      '/api/ps',
      '/v1/',
    ];
    expect(messages(leaf, policy)).toEqual([]);
    const other = {
      ...leaf,
      serviceCatalog: 'shop',
      ingress: { ...leaf.ingress, host: 'ollama.shop.example.com' },
    };
    const shopPolicy = { ...policy, ingressDomains: undefined };
    expect(
      policyIssues(other, shopPolicy).map(i => formatPath(i.path)),
    ).toEqual(['ingress.paths[0]', 'ingress.paths[1]']);
  });

  it('refuses a path that is not a route path in the policy file', () => {
    const { issues } = parsePolicyFile(
      `${POLICY}`.replace(
        'ingress:\n  domains:',
        'ingress:\n  extraPaths:\n    ml-inference: [api/pull]\n  domains:',
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'ingress.extraPaths["ml-inference"][0]',
        message:
          'must be a route path such as /api/pull (a path ending in "/" is a prefix)',
      }),
    ]);
  });

  it('keeps the TGI route off /metrics and the inference servers at "/"', () => {
    const tgi = {
      workloadType: 'ML_INFERENCE_LOAD',
      serviceName: 'tgi',
      serviceCatalog: 'ml-inference',
      namespace: 'ml-workloads',
      environment: 'dev',
      model: { id: 'HuggingFaceTB/SmolLM2-135M-Instruct' },
      ingress: {
        enabled: true,
        host: 'tgi.hypermedia.au',
        path: '/tgi',
        paths: ['/generate', '/metrics'],
      },
    };
    expect(messages(tgi, {})).toEqual([
      'ingress.path: must be "/" for Text Generation Inference: the server answers at its own endpoint paths, which a route cannot move under "/tgi"; choose the endpoints with ingress.paths',
      'ingress.paths.1: "/metrics" is a management endpoint of Text Generation Inference, which a route exposes only when the platform policy allows it for catalog "ml-inference" (ingress.extraPaths in .workload-catalog/policy.yaml); allowed: /generate, /generate_stream, /v1/chat/completions, /v1/completions, /v1/models, /tokenize, /chat_tokenize, /info, /health (a path ending in "/" also allows the paths below it)',
    ]);
  });

  it('leaves a container its own paths', () => {
    const leaf = {
      workloadType: 'BASIC_CONTAINER_LOAD',
      serviceName: 'web',
      serviceCatalog: 'shop',
      namespace: 'shop',
      environment: 'dev',
      container: { image: 'ghcr.io/acme/web:1' },
      ingress: {
        enabled: true,
        host: 'web.shop.example.com',
        path: '/app',
        paths: ['/', '/api/pull'],
      },
    };
    expect(messages(leaf, {})).toEqual([]);
  });

  it('lets config only narrow the extra paths', () => {
    const base = { ingressExtraPaths: { 'ml-inference': ['/api/pull'] } };
    expect(
      narrowPolicy(base, {
        ingressExtraPaths: { 'ml-inference': ['/api/pull', '/api/delete'] },
      }),
    ).toEqual({
      policy: { ingressExtraPaths: { 'ml-inference': ['/api/pull'] } },
      problems: [
        'ingressExtraPaths.ml-inference lists "/api/delete", which the platform policy (.workload-catalog/policy.yaml) does not allow; config may only narrow the policy (allowed: /api/pull)',
      ],
    });
  });
});
