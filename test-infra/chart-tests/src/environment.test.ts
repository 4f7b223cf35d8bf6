/*
 * container.environment in both forms: a mapping (NAME: value) or a list of {name, value}.
 * The values file is the leaf, so Helm sees the list when the leaf has it: the schema
 * (values.schema.json, generated from zod) accepts both, every chart renders both the same,
 * and the chart's render-time checks report a list's mistakes at its items.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseLeafFile } from '@workload-catalog/plugin-workload-catalog-common';
import { parse } from 'yaml';
import { template } from './helm';
import { container, envOf, workload } from './manifests';
import { chartOf, examplesDir, seedLeafPath } from './paths';

// helm runs real processes; on a busy 2-core machine a test may take a while
jest.setTimeout(180_000);

type Leaf = Record<string, any>;

const example = (rel: string): Leaf =>
  parse(fs.readFileSync(path.join(examplesDir, 'valid', rel), 'utf8'));

/** One example of every type, with a few plain variables (the Ollama one: runtime settings). */
const LEAVES: [string, Leaf, Record<string, unknown>][] = [
  ['shop/dev/orders-api.yaml', example('shop/dev/orders-api.yaml'), {}],
  ['shop/prod/orders-db.yaml', example('shop/prod/orders-db.yaml'), {}],
  ['shop/prod/storefront.yaml', example('shop/prod/storefront.yaml'), {}],
  [
    'ml-inference/prod/mistral-tgi.yaml',
    example('ml-inference/prod/mistral-tgi.yaml'),
    {},
  ],
  [
    'ml-inference/dev/ollama-phi.yaml',
    example('ml-inference/dev/ollama-phi.yaml'),
    { OLLAMA_KEEP_ALIVE: '24h', OLLAMA_FLASH_ATTENTION: true },
  ],
];

const EXTRA = { ZETA_MODE: 'fast', ALPHA_WORKERS: 3, MIDDLE_FLAG: false };

function withEnvironment(leaf: Leaf, env: unknown): Leaf {
  const out = structuredClone(leaf);
  out.container = { ...out.container, environment: env };
  return out;
}

/** A leaf written to a YAML file as a person writes it (Helm reads the file's list itself). */
function yamlFile(text: string): string {
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'wc-env-')),
    'leaf.yaml',
  );
  fs.writeFileSync(file, text);
  return file;
}

async function helmError(leaf: Leaf | string): Promise<string> {
  const type =
    typeof leaf === 'string'
      ? parse(fs.readFileSync(leaf, 'utf8')).workloadType
      : leaf.workloadType;
  const result = await template(chartOf(type), leaf);
  expect(result.code).not.toBe(0);
  return result.stderr;
}

describe('container.environment: a mapping or a list of {name, value}', () => {
  it.each(LEAVES)(
    '%s renders the same manifests from the list (in any order) as from the mapping',
    async (_, leaf, own) => {
      const vars = { ...(leaf.container?.environment ?? {}), ...own, ...EXTRA };
      const list = Object.entries(vars)
        .map(([name, value]) => ({ name, value }))
        .reverse();
      const fromMapping = await template(
        chartOf(leaf.workloadType),
        withEnvironment(leaf, vars),
      );
      const fromList = await template(
        chartOf(leaf.workloadType),
        withEnvironment(leaf, list),
      );
      expect(fromMapping.stderr).toBe('');
      expect(fromList.stderr).toBe('');
      expect(fromList.stdout).toBe(fromMapping.stdout);
      // and the variables are there, as strings, sorted by name
      const pod = workload(fromList.docs).spec.template.spec;
      const env = envOf(pod.containers[0]);
      for (const [name, value] of Object.entries(vars))
        expect(env[name]).toEqual({ name, value: String(value) });
      const names = (pod.containers[0].env as { name: string }[]).map(
        e => e.name,
      );
      const ours = names.filter(n => n in EXTRA);
      expect(ours).toEqual([...ours].sort());
    },
  );

  it('renders the list form read from a YAML file (the seed document’s leaf in examples/)', async () => {
    const file = path.join(
      examplesDir,
      'valid/ml-inference/staging/ollama-phi.yaml',
    );
    const text = fs.readFileSync(file, 'utf8');
    expect(parse(text).container.environment).toEqual([
      { name: 'OLLAMA_KEEP_ALIVE', value: '24h' },
      { name: 'OLLAMA_NUM_PARALLEL', value: '2' },
    ]);
    expect(parseLeafFile(text).issues).toEqual([]);
    const result = await template(chartOf('OLLAMA_INFERENCE_LOAD'), file, {
      release: 'ollama-phi',
    });
    expect(result.stderr).toBe('');
    const ollama = container(
      workload(result.docs).spec.template.spec,
      'ollama',
    );
    const env = envOf(ollama);
    // the leaf's values win over the chart's runtime defaults, the chart keeps its own
    expect(env.OLLAMA_KEEP_ALIVE.value).toBe('24h');
    expect(env.OLLAMA_NUM_PARALLEL.value).toBe('2');
    expect(env.OLLAMA_HOST.value).toBe('0.0.0.0:11434');
    expect(
      (ollama.env as { name: string }[]).filter(
        e => e.name === 'OLLAMA_KEEP_ALIVE',
      ),
    ).toHaveLength(1);
    // the same manifests as the seed leaf with these settings as a mapping, where it runs aside
    const seed = parse(fs.readFileSync(seedLeafPath, 'utf8'));
    const asMapping = await template(
      chartOf('OLLAMA_INFERENCE_LOAD'),
      {
        ...seed,
        namespace: 'ml-workloads-staging',
        environment: 'staging',
        ingress: { ...seed.ingress, host: 'text-staging.hypermedia.au' },
        container: {
          ...seed.container,
          environment: { OLLAMA_NUM_PARALLEL: '2', OLLAMA_KEEP_ALIVE: '24h' },
        },
      },
      { release: 'ollama-phi' },
    );
    expect(result.stdout).toBe(asMapping.stdout);
  });

  it('refuses a name listed twice, at the second item, like the CLI', async () => {
    const text = [
      fs.readFileSync(seedLeafPath, 'utf8').trimEnd(),
      '  environment:',
      '    - name: OLLAMA_KEEP_ALIVE',
      '      value: "24h"',
      '    - name: OLLAMA_DEBUG',
      '      value: "1"',
      '    - name: OLLAMA_KEEP_ALIVE',
      '      value: "5m"',
      '',
    ].join('\n');
    expect(
      parseLeafFile(text).issues.map(i => `${i.path}: ${i.message}`),
    ).toEqual([
      'container.environment[2].name: "OLLAMA_KEEP_ALIVE" is already set at container.environment[0]; each variable once',
    ]);
    expect(await helmError(yamlFile(text))).toContain(
      'container.environment.2.name: "OLLAMA_KEEP_ALIVE" is already set at container.environment.0; each variable once',
    );
  });

  it.each([
    [
      'a chart-owned Ollama variable',
      [
        { name: 'LOG_LEVEL', value: 'x' },
        { name: 'OLLAMA_HOST', value: '0.0.0.0:80' },
      ],
      'container.environment.1.name: is set by the chart',
    ],
    [
      'an unknown Ollama setting',
      [{ name: 'OLLAMA_KEEPALIVE', value: '5m' }],
      'container.environment.0.name: is not an Ollama setting',
    ],
    [
      'a bad Ollama setting value',
      [{ name: 'OLLAMA_NUM_PARALLEL', value: 0 }],
      'container.environment.0.value: must be a whole number of at least 1; got "0"',
    ],
  ])('reports %s at its item', async (_, list, message) => {
    const leaf = withEnvironment(
      example('ml-inference/dev/ollama-phi.yaml'),
      list,
    );
    expect(await helmError(leaf)).toContain(message);
  });

  it('refuses a secret named like a variable the Ollama chart sets (it would be dropped silently)', async () => {
    const leaf = example('ml-inference/dev/ollama-phi.yaml');
    leaf.container.secrets = [
      { name: 'OLLAMA_MODELS', secretKeyRef: { name: 'x', key: 'y' } },
    ];
    expect(await helmError(leaf)).toContain(
      'container.secrets.0.name: is set by the chart (the chart points it at the model volume (modelStorage)); remove it',
    );
  });

  it.each([
    [
      'an item without a value',
      [{ name: 'LOG_LEVEL' }],
      "at '/container/environment/0': missing property 'value'",
    ],
    [
      'valueFrom (a Secret goes in container.secrets)',
      [
        {
          name: 'HF_TOKEN_REF',
          value: '',
          valueFrom: { secretKeyRef: { name: 'h', key: 't' } },
        },
      ],
      "at '/container/environment/0': additional properties 'valueFrom' not allowed",
    ],
    [
      'a bad name',
      [{ name: 'LOG-LEVEL', value: 'x' }],
      "at '/container/environment/0/name'",
    ],
    [
      'a string instead of a list or mapping',
      'LOG_LEVEL=info',
      "at '/container/environment'",
    ],
  ])('is refused by the values schema for %s', async (_, env, message) => {
    const leaf = withEnvironment(example('shop/dev/orders-api.yaml'), env);
    const stderr = await helmError(leaf);
    expect(stderr).toContain(
      "values don't meet the specifications of the schema",
    );
    expect(stderr).toContain(message);
  });
});
