/*
 * The charts with the real helm binary: lint, render the seed leaf and the example leaves,
 * validate every rendered document against the Kubernetes and CRD schemas.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { helm, pool, template } from './helm';
import { manifestErrors } from './k8s/validate';
import {
  chartOf,
  chartsDir,
  LIBRARY_CHART,
  seedLeafPath,
  validExampleLeaves,
} from './paths';
import { SEED_LEAF_YAML } from '@workload-catalog/plugin-workload-catalog-common/testUtils';

// helm runs real processes; on a busy 2-core machine a test may take a while
jest.setTimeout(180_000);

const examples = validExampleLeaves().map(file => ({
  file,
  rel: path.relative(path.join(chartsDir, '..'), file),
  leaf: parse(fs.readFileSync(file, 'utf8')),
}));

describe('helm lint', () => {
  it('lints the library chart', async () => {
    const result = await helm([
      'lint',
      '--strict',
      path.join(chartsDir, LIBRARY_CHART),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(examples.map(e => [e.rel, e] as const))(
    'lints the chart of %s with it as values (--strict)',
    async (_rel, example) => {
      const result = await helm([
        'lint',
        '--strict',
        chartOf(example.leaf.workloadType),
        '-f',
        example.file,
      ]);
      expect({
        code: result.code,
        out: result.stdout.match(/\[(ERROR|WARNING)\].*/g),
      }).toEqual({ code: 0, out: null });
    },
  );
});

describe('the seed leaf', () => {
  it('is the leaf of the architecture, unchanged', () => {
    expect(fs.readFileSync(seedLeafPath, 'utf8')).toBe(SEED_LEAF_YAML);
  });

  it('renders with `helm template NAME charts/ollama-inference-load -f leaf.yaml`', async () => {
    const result = await template(
      'charts/ollama-inference-load',
      seedLeafPath,
      { release: 'ollama-phi' },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.docs.map(d => `${d.kind}/${d.metadata.name}`).sort()).toEqual(
      [
        'Certificate/ollama-phi-tls',
        'ConfigMap/ollama-phi-ollama',
        'Deployment/ollama-phi',
        'HTTPRoute/ollama-phi',
        'ReferenceGrant/ollama-phi-tls-gateway',
        'Service/ollama-phi',
      ],
    );
    for (const doc of result.docs)
      expect(doc.metadata.namespace).toBe('ml-workloads');
  });
});

describe('every valid example leaf', () => {
  it('renders, and every document is valid against the Kubernetes 1.35 and CRD schemas', async () => {
    const rendered = await pool(examples, e =>
      template(chartOf(e.leaf.workloadType), e.file, {
        release: e.leaf.serviceName,
      }),
    );
    const failures = rendered.flatMap((r, i) =>
      r.code === 0 ? [] : [`${examples[i].rel}: ${r.stderr}`],
    );
    expect(failures).toEqual([]);
    const docs = rendered.flatMap(r => r.docs);
    expect(docs.length).toBeGreaterThan(examples.length * 3);
    expect(await manifestErrors(docs)).toEqual([]);
  });
});
