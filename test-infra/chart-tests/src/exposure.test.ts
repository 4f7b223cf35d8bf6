/*
 * What a route exposes (ingress.paths) and the authentication in front of it
 * (platform.ingress.auth), rendered with the real helm: the HTTPRoute's matches and the
 * Ingress's paths of each type, a leaf's narrower set, the wider set only with the platform's
 * platform.ingress.extraPaths, the refusals, and the auth objects (Envoy Gateway
 * SecurityPolicy, ingress-nginx annotations, the ExternalSecret of the API keys), validated
 * against their published schemas.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  parsePolicyFile,
  validateLeaf,
} from '@workload-catalog/plugin-workload-catalog-common';
import { template, type Manifest } from './helm';
import { manifestErrors } from './k8s/validate';
import { chartOf, repoRoot } from './paths';

jest.setTimeout(180_000);

const ollama = (ingress: Record<string, unknown> = {}) => ({
  workloadType: 'OLLAMA_INFERENCE_LOAD',
  serviceName: 'ollama-phi',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'dev',
  model: 'phi:latest',
  gpu: { count: 1 },
  ingress: { enabled: true, host: 'text.hypermedia.au', ...ingress },
  container: {
    replicas: 1,
    resources: {
      requests: { cpu: '500m', memory: '2Gi' },
      limits: { cpu: '2', memory: '4Gi' },
    },
  },
});

const tgi = (ingress: Record<string, unknown> = {}) => ({
  workloadType: 'ML_INFERENCE_LOAD',
  serviceName: 'tgi',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'dev',
  model: { id: 'HuggingFaceTB/SmolLM2-135M-Instruct' },
  ingress: { enabled: true, host: 'tgi.hypermedia.au', ...ingress },
});

const web = (ingress: Record<string, unknown> = {}) => ({
  workloadType: 'BASIC_CONTAINER_LOAD',
  serviceName: 'web',
  serviceCatalog: 'shop',
  namespace: 'shop',
  environment: 'dev',
  container: { image: 'ghcr.io/acme/web:1' },
  ingress: { enabled: true, host: 'web.shop.example.com', ...ingress },
});

async function render(
  leaf: Record<string, any>,
  platform?: Record<string, unknown>,
) {
  const result = await template(chartOf(leaf.workloadType), leaf, {
    setJson: platform ? { platform } : {},
  });
  if (result.code !== 0) throw new Error(result.stderr);
  return result.docs;
}

const find = (docs: Manifest[], kind: string) =>
  docs.filter(d => d.kind === kind);

/** The HTTPRoute's matches as "Exact /api/chat" lines. */
const routeMatches = (docs: Manifest[]) =>
  find(docs, 'HTTPRoute')[0].spec.rules.flatMap((r: any) =>
    r.matches.map((m: any) => `${m.path.type} ${m.path.value}`),
  );

const ingressPaths = (docs: Manifest[]) =>
  find(docs, 'Ingress')[0].spec.rules[0].http.paths.map(
    (p: any) => `${p.pathType} ${p.path}`,
  );

/** Problems of the rendered manifests; a SecurityPolicy is checked against Envoy Gateway's CRD (crds/). */
const problems = manifestErrors;

const OLLAMA_DEFAULT = [
  'Exact /api/generate',
  'Exact /api/chat',
  'Exact /api/embed',
  'Exact /api/embeddings',
  'Exact /api/tags',
  'Exact /api/show',
  'Exact /api/version',
  'PathPrefix /v1',
];

describe('the route exposes only the inference endpoints by default', () => {
  it('Ollama: its inference API and /v1 (OpenAI), never /api/pull, /api/create, /api/delete', async () => {
    const docs = await render(ollama());
    expect(routeMatches(docs)).toEqual(OLLAMA_DEFAULT);
    expect(routeMatches(docs).join()).not.toMatch(
      /pull|push|create|delete|copy|blobs|\/api\/ps|PathPrefix \/(,|$)/,
    );
    expect(await problems(docs)).toEqual([]);
  });

  it('TGI: generate, chat and completions, info and health, never /metrics', async () => {
    const docs = await render(tgi());
    expect(routeMatches(docs)).toEqual([
      'Exact /generate',
      'Exact /generate_stream',
      'Exact /v1/chat/completions',
      'Exact /v1/completions',
      'Exact /v1/models',
      'Exact /tokenize',
      'Exact /chat_tokenize',
      'Exact /info',
      'Exact /health',
    ]);
    expect(await problems(docs)).toEqual([]);
  });

  it('a container keeps its own prefix', async () => {
    expect(routeMatches(await render(web()))).toEqual(['PathPrefix /']);
    expect(routeMatches(await render(web({ path: '/app' })))).toEqual([
      'PathPrefix /app',
    ]);
  });

  it('the Ingress of mode ingress has the same paths (Exact and Prefix)', async () => {
    const docs = await render(ollama(), { ingress: { mode: 'ingress' } });
    expect(ingressPaths(docs)).toEqual(
      OLLAMA_DEFAULT.map(m => m.replace('PathPrefix', 'Prefix')),
    );
    expect(await problems(docs)).toEqual([]);
  });
});

describe('a leaf narrows the route; only the platform widens it', () => {
  it('renders the subset a leaf names', async () => {
    const docs = await render(
      ollama({ paths: ['/v1/chat/completions', '/api/tags'] }),
    );
    expect(routeMatches(docs)).toEqual([
      'Exact /v1/chat/completions',
      'Exact /api/tags',
    ]);
    const ing = await render(tgi({ paths: ['/v1/chat/completions'] }), {
      ingress: { mode: 'ingress' },
    });
    expect(ingressPaths(ing)).toEqual(['Exact /v1/chat/completions']);
    const app = await render(web({ paths: ['/api/', '/healthz'] }));
    expect(routeMatches(app)).toEqual(['PathPrefix /api', 'Exact /healthz']);
    expect(await problems([...docs, ...ing, ...app])).toEqual([]);
  });

  it('refuses a management endpoint, naming the item and what is allowed', async () => {
    const result = await template(
      chartOf('OLLAMA_INFERENCE_LOAD'),
      ollama({ paths: ['/api/pull'] }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'ingress.paths.0: "/api/pull" is not one of the endpoints a route of Ollama exposes (platform.ingress.extraPaths adds more); allowed: /api/generate, /api/chat, /api/embed, /api/embeddings, /api/tags, /api/show, /api/version, /v1/',
    );
    const metrics = await template(
      chartOf('ML_INFERENCE_LOAD'),
      tgi({ paths: ['/generate', '/metrics'] }),
    );
    expect(metrics.stderr).toContain('ingress.paths.1: "/metrics" is not one');
    const moved = await template(
      chartOf('ML_INFERENCE_LOAD'),
      tgi({ path: '/tgi' }),
    );
    expect(moved.stderr).toContain(
      'ingress.path: must be "/" for Text Generation Inference',
    );
  });

  it('routes a management endpoint the platform allows', async () => {
    const docs = await render(
      ollama({ paths: ['/api/pull', '/api/blobs/', '/v1/'] }),
      { ingress: { extraPaths: ['/api/pull', '/api/blobs/'] } },
    );
    expect(routeMatches(docs)).toEqual([
      'Exact /api/pull',
      'PathPrefix /api/blobs',
      'PathPrefix /v1',
    ]);
    // the platform's extra paths are a ceiling, not the default
    expect(
      routeMatches(
        await render(ollama(), { ingress: { extraPaths: ['/api/pull'] } }),
      ),
    ).toEqual(OLLAMA_DEFAULT);
  });
});

describe('platform.ingress.auth', () => {
  it('api-key (Gateway API): an Envoy Gateway SecurityPolicy on the route with the keys of an existing Secret', async () => {
    const docs = await render(tgi(), {
      ingress: {
        auth: { mode: 'api-key', apiKey: { secretName: 'tgi-keys' } },
      },
    });
    const [policy] = find(docs, 'SecurityPolicy');
    expect(policy.metadata).toMatchObject({
      name: 'tgi-auth',
      namespace: 'ml-workloads',
    });
    expect(policy.spec).toEqual({
      targetRefs: [
        { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'tgi' },
      ],
      apiKeyAuth: {
        credentialRefs: [{ group: '', kind: 'Secret', name: 'tgi-keys' }],
        extractFrom: [{ headers: ['x-api-key'] }],
        sanitize: true,
      },
    });
    expect(find(docs, 'ExternalSecret')).toEqual([]);
    expect(await problems(docs)).toEqual([]);
  });

  it('api-key from Vault: an ExternalSecret writes the keys Secret, never a key in values', async () => {
    const docs = await render(ollama(), {
      ingress: {
        auth: {
          mode: 'api-key',
          apiKey: {
            vaultKeyPrefix: 'inference/api-keys',
            header: 'authorization',
          },
        },
      },
    });
    const secret = find(docs, 'ExternalSecret').find(
      d => d.metadata.name === 'ollama-phi-api-keys',
    )!;
    expect(secret.spec.target.name).toBe('ollama-phi-api-keys');
    expect(secret.spec.dataFrom).toEqual([
      { extract: { key: 'inference/api-keys/ml-workloads/ollama-phi' } },
    ]);
    const [policy] = find(docs, 'SecurityPolicy');
    expect(policy.spec.apiKeyAuth.credentialRefs[0].name).toBe(
      'ollama-phi-api-keys',
    );
    expect(policy.spec.apiKeyAuth.extractFrom).toEqual([
      { headers: ['authorization'] },
    ]);
    expect(await problems(docs)).toEqual([]);
  });

  it("oauth2-proxy (Gateway API): extAuth to the platform's oauth2-proxy Service", async () => {
    const docs = await render(ollama(), {
      ingress: {
        auth: {
          mode: 'oauth2-proxy',
          oauth2Proxy: {
            service: { name: 'oauth2-proxy', namespace: 'auth', port: 80 },
          },
        },
      },
    });
    const [policy] = find(docs, 'SecurityPolicy');
    expect(policy.spec.extAuth).toEqual({
      http: {
        backendRefs: [
          {
            group: '',
            kind: 'Service',
            name: 'oauth2-proxy',
            namespace: 'auth',
            port: 80,
          },
        ],
        path: '/oauth2/auth',
        headersToBackend: ['x-auth-request-user', 'x-auth-request-email'],
      },
    });
    expect(await problems(docs)).toEqual([]);
  });

  it('oauth2-proxy (ingress-nginx): the auth-url and auth-signin annotations', async () => {
    const docs = await render(tgi(), {
      ingress: {
        mode: 'ingress',
        annotations: { 'example.com/team': 'ml' },
        auth: {
          mode: 'oauth2-proxy',
          oauth2Proxy: {
            authUrl: 'https://auth.example.com/oauth2/auth',
            signinUrl:
              'https://auth.example.com/oauth2/start?rd=$escaped_request_uri',
          },
        },
      },
    });
    expect(find(docs, 'Ingress')[0].metadata.annotations).toEqual({
      'example.com/team': 'ml',
      'nginx.ingress.kubernetes.io/auth-url':
        'https://auth.example.com/oauth2/auth',
      'nginx.ingress.kubernetes.io/auth-signin':
        'https://auth.example.com/oauth2/start?rd=$escaped_request_uri',
      'nginx.ingress.kubernetes.io/auth-response-headers':
        'x-auth-request-user,x-auth-request-email',
    });
    expect(find(docs, 'SecurityPolicy')).toEqual([]);
    expect(await problems(docs)).toEqual([]);
  });

  it('applies to the workload types the platform lists (the inference types by default)', async () => {
    const auth = { mode: 'api-key', apiKey: { secretName: 'keys' } };
    expect(
      find(await render(web(), { ingress: { auth } }), 'SecurityPolicy'),
    ).toEqual([]);
    expect(
      find(
        await render(web(), {
          ingress: {
            auth: { ...auth, workloadTypes: ['BASIC_CONTAINER_LOAD'] },
          },
        }),
        'SecurityPolicy',
      ),
    ).toHaveLength(1);
    expect(find(await render(tgi()), 'SecurityPolicy')).toEqual([]);
  });

  it('refuses what it cannot do, naming the platform value', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        {
          mode: 'ingress',
          auth: { mode: 'api-key', apiKey: { secretName: 'k' } },
        },
        'platform.ingress.auth.mode: api-key needs platform.ingress.mode gateway',
      ],
      [
        { mode: 'ingress', auth: { mode: 'oauth2-proxy' } },
        'platform.ingress.auth.oauth2Proxy.authUrl: is required',
      ],
      [
        { auth: { mode: 'oauth2-proxy' } },
        'platform.ingress.auth.oauth2Proxy.service: is required',
      ],
      [
        { auth: { mode: 'api-key' } },
        'platform.ingress.auth.apiKey: set secretName',
      ],
    ];
    for (const [ingress, message] of cases) {
      const result = await template(chartOf('ML_INFERENCE_LOAD'), tgi(), {
        setJson: { platform: { ingress } },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
    }
  });
});

describe("the ApplicationSet's platform values", () => {
  const platform = parse(
    fs.readFileSync(
      path.join(repoRoot, 'deploy/argocd/applicationset.yaml'),
      'utf8',
    ),
  ).spec.template.spec.sources[0].helm.valuesObject.platform;

  it('allow every path the example policy adds, and a leaf the policy allows renders', async () => {
    const { policy } = parsePolicyFile(
      fs.readFileSync(
        path.join(
          repoRoot,
          'examples/catalog-repo/.workload-catalog/policy.yaml',
        ),
        'utf8',
      ),
    );
    const extra = Object.values(policy!.ingressExtraPaths ?? {}).flat();
    expect(extra.length).toBeGreaterThan(0);
    for (const p of extra) expect(platform.ingress.extraPaths).toContain(p);
    const leaf = ollama({ paths: ['/v1/', '/api/ps'] });
    expect(validateLeaf(leaf, policy).issues).toEqual([]);
    expect(routeMatches(await render(leaf, platform))).toEqual([
      'PathPrefix /v1',
      'Exact /api/ps',
    ]);
    // /api/pull stays refused by both
    const pull = ollama({ paths: ['/api/pull'] });
    expect(validateLeaf(pull, policy).issues.map(i => i.path)).toEqual([
      ['ingress', 'paths', 0],
    ]);
    const result = await template(chartOf('OLLAMA_INFERENCE_LOAD'), pull, {
      setJson: { platform },
    });
    expect(result.code).toBe(1);
  });

  it('turn on API keys from Vault with one word (auth.mode)', async () => {
    expect(platform.ingress.auth.mode).toBe('none');
    expect(find(await render(ollama(), platform), 'SecurityPolicy')).toEqual(
      [],
    );
    const on = {
      ...platform,
      ingress: {
        ...platform.ingress,
        auth: { ...platform.ingress.auth, mode: 'api-key' },
      },
    };
    const docs = await render(ollama(), on);
    expect(find(docs, 'SecurityPolicy')).toHaveLength(1);
    expect(
      find(docs, 'ExternalSecret').map(d => d.spec.dataFrom?.[0]?.extract?.key),
    ).toContain('inference-api-keys/ml-workloads/ollama-phi');
    expect(await problems(docs)).toEqual([]);
  });
});

describe('the SecurityPolicy schema check', () => {
  it('refuses what Envoy Gateway refuses (a check that can fail)', async () => {
    const bad = {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'SecurityPolicy',
      metadata: { name: 'x', namespace: 'y' },
      spec: { apiKeyAuth: { extractFrom: [{ headers: ['x-api-key'] }] } },
    };
    expect(await problems([bad])).toEqual([
      "SecurityPolicy/x (gateway.envoyproxy.io/v1alpha1): /spec/apiKeyAuth must have required property 'credentialRefs'",
    ]);
    const typo = {
      ...bad,
      spec: {
        apiKeyAuth: {
          credentialRefs: [{ name: 'k' }],
          extractFrom: [{ header: ['x-api-key'] }],
        },
      },
    };
    expect(await problems([typo])).toEqual([
      'SecurityPolicy/x (gateway.envoyproxy.io/v1alpha1): /spec/apiKeyAuth/extractFrom/0 must NOT have additional properties ("header")',
    ]);
  });
});
