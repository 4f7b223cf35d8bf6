/*
 * Invalid leaves for the parity test, made by mutating valid ones: one mutation each, of
 * every kind a leaf author (or a buggy form) produces. Deterministic for a given seed.
 */
import fc from 'fast-check';

export type Leaf = Record<string, any>;
export interface Mutant {
  kind: string;
  leaf: Leaf;
}

type Path = (string | number)[];

function paths(
  value: unknown,
  prefix: Path = [],
): { path: Path; value: unknown }[] {
  const out: { path: Path; value: unknown }[] = [];
  if (prefix.length) out.push({ path: prefix, value });
  if (Array.isArray(value))
    value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function setAt(leaf: Leaf, path: Path, value: unknown): void {
  let node: any = leaf;
  for (const seg of path.slice(0, -1)) node = node[seg];
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
}

function otherType(value: unknown): unknown {
  if (typeof value === 'string') return 42;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return 'maybe';
  if (Array.isArray(value)) return { item: value[0] ?? 'x' };
  return 'a string';
}

/** Adds a variable to container.environment in the form the leaf uses (mapping or list). */
function addVariable(l: Leaf, name: string, value: unknown): Leaf {
  // container is optional in an Ollama leaf (its defaults apply)
  l.container ??= {};
  const env = l.container.environment;
  l.container.environment = Array.isArray(env)
    ? [...env, { name, value }]
    : { ...env, [name]: value };
  return l;
}

const BAD_STRINGS = [
  '',
  'Not A Label!',
  'a'.repeat(600),
  'UPPER_case',
  'has space',
  '../etc',
  'https://x.example.com/p',
];
const BAD_NUMBERS = [-5, 1.5, 1e7, 0.0001];

/** Mutations that need a given shape of leaf; each returns undefined when it does not apply. */
const TARGETED: Record<string, (leaf: Leaf, pick: number) => Leaf | undefined> =
  {
    'resources and preset': l => {
      if (!l.container) return undefined;
      l.container.resources = { requests: { cpu: '1' } };
      l.container.resourcePreset = 'small';
      return l;
    },
    'limit below request': (l, pick) => {
      if (!l.container) return undefined;
      l.container.resourcePreset = undefined;
      delete l.container.resourcePreset;
      l.container.resources =
        pick % 2
          ? { requests: { cpu: '2' }, limits: { cpu: '1500m' } }
          : { requests: { memory: '4Gi' }, limits: { memory: 2048 } };
      return l;
    },
    'memory in millibytes': l => {
      if (!l.container) return undefined;
      delete l.container.resourcePreset;
      l.container.resources = { requests: { memory: '512m' } };
      return l;
    },
    'cpu in bytes': l => {
      if (!l.container) return undefined;
      delete l.container.resourcePreset;
      l.container.resources = { limits: { cpu: '2Gi' } };
      return l;
    },
    'secret with two sources': l => {
      if (!l.container) return undefined;
      l.container.secrets = [
        {
          name: 'API_CREDS',
          secretKeyRef: { name: 's', key: 'k' },
          vault: { path: 'secret/x', key: 'k' },
        },
      ];
      return l;
    },
    'secret with no source': l => {
      if (!l.container) return undefined;
      l.container.secrets = [{ name: 'API_CREDS' }];
      return l;
    },
    'secret twice': l => {
      if (!l.container) return undefined;
      const ref = {
        name: 'DB_PASS_REF',
        secretKeyRef: { name: 's', key: 'k' },
      };
      l.container.secrets = [ref, { ...ref }];
      return l;
    },
    'secret also in environment': l => {
      if (!l.container) return undefined;
      l.container.secrets = [
        { name: 'LOG_SINK', secretKeyRef: { name: 's', key: 'k' } },
      ];
      return addVariable(l, 'LOG_SINK', 'stdout');
    },
    'plaintext secret by name': (l, pick) => {
      if (!l.container) return undefined;
      const name = ['DB_PASSWORD', 'API_TOKEN', 'MY_API_KEY', 'private_key'][
        pick % 4
      ];
      return addVariable(l, name, 'hunter2');
    },
    'plaintext secret by value': l => {
      if (!l.container) return undefined;
      return addVariable(l, 'HF_HOME_X', `hf_${'a'.repeat(34)}`);
    },
    'variable listed twice (list form)': (l, pick) => {
      if (!l.container) return undefined;
      const name = ['LOG_LEVEL', 'WORKERS'][pick % 2];
      l.container.environment = [
        { name, value: 'a' },
        { name: 'OTHER_SETTING', value: 1 },
        { name, value: 'b' },
      ];
      return l;
    },
    'variable without a value (list form)': l => {
      if (!l.container) return undefined;
      l.container.environment = [{ name: 'LOG_LEVEL' }];
      return l;
    },
    'secret named like a chart-managed Ollama variable': l => {
      if (l.workloadType !== 'OLLAMA_INFERENCE_LOAD') return undefined;
      l.container ??= {};
      l.container.secrets = [
        { name: 'OLLAMA_MODELS', secretKeyRef: { name: 's', key: 'k' } },
      ];
      return l;
    },
    'ingress without host': l => {
      l.ingress = { enabled: true };
      return l;
    },
    'too many GPUs for the platform': (l, pick) => {
      if (!l.gpu) return undefined;
      l.gpu.count = 9 + (pick % 8);
      return l;
    },
    'unknown Ollama setting': l => {
      if (l.workloadType !== 'OLLAMA_INFERENCE_LOAD') return undefined;
      return addVariable(l, 'OLLAMA_KEEPALIVE', '5m');
    },
    'bad Ollama setting value': (l, pick) => {
      if (l.workloadType !== 'OLLAMA_INFERENCE_LOAD') return undefined;
      const [k, v] = (
        [
          ['OLLAMA_NUM_PARALLEL', 0],
          ['OLLAMA_KEEP_ALIVE', 'forever'],
          ['OLLAMA_FLASH_ATTENTION', 'yes'],
          ['OLLAMA_KV_CACHE_TYPE', 'q2'],
        ] as const
      )[pick % 4];
      return addVariable(l, k, v);
    },
    'chart-managed Ollama setting': l => {
      if (l.workloadType !== 'OLLAMA_INFERENCE_LOAD') return undefined;
      return addVariable(l, 'OLLAMA_HOST', '0.0.0.0:8080');
    },
    'model declared twice': l => {
      if (l.workloadType !== 'OLLAMA_INFERENCE_LOAD') return undefined;
      const base = String(l.model).split('@')[0];
      l.additionalModels = [
        ...(l.additionalModels ?? []),
        base.includes(':') ? base.toUpperCase() : `${base}:latest`,
      ];
      return l;
    },
    'custom model with a registry name': l => {
      if (l.workloadType !== 'OLLAMA_INFERENCE_LOAD') return undefined;
      l.customModels = [
        { name: 'registry.example.com/team/bot:v1', from: l.model },
      ];
      return l;
    },
    'custom model named like a pulled one': l => {
      if (l.workloadType !== 'OLLAMA_INFERENCE_LOAD') return undefined;
      l.customModels = [{ name: String(l.model).split('@')[0], from: l.model }];
      return l;
    },
    'model kept out of memory that the leaf does not declare': l => {
      if (l.workloadType !== 'OLLAMA_INFERENCE_LOAD') return undefined;
      l.modelLoading = { notLoaded: ['not-declared-here:v0'] };
      return l;
    },
    'load keep-alive that is not a duration': (l, pick) => {
      if (l.workloadType !== 'OLLAMA_INFERENCE_LOAD') return undefined;
      l.modelLoading = { keepAlive: ['forever', '5 min', '1d'][pick % 3] };
      return l;
    },
    'insecure registry no model comes from': l => {
      if (l.workloadType !== 'OLLAMA_INFERENCE_LOAD') return undefined;
      l.modelPull = { insecureRegistries: ['unused.registry.internal:5000'] };
      return l;
    },
    'storage size and claim': l => {
      if (
        !('modelStorage' in l) &&
        l.workloadType !== 'ML_INFERENCE_LOAD' &&
        l.workloadType !== 'OLLAMA_INFERENCE_LOAD'
      )
        return undefined;
      l.modelStorage = { size: '10Gi', existingClaim: 'cache' };
      return l;
    },
    'storage with neither size nor claim': l => {
      if (
        l.workloadType !== 'ML_INFERENCE_LOAD' &&
        l.workloadType !== 'OLLAMA_INFERENCE_LOAD'
      )
        return undefined;
      l.modelStorage = { accessMode: 'ReadWriteMany' };
      return l;
    },
    'canary weights going down': l => {
      if (l.workloadType !== 'BASIC_CONTAINER_ROLLOUT') return undefined;
      l.rollout = {
        canary: {
          steps: [{ setWeight: 50 }, { pause: {} }, { setWeight: 20 }],
        },
      };
      return l;
    },
    'step with weight and pause': l => {
      if (l.workloadType !== 'BASIC_CONTAINER_ROLLOUT') return undefined;
      l.rollout = { canary: { steps: [{ setWeight: 50, pause: {} }] } };
      return l;
    },
    'canary and blue-green': l => {
      if (l.workloadType !== 'BASIC_CONTAINER_ROLLOUT') return undefined;
      l.rollout = { canary: {}, blueGreen: {} };
      return l;
    },
    'a platform key in the leaf': l => {
      l.platform = { labels: { team: 'platform' } };
      return l;
    },
    'wrong workload type': l => {
      l.workloadType = 'BASIC_CONTAINER_LOADS';
      return l;
    },
  };

/** A mutant of a valid leaf: a generic mutation at a random place, or a targeted one. */
export function mutantArbitrary(
  valid: fc.Arbitrary<Leaf>,
): fc.Arbitrary<Mutant> {
  const kinds = [
    'drop',
    'wrong type',
    'unknown key',
    'bad string',
    'bad number',
    'null',
    'targeted',
    'targeted',
  ];
  return fc
    .tuple(
      valid,
      fc.constantFrom(...kinds),
      fc.nat(),
      fc.nat(),
      fc.constantFrom(...Object.keys(TARGETED)),
    )
    .map(([input, kind, a, b, targeted]): Mutant => {
      const leaf: Leaf = structuredClone(input);
      const all = paths(leaf);
      const pickPath = (filter: (v: unknown) => boolean) => {
        const hits = all.filter(p => filter(p.value));
        return hits.length ? hits[a % hits.length] : undefined;
      };
      switch (kind) {
        case 'drop': {
          const p = pickPath(() => true)!;
          setAt(leaf, p.path, undefined);
          return { kind: `drop ${p.path.join('.')}`, leaf };
        }
        case 'wrong type': {
          const p = pickPath(() => true)!;
          setAt(leaf, p.path, otherType(p.value));
          return { kind: `wrong type at ${p.path.join('.')}`, leaf };
        }
        case 'unknown key': {
          const objects = [
            { path: [] as Path, value: leaf },
            ...all.filter(
              p =>
                p.value &&
                typeof p.value === 'object' &&
                !Array.isArray(p.value),
            ),
          ];
          const p = objects[a % objects.length];
          setAt(leaf, [...p.path, b % 2 ? 'extraField' : 'Replicas'], 1);
          return {
            kind: `unknown key in ${p.path.join('.') || '(root)'}`,
            leaf,
          };
        }
        case 'bad string': {
          const p = pickPath(v => typeof v === 'string');
          if (!p) return { kind: 'no strings', leaf };
          setAt(leaf, p.path, BAD_STRINGS[b % BAD_STRINGS.length]);
          return { kind: `bad string at ${p.path.join('.')}`, leaf };
        }
        case 'bad number': {
          const p = pickPath(v => typeof v === 'number');
          if (!p) return { kind: 'no numbers', leaf };
          setAt(leaf, p.path, BAD_NUMBERS[b % BAD_NUMBERS.length]);
          return { kind: `bad number at ${p.path.join('.')}`, leaf };
        }
        case 'null': {
          const p = pickPath(() => true)!;
          setAt(leaf, p.path, null);
          return { kind: `null at ${p.path.join('.')}`, leaf };
        }
        default: {
          const mutated = TARGETED[targeted](leaf, b);
          return mutated
            ? { kind: targeted, leaf: mutated }
            : { kind: `n/a ${targeted}`, leaf };
        }
      }
    });
}
