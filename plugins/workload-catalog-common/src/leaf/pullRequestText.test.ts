import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLeafFile } from './leafFile';
import { printLeaf } from './printLeaf';
import {
  leafBranchName,
  leafChanges,
  leafModelSummary,
  pullRequestBody,
  pullRequestTitle,
} from './pullRequestText';
import type { WorkloadLeaf } from '../schema/leaf';

const example = (relative: string): WorkloadLeaf => {
  const result = parseLeafFile(
    readFileSync(
      path.resolve(__dirname, '../../../../examples/catalog/valid', relative),
      'utf8',
    ),
  );
  if (!result.valid || !result.leaf)
    throw new Error(`${relative} is not valid`);
  return result.leaf;
};

describe('pull request text', () => {
  const seed = example('ml-inference/dev/ollama-phi.yaml');

  it('names one branch per leaf path', () => {
    expect(leafBranchName('catalog/ml-inference/dev/ollama-phi.yaml')).toBe(
      'workload-catalog/catalog/ml-inference/dev/ollama-phi',
    );
    expect(leafBranchName('svc/x.yml', 'wc')).toBe('wc/svc/x');
  });

  it('titles say what is deployed where', () => {
    expect(pullRequestTitle(seed)).toBe(
      'Add ollama-phi in dev: phi:latest on 1 GPU',
    );
    expect(pullRequestTitle(seed, { update: true })).toBe(
      'Update ollama-phi in dev: phi:latest on 1 GPU',
    );
    expect(
      pullRequestTitle(example('ml-inference/prod/mistral-tgi.yaml')),
    ).toBe(
      'Add mistral-tgi in prod: mistralai/Mistral-7B-Instruct-v0.3@e0bc86c23ce5aae1db576c8cca6f06f1f73af2db on 2 GPUs',
    );
    expect(pullRequestTitle(example('shop/dev/orders-api.yaml'))).toMatch(
      /^Add orders-api in dev: container \S+/,
    );
  });

  it('summarises models of both inference types', () => {
    expect(leafModelSummary(seed)).toBe('phi:latest');
    expect(
      leafModelSummary(example('shop/dev/orders-api.yaml')),
    ).toBeUndefined();
  });

  it('writes a body a reviewer can act on', () => {
    const body = pullRequestBody(seed, {
      leafPath: 'catalog/ml-inference/dev/ollama-phi.yaml',
      yaml: printLeaf(seed),
      taskUrl: 'https://backstage.example.com/create/tasks/t1',
      requestedBy: 'user:default/jane',
      marker: 'workload-catalog task=t1',
    });
    expect(body).toContain('## New workload `ollama-phi` in `dev`');
    expect(body).toContain(
      '| Workload | Ollama inference service (`OLLAMA_INFERENCE_LOAD`) |',
    );
    expect(body).toContain('| Model | `phi:latest` |');
    expect(body).toContain('| GPUs | 1 per replica |');
    expect(body).toContain(
      '| Resources | requests 500m CPU / 2Gi, limits 2 CPU / 4Gi |',
    );
    expect(body).toContain('| Ingress | https://text.hypermedia.au |');
    expect(body).toContain(
      'Requested by `user:default/jane` through [this Backstage task](https://backstage.example.com/create/tasks/t1).',
    );
    expect(body).toContain(`\`\`\`yaml\n${printLeaf(seed).trimEnd()}\n\`\`\``);
    expect(body).toContain('<!-- workload-catalog task=t1 -->');
    expect(body).not.toContain('### What changes');
  });

  it('counts GPUs over replicas and lists what an update changes', () => {
    const bigger = {
      ...seed,
      gpu: { count: 2 },
      container: { ...seed.container, replicas: 3 },
    } as WorkloadLeaf;
    const changes = leafChanges(seed, bigger);
    expect(changes).toEqual([
      '`gpu.count`: 1 → 2',
      '`container.replicas`: 1 → 3',
    ]);
    const body = pullRequestBody(bigger, {
      leafPath: 'x.yaml',
      yaml: printLeaf(bigger),
      previousYaml: printLeaf(seed),
      changes,
    });
    expect(body).toContain('## Update workload `ollama-phi` in `dev`');
    expect(body).toContain(
      '| GPUs | 2 per replica (6 in total for 3 replicas) |',
    );
    expect(body).toContain(
      '### What changes\n\n- `gpu.count`: 1 → 2\n- `container.replicas`: 1 → 3',
    );
    expect(leafChanges({ a: 1 }, { a: 1, b: 'x' })).toEqual([
      '`b`: (not set) → "x"',
    ]);
  });

  it('keeps table cells and markers intact whatever the text', () => {
    const odd = { ...seed, description: 'a | b\nc' } as WorkloadLeaf;
    const body = pullRequestBody(odd, {
      leafPath: 'x.yaml',
      yaml: '',
      marker: 'end --> here',
    });
    expect(body).toContain('> a | b c');
    expect(body).toContain('<!-- end  here -->');
  });
});
