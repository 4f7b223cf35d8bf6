/*
 * Parity: Helm's verdict on a leaf (values.schema.json, generated from the zod schemas, plus
 * the chart's render-time checks of the zod refinements) equals the CLI's (validateLeaf with
 * the default policy), for a few hundred generated leaves: valid ones from the schemas, and
 * invalid ones made by mutating them.
 *
 * The rules only one side checks are listed in ONE_SIDED below (and in charts/README.md): a
 * mutant whose only problems are such rules must get "invalid" from the CLI and "valid" from
 * Helm, so the list stays true.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  parseLeafFile,
  validateLeaf,
  WORKLOAD_TYPES,
  type WorkloadType,
} from '@workload-catalog/plugin-workload-catalog-common';
import { arbitraryLeaf } from '@workload-catalog/plugin-workload-catalog-common/testUtils';
import { pool, template, type Rendered } from '../helm';
import { chartOf } from '../paths';
import { mutantArbitrary, type Leaf } from './mutations';

// helm runs real processes; on a busy 2-core machine a test may take a while
jest.setTimeout(180_000);

/** Rules only the CLI checks, recognised by the CLI's message. */
const ONE_SIDED: {
  rule: string;
  why: string;
  matches: (issue: { path: (string | number)[]; message: string }) => boolean;
}[] = [
  {
    rule: 'no plaintext secrets in container.environment (by name or by value)',
    why: 'the lists of secret-like names and value patterns are private to base.ts, so they cannot be generated into the chart',
    matches: i => /plaintext secrets are not allowed in a leaf/.test(i.message),
  },
  {
    rule: 'no "platform" key in a leaf',
    why: "Helm validates the merged values and cannot tell the leaf file from the ApplicationSet: rendered alone the chart takes it; through the ApplicationSet, its leafSetsPlatform (from the leaf file's own keys) makes the schema refuse it (platformFromLeaf.test.ts)",
    matches: i => i.path.length === 1 && i.path[0] === 'platform',
  },
];

const VALID_PER_TYPE = 30;
const MUTANTS_PER_TYPE = 50;

/** The chart Helm would use: the leaf's own type, or (for a wrong type) the chart it was meant for. */
function chartFor(leaf: Leaf, fallback: WorkloadType): string {
  return chartOf(
    WORKLOAD_TYPES.includes(leaf.workloadType) ? leaf.workloadType : fallback,
  );
}

/** Helm's "invalid" must come from the schema or from a chart check, never from a template crash. */
function rejectedForAReason(result: Rendered): boolean {
  return (
    /values don't meet the specifications of the schema/.test(result.stderr) ||
    /execution error at \([^)]*\): [A-Za-z][A-Za-z0-9_.]*: /.test(result.stderr)
  );
}

describe('Helm and the CLI agree on what a valid leaf is', () => {
  const valid = WORKLOAD_TYPES.map(type => ({
    type,
    leaves: fc.sample(arbitraryLeaf(type), {
      numRuns: VALID_PER_TYPE,
      seed: 4242,
    }),
  }));
  const mutants = WORKLOAD_TYPES.map(type => ({
    type,
    mutants: fc.sample(
      mutantArbitrary(arbitraryLeaf(type) as fc.Arbitrary<Leaf>),
      { numRuns: MUTANTS_PER_TYPE, seed: 7 },
    ),
  }));

  it.each(valid.map(v => [v.type, v.leaves] as const))(
    'accepts every generated valid %s leaf and renders it',
    async (type, leaves) => {
      expect(leaves.every(l => validateLeaf(l).valid)).toBe(true);
      const results = await pool(leaves, leaf => template(chartOf(type), leaf));
      expect(results.filter(r => r.code !== 0).map(r => r.stderr)).toEqual([]);
    },
  );

  it.each(mutants.map(m => [m.type, m.mutants] as const))(
    'gives the CLI verdict on every mutated %s leaf, except the one-sided rules',
    async (type, list) => {
      const results = await pool(list, m =>
        template(chartFor(m.leaf, type), m.leaf),
      );
      const disagreements: string[] = [];
      let invalid = 0;
      list.forEach((m, i) => {
        const cli = validateLeaf(m.leaf);
        const helmValid = results[i].code === 0;
        if (!cli.valid) invalid++;
        const oneSided =
          !cli.valid &&
          cli.issues.every(issue => ONE_SIDED.some(r => r.matches(issue)));
        const expected = oneSided ? true : cli.valid;
        if (helmValid !== expected) {
          disagreements.push(
            `${m.kind}: CLI ${cli.valid ? 'valid' : `invalid (${cli.issues.map(x => `${x.path.join('.')}: ${x.message}`).join('; ')})`}, Helm ${helmValid ? 'valid' : results[i].stderr}`,
          );
        }
        if (!helmValid && !rejectedForAReason(results[i]))
          disagreements.push(
            `${m.kind}: Helm failed without a reason: ${results[i].stderr}`,
          );
      });
      expect(disagreements).toEqual([]);
      // the mutations do make most leaves invalid (some, like a wrong type of an
      // environment value, are still valid leaves)
      expect(invalid).toBeGreaterThan(list.length / 2);
    },
  );

  it.each(ONE_SIDED.map(r => [r.rule, r] as const))(
    'one-sided rule "%s" is checked by the CLI only',
    async (_rule, rule) => {
      const leaf = {
        workloadType: 'BASIC_CONTAINER_LOAD',
        serviceName: 'svc',
        serviceCatalog: 'shop',
        namespace: 'shop',
        environment: 'dev',
        container: { image: 'nginx:1.27' } as Record<string, unknown>,
      } as Leaf;
      if (rule.rule.startsWith('no plaintext'))
        leaf.container.environment = { DB_PASSWORD: 'hunter2' };
      else leaf.platform = { labels: { team: 'a' } };
      const cli = validateLeaf(leaf);
      expect(cli.valid).toBe(false);
      expect(cli.issues.every(i => rule.matches(i))).toBe(true);
      expect((await template(chartOf('BASIC_CONTAINER_LOAD'), leaf)).code).toBe(
        0,
      );
    },
  );
});

describe('the YAML of a leaf file', () => {
  it('is rejected by both when it has an unquoted on/off/yes/no (a boolean to Helm, YAML 1.1), and accepted by both quoted', async () => {
    const text = [
      'workloadType: BASIC_CONTAINER_LOAD',
      'serviceName: svc',
      'serviceCatalog: shop',
      'namespace: shop',
      'environment: dev',
      'container:',
      '  image: nginx:1.27',
      '  args: [--verbose, on]',
      '',
    ].join('\n');
    expect(parseLeafFile(text).issues).toEqual([
      expect.objectContaining({
        path: 'container.args[1]',
        message: expect.stringContaining('write "on" in quotes'),
      }),
    ]);
    expect(parseLeafFile(text.replace('on]', '"on"]')).valid).toBe(true);
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'wc-yaml-')),
      'leaf.yaml',
    );
    fs.writeFileSync(file, text);
    const result = await template(chartOf('BASIC_CONTAINER_LOAD'), file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "at '/container/args/1': got boolean, want string",
    );
    fs.writeFileSync(file, text.replace('on]', '"on"]'));
    expect((await template(chartOf('BASIC_CONTAINER_LOAD'), file)).code).toBe(
      0,
    );
  });
});
