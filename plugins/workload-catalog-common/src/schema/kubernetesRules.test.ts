/*
 * The rules every workload type shares (issue 12, point 5): one set of environment rules for
 * container.environment (both forms) and container.secrets, no credentials in plain
 * variables, serviceName limits from the kinds each chart renders, sizes above 0, and
 * Gateway API's path rules for ingress.path. Each message names the field and what is allowed.
 */
import { parse } from 'yaml';
import { validateLeaf, formatPath } from '../validation/validate';
import {
  GPU_DEVICE_ENVIRONMENT,
  SERVICE_NAME_LIMITS,
  WORKLOAD_TYPES,
  isCredentialName,
  urlHasPassword,
  type WorkloadType,
} from './base';
import { ROUTE_PATH_PATTERN } from './fields';
import { CHART_ENVIRONMENT } from './leaf';
import { POSITIVE_QUANTITY_PATTERN } from './quantity';
import { SEED_LEAF_YAML as SEED } from '../testUtils/seed';

type Leaf = Record<string, any>;

const MINIMAL: Record<WorkloadType, Leaf> = {
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

function leafOf(type: WorkloadType, change: (leaf: Leaf) => void): Leaf {
  const leaf = structuredClone(MINIMAL[type]);
  leaf.container ??= {};
  change(leaf);
  return leaf;
}

/** The issues of a leaf as "path: message" lines. */
function problems(leaf: Leaf): string[] {
  return validateLeaf(leaf).issues.map(
    i => `${formatPath(i.path)}: ${i.message}`,
  );
}

const secretRef = (name: string) => ({
  name,
  secretKeyRef: { name: 'app-secrets', key: 'value' },
});

const GPU_MESSAGE =
  'remove it: the device plugin gives a pod its GPUs from the resource request (gpu.count in the inference types)';

describe('environment rules: the same for every workload type and both lists', () => {
  it.each(WORKLOAD_TYPES)('%s: the minimal leaf is valid', type => {
    expect(problems(MINIMAL[type])).toEqual([]);
  });

  describe.each(WORKLOAD_TYPES)('%s', type => {
    it('refuses NVIDIA_VISIBLE_DEVICES=all in the mapping, saying why', () => {
      expect(
        problems(
          leafOf(type, l => {
            l.container.environment = { NVIDIA_VISIBLE_DEVICES: 'all' };
          }),
        ),
      ).toEqual([
        `container.environment.NVIDIA_VISIBLE_DEVICES: is a GPU device variable (the NVIDIA device plugin sets it to the GPUs given to the pod; "all" would expose every GPU of the node); ${GPU_MESSAGE}`,
      ]);
    });

    it('refuses a GPU device variable in the list form at its item', () => {
      expect(
        problems(
          leafOf(type, l => {
            l.container.environment = [
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'CUDA_VISIBLE_DEVICES', value: '0,1' },
            ];
          }),
        ),
      ).toEqual([
        `container.environment[1].name: is a GPU device variable (it hides or renumbers the GPUs the NVIDIA device plugin gave the pod); ${GPU_MESSAGE}`,
      ]);
    });

    it('refuses a GPU device variable as a secret name', () => {
      expect(
        problems(
          leafOf(type, l => {
            l.container.secrets = [
              secretRef('API_TOKEN'),
              secretRef('HIP_VISIBLE_DEVICES'),
            ];
          }),
        ),
      ).toEqual([
        `container.secrets[1].name: is a GPU device variable (it hides or renumbers the GPUs the AMD device plugin gave the pod); ${GPU_MESSAGE}`,
      ]);
    });

    it('refuses every GPU device variable', () => {
      for (const name of Object.keys(GPU_DEVICE_ENVIRONMENT)) {
        const found = problems(
          leafOf(type, l => {
            l.container.environment = { [name]: '0' };
          }),
        );
        expect(found).toEqual([
          expect.stringMatching(
            new RegExp(
              `^container\\.environment\\.${name}: is a GPU device variable`,
            ),
          ),
        ]);
      }
    });

    it('refuses every variable its chart sets, in both lists', () => {
      for (const [name, why] of Object.entries(CHART_ENVIRONMENT[type])) {
        if (name in GPU_DEVICE_ENVIRONMENT) continue;
        expect(
          problems(
            leafOf(type, l => {
              l.container.environment = [{ name, value: 'x' }];
            }),
          ),
        ).toContainEqual(
          `container.environment[0].name: is set by the chart (${why}); remove it`,
        );
        expect(
          problems(
            leafOf(type, l => {
              l.container.secrets = [secretRef(name)];
            }),
          ),
        ).toEqual([
          `container.secrets[0].name: is set by the chart (${why}); remove it`,
        ]);
      }
    });

    it("refuses the charts' reserved prefix WC_ in both lists", () => {
      const message =
        'is reserved: names starting with "WC_" are the Workload Catalog charts\' own variables; choose another name';
      expect(
        problems(
          leafOf(type, l => {
            l.container.environment = { WC_OLLAMA_MIRROR: 'x' };
            l.container.secrets = [secretRef('WC_ANYTHING')];
          }),
        ),
      ).toEqual([
        `container.environment.WC_OLLAMA_MIRROR: ${message}`,
        `container.secrets[0].name: ${message}`,
      ]);
    });

    it('refuses a name that is both a plain variable (list form) and a secret', () => {
      expect(
        problems(
          leafOf(type, l => {
            l.container.environment = [{ name: 'LOG_LEVEL', value: 'info' }];
            l.container.secrets = [secretRef('LOG_LEVEL')];
          }),
        ),
      ).toEqual([
        'container.secrets[0].name: "LOG_LEVEL" is also set in container.environment; keep one',
      ]);
    });

    it('refuses a secret name that is not an environment variable name', () => {
      expect(
        problems(
          leafOf(type, l => {
            l.container.secrets = [secretRef('api-token')];
          }),
        ),
      ).toEqual([
        'container.secrets[0].name: must be an environment variable name (letters, digits and "_", not starting with a digit), e.g. "OLLAMA_KEEP_ALIVE"; got "api-token"',
      ]);
    });
  });

  it('sets the Ollama chart variables apart (the init container sets WC_OLLAMA_CONFIG)', () => {
    expect(Object.keys(CHART_ENVIRONMENT.OLLAMA_INFERENCE_LOAD)).toEqual(
      expect.arrayContaining([
        'OLLAMA_HOST',
        'OLLAMA_MODELS',
        'HOME',
        'WC_OLLAMA_CONFIG',
        'WC_OLLAMA_REFRESH',
        'WC_OLLAMA_START_SECONDS',
      ]),
    );
    expect(
      problems(
        leafOf('OLLAMA_INFERENCE_LOAD', l => {
          l.container.secrets = [secretRef('WC_OLLAMA_CONFIG')];
        }),
      ),
    ).toEqual([
      'container.secrets[0].name: is set by the chart (the chart points the model preparation at its configuration (/opt/workload-catalog)); remove it',
    ]);
  });
});

describe('credentials in plain variables', () => {
  const ADVICE =
    'plaintext secrets are not allowed in a leaf; add it to container.secrets as a reference (secretKeyRef or vault)';

  it.each([
    'PGPASSWORD',
    'MYSQL_PWD',
    'MYSQL_ROOT_PASSWORD',
    'REDIS_PASSWORD',
    'GITHUB_TOKEN',
    'HF_TOKEN',
    'HUGGING_FACE_HUB_TOKEN',
    'CLIENT_SECRET',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'OPENAI_API_KEY',
    'STRIPE_APIKEY',
    'JWT_PRIVATE_KEY',
    'APITOKEN',
  ])('%s is a credential name', name => {
    expect(isCredentialName(name)).toBe(true);
    for (const type of WORKLOAD_TYPES) {
      expect(
        problems(
          leafOf(type, l => {
            l.container.environment = [{ name, value: 'hunter2' }];
          }),
        ),
      ).toEqual([
        `container.environment[0].name: its name says it holds a secret: ${ADVICE}`,
      ]);
    }
  });

  it.each([
    'LOG_LEVEL',
    'MAX_TOKENS',
    'MAX_NEW_TOKENS',
    'TOKENIZERS_PARALLELISM',
    'PASSWORD_MIN_LENGTH_HINT_URL',
    'KEYCLOAK_REALM',
  ])('%s is not a credential name', name => {
    // PASSWORD_MIN_LENGTH_HINT_URL has the PASSWORD segment: refused on purpose
    expect(isCredentialName(name)).toBe(name.startsWith('PASSWORD'));
  });

  it.each([
    ['postgres://app:hunter2@db.shop.svc/orders', true],
    ['mysql://root:pw@db:3306/app', true],
    ['redis://:s3cret@cache:6379/0', true],
    ['amqp://guest:guest@rabbit/', true],
    ['https://user:token@git.example.com/org/repo.git', true],
    ['postgres://app@db/orders', false],
    ['postgres://app:@db/orders', false],
    ['https://example.com/a:b@c', false],
    ['https://example.com:8443/path', false],
    ['http://a.example.com/?next=x:y@z', false],
    ['not a url: user:pass@host', false],
  ])('%s has a password: %s', (value, expected) => {
    expect(urlHasPassword(value)).toBe(expected);
  });

  it.each(WORKLOAD_TYPES)(
    '%s: a DATABASE_URL with a password is refused at its value, in both forms',
    type => {
      const url = 'postgres://app:hunter2@db.shop.svc/orders';
      expect(
        problems(
          leafOf(type, l => {
            l.container.environment = { DATABASE_URL: url };
          }),
        ),
      ).toEqual([
        `container.environment.DATABASE_URL: its value is a URL with a password in it (user:password@): ${ADVICE}`,
      ]);
      expect(
        problems(
          leafOf(type, l => {
            l.container.environment = [{ name: 'DATABASE_URL', value: url }];
          }),
        ),
      ).toEqual([
        `container.environment[0].value: its value is a URL with a password in it (user:password@): ${ADVICE}`,
      ]);
    },
  );

  it('accepts a URL without a password and a secret reference of the same name', () => {
    expect(
      problems(
        leafOf('BASIC_CONTAINER_LOAD', l => {
          l.container.environment = {
            UPSTREAM_URL: 'https://api.example.com:8443/v1',
          };
          l.container.secrets = [secretRef('DATABASE_URL')];
        }),
      ),
    ).toEqual([]);
  });

  it('checks a huge value in linear time', () => {
    const value = `x://${'a:'.repeat(200_000)}`;
    const start = Date.now();
    expect(urlHasPassword(value)).toBe(false);
    expect(urlHasPassword(`${value}@h`)).toBe(true);
    expect(Date.now() - start).toBeLessThan(500);
  });
});

describe('serviceName limits from the kinds each chart renders', () => {
  const name = (length: number) =>
    `s${'a'.repeat(length - 2)}z`.slice(0, length);

  it('are 52 where the chart renders a StatefulSet, 53 (the Helm release) elsewhere', () => {
    expect(
      Object.fromEntries(
        WORKLOAD_TYPES.map(t => [t, SERVICE_NAME_LIMITS[t].max]),
      ),
    ).toEqual({
      BASIC_CONTAINER_LOAD: 53,
      BASIC_CONTAINER_ROLLOUT: 53,
      STATEFUL_CONTAINER_LOAD: 52,
      ML_INFERENCE_LOAD: 52,
      OLLAMA_INFERENCE_LOAD: 52,
    });
  });

  it.each(WORKLOAD_TYPES)(
    '%s: a name at the limit is valid, one longer is refused with the reason',
    type => {
      const { max } = SERVICE_NAME_LIMITS[type];
      expect(problems(leafOf(type, l => (l.serviceName = name(max))))).toEqual(
        [],
      );
      const [problem] = problems(
        leafOf(type, l => (l.serviceName = name(max + 1))),
      );
      expect(problem).toBe(
        `serviceName: must be at most ${max} characters (service name): ${SERVICE_NAME_LIMITS[type].reason}; got ${max + 1}`,
      );
      expect(problem).toContain(
        max === 52
          ? "a StatefulSet is named after it, and its pods' controller-revision-hash label (<name>-<10-character hash>) may have at most 63 characters"
          : 'the Helm release is named after it, and Helm allows 53 characters',
      );
    },
  );
});

describe('sizes, CPU and memory are above 0', () => {
  const ZEROS = ['0', '0Gi', '0.0', '0m', '.0', '0e3', 0];

  it.each(ZEROS)('%p is refused as a CPU or memory request and limit', zero => {
    for (const side of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        const found = problems(
          leafOf('BASIC_CONTAINER_LOAD', l => {
            l.container.resources = { [side]: { [resource]: zero } };
          }),
        );
        expect(found).toEqual([
          `container.resources.${side}.${resource}: must be more than 0, e.g. "${resource === 'cpu' ? '500m' : '2Gi'}"; got ${typeof zero === 'string' ? `"${zero}"` : zero}`,
        ]);
      }
    }
  });

  it.each([
    ['STATEFUL_CONTAINER_LOAD', 'storage.size', '10Gi'],
    ['ML_INFERENCE_LOAD', 'modelStorage.size', '50Gi'],
    ['OLLAMA_INFERENCE_LOAD', 'modelStorage.size', '50Gi'],
    ['ML_INFERENCE_LOAD', 'sharedMemory', '1Gi'],
  ] as const)('%s: %s of 0Gi is refused', (type, field, example) => {
    const found = problems(
      leafOf(type, l => {
        const [first, second] = field.split('.');
        if (second) l[first] = { ...l[first], [second]: '0Gi' };
        else l[first] = '0Gi';
      }),
    );
    expect(found).toEqual([
      `${field}: must be more than 0, e.g. "${example}"; got "0Gi"`,
    ]);
  });

  it('keeps the quantity message for what is not a quantity', () => {
    expect(
      problems(
        leafOf('BASIC_CONTAINER_LOAD', l => {
          l.container.resources = { limits: { memory: '-1Gi' } };
        }),
      ),
    ).toEqual([
      expect.stringContaining(
        'container.resources.limits.memory: must be a Kubernetes quantity such as "2Gi"',
      ),
    ]);
  });

  it.each(['1', '0.5', '.5', '00.05', '5.', '100m', '1e3', '0.1Gi', '2Gi'])(
    '%s is above 0',
    value => {
      expect(new RegExp(POSITIVE_QUANTITY_PATTERN).test(value)).toBe(true);
      expect(
        problems(
          leafOf('BASIC_CONTAINER_LOAD', l => {
            l.container.resources = {
              requests: value.endsWith('i')
                ? { memory: value }
                : { cpu: value },
            };
          }),
        ),
      ).toEqual([]);
    },
  );
});

describe('ingress.path follows Gateway API HTTPRoute path rules', () => {
  const TAIL = 'a route path is "/" or "/segment/...", e.g. "/api/v1"';

  it.each([
    ['api', 'must start with "/"'],
    [
      '/api//v1',
      'must not contain "//" (an empty segment; Gateway API refuses it)',
    ],
    [
      '/api/../admin',
      'must not contain "." or ".." segments (Gateway API refuses them)',
    ],
    [
      '/api/..',
      'must not contain "." or ".." segments (Gateway API refuses them)',
    ],
    [
      '/./api',
      'must not contain "." or ".." segments (Gateway API refuses them)',
    ],
    [
      '/api/.',
      'must not contain "." or ".." segments (Gateway API refuses them)',
    ],
    [
      '/api%2Fadmin',
      'must not contain percent-escapes such as "%2F" or "%2e": write the character itself',
    ],
    [
      '/%2e%2e/admin',
      'must not contain percent-escapes such as "%2F" or "%2e": write the character itself',
    ],
    ['/api?x=1', 'must be a path only, without a "?" query or a "#" fragment'],
    ['/api#top', 'must be a path only, without a "?" query or a "#" fragment'],
    [
      '/api v1',
      'may contain only letters, digits, "/" and - . _ ~ ! $ & ( ) * + , ; = : @',
    ],
    [
      '/caf\u00e9',
      'may contain only letters, digits, "/" and - . _ ~ ! $ & ( ) * + , ; = : @',
    ],
  ])('%s is refused: %s', (value, reason) => {
    for (const type of WORKLOAD_TYPES) {
      const found = problems(
        leafOf(type, l => {
          l.ingress = { enabled: true, host: 'a.example.com', path: value };
        }),
      );
      expect(found).toEqual([
        `ingress.path: ${reason}${reason.endsWith('itself') ? ' (Gateway API refuses "%2F", and gateways and backends decode the others differently)' : ''}: ${TAIL}; got ${JSON.stringify(value)}`,
      ]);
    }
  });

  it.each([
    '/',
    '/api',
    '/api/',
    '/api/v1',
    '/.well-known/x',
    '/..x',
    '/a.b/c~d',
    '/v1:predict',
    '/@me',
  ])('%s is accepted', value => {
    expect(new RegExp(ROUTE_PATH_PATTERN).test(value)).toBe(true);
    expect(
      problems(
        leafOf('BASIC_CONTAINER_LOAD', l => {
          l.ingress = { enabled: true, host: 'a.example.com', path: value };
        }),
      ),
    ).toEqual([]);
  });

  it('refuses a path over the 1024 characters of Gateway API', () => {
    expect(
      problems(
        leafOf('BASIC_CONTAINER_LOAD', l => {
          l.ingress = {
            enabled: true,
            host: 'a.example.com',
            path: `/${'a'.repeat(1024)}`,
          };
        }),
      ),
    ).toEqual(['ingress.path: must be at most 1024 characters (Gateway API)']);
  });
});
