/*
 * YAML 1.1 look-alikes through the real chain: generated strings that a YAML 1.1 reader
 * (Helm, Argo CD, kubectl: go-yaml, sigs.k8s.io/yaml) could take for a boolean, null, number
 * or date (y, off, ~, Null, 010, 0o17, 1:20, 1_000, 0x1F, 1e3, .inf, +1, 2001-12-14, ...)
 * are put into every string field a leaf may carry that a chart renders (each field gets
 * only what its own schema accepts: serviceName is a DNS-1035 label, env keys are variable
 * names, ...). Each leaf is printed as the CLI prints it (printLeaf), which the CLI must
 * accept, and rendered from that file by the real `helm template`; the output is read with
 * YAML 1.1 rules (the `yaml` package's { version: '1.1' }) and every value must come back
 * as the same string, in its place. A few helm runs, many look-alikes in each.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import {
  parseLeafFile,
  printLeaf,
  validateLeaf,
  type WorkloadType,
} from '@workload-catalog/plugin-workload-catalog-common';
import { pool, template, type Manifest } from '../helm';
import { chartOf, examplesDir } from '../paths';

jest.setTimeout(180_000);

type Leaf = Record<string, any>;

/** Strings that YAML 1.1 (or YAML 1.2) reads as something else than text when unquoted. */
const lookAlike: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...['y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'no', 'No', 'NO'],
    ...['on', 'On', 'ON', 'off', 'Off', 'OFF', 'yEs', 'oFF'],
    ...['true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
    ...['~', 'null', 'Null', 'NULL', 'nULL', '=', '<<'],
    ...['.inf', '-.inf', '+.inf', '.Inf', '.NaN', '.nan'],
    ...['0', '-0', '+0', '+1', '-1', '00', '010', '0777', '09'],
    ...['0o10', '0o17', '0b101', '0x1F', '0x1f', '0xFF'],
    ...['1e3', '1E3', '1.5e-3', '6.8523015e+5', '1.', '.5', '1.0'],
    ...['1_000', '1_000.5', '0b1_0', '0x_1F', '1:20', '190:20:30'],
    ...['12:30:00.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00'],
  ),
  fc.stringMatching(/^[-+]?0[0-7]{1,4}$/),
  fc.stringMatching(/^[1-9][0-9]{0,2}(:[0-5][0-9]){1,2}$/),
  fc.stringMatching(/^[1-9][0-9]?(_[0-9]{1,3}){1,2}$/),
  fc.stringMatching(/^0x[0-9a-fA-F]{1,4}$/),
  fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}([eE][-+]?[0-9]{1,2})?$/),
  fc.stringMatching(/^[1-9][0-9]?[eE][0-9]{1,2}$/),
  fc.stringMatching(/^0b[01]{1,6}$/),
  fc.stringMatching(/^[1-9][0-9]?\.[0-9]{1,2}$/),
);

const LOOK_ALIKES = [
  ...new Set(fc.sample(lookAlike, { numRuns: 600, seed: 1011 })),
];

const readLeaf = (file: string): Leaf =>
  parseLeafFile(fs.readFileSync(path.join(examplesDir, file), 'utf8'))
    .value as Leaf;

/** Base leaves, one per chart, that render with ingress and secrets. */
const BASES: { type: WorkloadType; leaf: Leaf }[] = [
  {
    type: 'BASIC_CONTAINER_LOAD',
    leaf: {
      workloadType: 'BASIC_CONTAINER_LOAD',
      serviceName: 'svc',
      serviceCatalog: 'shop',
      namespace: 'shop',
      environment: 'dev',
      container: { image: 'nginx:1.27' },
    },
  },
  {
    type: 'STATEFUL_CONTAINER_LOAD',
    leaf: readLeaf('valid/shop/prod/orders-db.yaml'),
  },
  {
    type: 'BASIC_CONTAINER_ROLLOUT',
    leaf: {
      workloadType: 'BASIC_CONTAINER_ROLLOUT',
      serviceName: 'svc',
      serviceCatalog: 'shop',
      namespace: 'shop',
      environment: 'dev',
      container: { image: 'nginx:1.27' },
      rollout: { blueGreen: {} },
    },
  },
  {
    type: 'ML_INFERENCE_LOAD',
    leaf: readLeaf('valid/ml-inference/prod/mistral-tgi.yaml'),
  },
  {
    type: 'OLLAMA_INFERENCE_LOAD',
    leaf: readLeaf('valid/ml-inference/dev/ollama-phi.yaml'),
  },
];

/** A string field of a leaf: where it goes, and where the chart must render it. */
interface Field {
  name: string;
  set: (leaf: Leaf, value: string) => void;
  /** The values rendered for this field, read from the manifests. */
  rendered: (docs: Manifest[], leaf: Leaf) => unknown[];
  types?: WorkloadType[];
}

const APP_TYPES: WorkloadType[] = [
  'BASIC_CONTAINER_LOAD',
  'STATEFUL_CONTAINER_LOAD',
  'BASIC_CONTAINER_ROLLOUT',
];

const containers = (docs: Manifest[]) =>
  docs.flatMap(d => [
    ...(d.spec?.template?.spec?.containers ?? []),
    ...(d.spec?.template?.spec?.initContainers ?? []),
  ]);
const workloads = (docs: Manifest[]) =>
  docs.filter(d => d.spec?.template?.spec?.containers);
/** The objects the charts name and label after the leaf (all but foreign ones). */
const labelled = (docs: Manifest[]) =>
  docs.filter(d => d.metadata?.labels?.['workload-catalog.dev/service-name']);

const FIELDS: Field[] = [
  {
    name: 'serviceName',
    set: (l, v) => (l.serviceName = v),
    rendered: docs => [
      ...workloads(docs).map(d => d.metadata.labels['app.kubernetes.io/name']),
      ...docs
        .filter(d => d.kind === 'Service' && !/-/.test(d.metadata.name))
        .map(d => d.metadata.name),
      ...labelled(docs).map(
        d => d.metadata.labels['workload-catalog.dev/service-name'],
      ),
    ],
  },
  {
    name: 'serviceCatalog',
    set: (l, v) => (l.serviceCatalog = v),
    rendered: docs =>
      labelled(docs).map(
        d => d.metadata.labels['workload-catalog.dev/catalog'],
      ),
  },
  {
    name: 'namespace',
    set: (l, v) => (l.namespace = v),
    rendered: docs => labelled(docs).map(d => d.metadata.namespace),
  },
  {
    name: 'environment',
    set: (l, v) => (l.environment = v),
    rendered: docs =>
      labelled(docs).map(
        d => d.metadata.labels['workload-catalog.dev/environment'],
      ),
  },
  {
    name: 'owner',
    set: (l, v) => (l.owner = v),
    rendered: docs =>
      labelled(docs).map(
        d => d.metadata.annotations?.['workload-catalog.dev/owner'],
      ),
  },
  {
    name: 'description',
    set: (l, v) => (l.description = v),
    rendered: docs =>
      labelled(docs).map(
        d => d.metadata.annotations?.['workload-catalog.dev/description'],
      ),
  },
  {
    name: 'container.image',
    set: (l, v) => (l.container.image = v),
    rendered: docs => [containers(docs).find(c => c.name === 'app')?.image],
    types: APP_TYPES,
  },
  {
    name: 'ingress.host',
    set: (l, v) =>
      (l.ingress = { ...(l.ingress ?? {}), enabled: true, host: v }),
    rendered: docs => [
      ...docs
        .filter(d => d.kind === 'HTTPRoute')
        .flatMap(d => d.spec.hostnames),
      ...docs
        .filter(d => d.kind === 'Certificate')
        .flatMap(d => d.spec.dnsNames),
    ],
  },
  {
    name: 'ingress.tls.secretName',
    set: (l, v) =>
      (l.ingress = {
        ...(l.ingress ?? {}),
        enabled: true,
        host: l.ingress?.host ?? 'svc.example.com',
        tls: { enabled: true, secretName: v },
      }),
    rendered: docs =>
      docs.filter(d => d.kind === 'ReferenceGrant').map(d => d.spec.to[0].name),
  },
  {
    name: 'storage.storageClassName',
    set: (l, v) => (l.storage.storageClassName = v),
    rendered: docs =>
      docs
        .filter(d => d.kind === 'StatefulSet')
        .flatMap(d => d.spec.volumeClaimTemplates)
        .map(t => t.spec.storageClassName),
    types: ['STATEFUL_CONTAINER_LOAD'],
  },
  {
    name: 'container.secrets[].secretKeyRef',
    set: (l, v) => {
      const name = `S${(l.container.secrets ?? []).length}`;
      // a Secret name (DNS subdomain) and a key; set below as both when the name allows
      l.container.secrets = [
        ...(l.container.secrets ?? []),
        { name, secretKeyRef: { name: v, key: v } },
      ];
    },
    rendered: (docs, leaf) => {
      const refs = containers(docs).flatMap(c => c.env ?? []);
      return (leaf.container.secrets ?? [])
        .filter((s: any) => s.secretKeyRef && /^S[0-9]+$/.test(s.name))
        .flatMap((s: any) => {
          const e = refs.find((x: any) => x.name === s.name);
          return [
            e?.valueFrom?.secretKeyRef?.name,
            e?.valueFrom?.secretKeyRef?.key,
          ];
        });
    },
  },
];

/** Fields with many values each: environment (values and keys), args, command. */
function fillLists(leaf: Leaf, type: WorkloadType, words: string[]) {
  leaf.container ??= {};
  const env: Record<string, string> = { ...(leaf.container.environment ?? {}) };
  words.slice(0, 60).forEach((w, i) => (env[`V${i}`] = w));
  // keys: the look-alikes that are variable names (y, on, Null, ...), each with a look-alike value
  for (const [i, w] of words.entries())
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(w) && !(w in env))
      env[w] = words[(i + 7) % words.length];
  leaf.container.environment = env;
  if (APP_TYPES.includes(type)) {
    leaf.container.args = words.slice(0, 40);
    leaf.container.command = words.slice(40, 50);
  }
}

interface Case {
  type: WorkloadType;
  leaf: Leaf;
  /** field name -> the look-alike put there */
  placed: Record<string, string>;
}

/** One leaf per chart and round: each field gets the next look-alike its schema accepts. */
function buildCases(rounds: number): Case[] {
  const cases: Case[] = [];
  let cursor = 0;
  const next = () => LOOK_ALIKES[cursor++ % LOOK_ALIKES.length];
  for (let round = 0; round < rounds; round++) {
    for (const { type, leaf: base } of BASES) {
      const leaf: Leaf = structuredClone(base);
      fillLists(
        leaf,
        type,
        Array.from({ length: 60 }, () => next()),
      );
      const placed: Record<string, string> = {};
      for (const field of FIELDS) {
        if (field.types && !field.types.includes(type)) continue;
        // the first look-alike (of the next 40) this field's schema accepts
        for (let tries = 0; tries < 40; tries++) {
          const value = next();
          const attempt = structuredClone(leaf);
          field.set(attempt, value);
          if (validateLeaf(attempt).valid) {
            field.set(leaf, value);
            placed[field.name] = value;
            break;
          }
        }
      }
      cases.push({ type, leaf, placed });
    }
  }
  return cases;
}

const CASES = buildCases(2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-yaml11-'));

/** Every scalar of a manifest with its path, for comparing two readings. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (a instanceof Date || b instanceof Date || typeof a !== typeof b)
    return [`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
  if (Array.isArray(a) && Array.isArray(b))
    return a.flatMap((x, i) => differences(x, b[i], `${at}[${i}]`));
  if (a && b && typeof a === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b as object)]);
    return [...keys].flatMap(k =>
      differences((a as any)[k], (b as any)[k], `${at}.${k}`),
    );
  }
  return Object.is(a, b)
    ? []
    : [`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

describe('YAML 1.1 look-alikes, from the printed leaf through helm to a YAML 1.1 reader', () => {
  it('the generated leaves are valid, carry many look-alikes, and fill every field', () => {
    expect(LOOK_ALIKES.length).toBeGreaterThan(150);
    for (const c of CASES) {
      const result = validateLeaf(c.leaf);
      expect(result.valid ? [] : result.issues).toEqual([]);
    }
    // every field got a look-alike in at least one leaf of a chart that renders it
    const filled = new Set(CASES.flatMap(c => Object.keys(c.placed)));
    expect([...filled].sort()).toEqual(FIELDS.map(f => f.name).sort());
  });

  it('renders every look-alike as the same string, in its place, to a YAML 1.1 reader', async () => {
    const results = await pool(CASES, async (c, i) => {
      const printed = printLeaf(c.leaf);
      // the CLI accepts what it prints (every look-alike quoted)
      const cli = parseLeafFile(printed);
      const file = path.join(dir, `leaf-${i}.yaml`);
      fs.writeFileSync(file, printed);
      return { cli, rendered: await template(chartOf(c.type), file) };
    });
    const problems: string[] = [];
    let checked = 0;
    results.forEach(({ cli, rendered }, i) => {
      const c = CASES[i];
      const where = `${c.type} #${i}`;
      if (!cli.valid) {
        problems.push(
          `${where}: the CLI refuses its own print: ${JSON.stringify(cli.issues)}`,
        );
        return;
      }
      if (rendered.code !== 0) {
        problems.push(`${where}: helm failed: ${rendered.stderr}`);
        return;
      }
      const yaml11 = parseAllDocuments(rendered.stdout, { version: '1.1' })
        .map(d => d.toJS())
        .filter(Boolean) as Manifest[];
      const yaml12 = parseAllDocuments(rendered.stdout)
        .map(d => d.toJS())
        .filter(Boolean) as Manifest[];
      // a YAML 1.1 and a YAML 1.2 reader see the same manifests, numbers included
      const diff = differences(yaml11, yaml12);
      problems.push(...diff.map(d => `${where}: 1.1 vs 1.2 at ${d}`));

      const env = Object.entries(
        c.leaf.container.environment as Record<string, string>,
      );
      const rendersEnv = containers(yaml11).find(
        x =>
          x.name !== 'models' &&
          (x.env ?? []).some((e: any) => e.name === 'V0'),
      );
      for (const [name, value] of env) {
        const e = rendersEnv?.env.find((x: any) => x.name === name);
        checked++;
        // (the example leaves' own numbers are rendered as their text)
        if (e?.value !== String(value))
          problems.push(
            `${where}: container.environment.${name} = ${JSON.stringify(value)} rendered as ${JSON.stringify(e)}`,
          );
      }
      if (c.leaf.container.args) {
        const app = containers(yaml11).find(x => x.name === 'app');
        checked +=
          c.leaf.container.args.length + c.leaf.container.command.length;
        for (const key of ['args', 'command'])
          if (
            JSON.stringify(app?.[key]) !== JSON.stringify(c.leaf.container[key])
          )
            problems.push(
              `${where}: container.${key} ${JSON.stringify(c.leaf.container[key])} rendered as ${JSON.stringify(app?.[key])}`,
            );
      }
      for (const field of FIELDS) {
        const value = c.placed[field.name];
        if (value === undefined) continue;
        const seen = field.rendered(yaml11, c.leaf);
        checked += seen.length;
        if (seen.length === 0 || seen.some(v => v !== value))
          problems.push(
            `${where}: ${field.name} = ${JSON.stringify(value)} rendered as ${JSON.stringify(seen)}`,
          );
      }
    });
    expect(problems).toEqual([]);
    // many look-alikes went through each helm run
    expect(checked).toBeGreaterThan(CASES.length * 60);
  });
});
