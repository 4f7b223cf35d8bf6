/* The platform policy's GPU memory (gpu.memoryPerGpu): the GPU-memory estimate refuses an
 * Ollama leaf whose models do not fit on its GPUs. */
import { leafGpuMemory } from '../models/gpuMemory';
import { seedLeaf } from '../testUtils/seed';
import { formatPath } from '../validation/path';
import { validateLeaf } from '../validation/validate';
import { narrowPolicy, parsePolicyFile, policyIssues } from './platformPolicy';

const GiB = 2 ** 30;
const policyText = (memory: string) =>
  `apiVersion: workload-catalog.dev/v1\nkind: PlatformPolicy\ngpu:\n  maxPerReplica: 4\n  memoryPerGpu: ${memory}\n`;
const lines = (issues: { path: (string | number)[]; message: string }[]) =>
  issues.map(i => `${formatPath(i.path)}: ${i.message}`);

describe('gpu.memoryPerGpu in the policy file', () => {
  it('is read as bytes', () => {
    expect(parsePolicyFile(policyText('24Gi')).policy).toMatchObject({
      maxGpuCount: 4,
      gpuMemoryBytes: 24 * GiB,
    });
  });

  it('names the field and what is allowed', () => {
    expect(parsePolicyFile(policyText('24GB')).issues).toEqual([
      {
        path: 'gpu.memoryPerGpu',
        message:
          'must be a memory quantity such as "24Gi" or "80Gi" (the memory of one GPU)',
        line: 5,
      },
    ]);
    expect(parsePolicyFile(policyText('512Mi')).issues).toEqual([
      {
        path: 'gpu.memoryPerGpu',
        message:
          'must be at least 1Gi (the memory of one GPU, such as "24Gi" or "80Gi")',
        line: 5,
      },
    ]);
  });

  it('may only be narrowed by config (a smaller GPU)', () => {
    expect(
      narrowPolicy({ gpuMemoryBytes: 24 * GiB }, { gpuMemoryBytes: 16 * GiB })
        .policy.gpuMemoryBytes,
    ).toBe(16 * GiB);
    const wider = narrowPolicy(
      { gpuMemoryBytes: 24 * GiB },
      { gpuMemoryBytes: 48 * GiB },
      { gpuMemoryBytes: 'workloadCatalog.gpuMemoryPerGpu' },
    );
    expect(wider.policy.gpuMemoryBytes).toBe(24 * GiB);
    expect(wider.problems).toEqual([
      `workloadCatalog.gpuMemoryPerGpu is ${48 * GiB}, above the platform policy's ${24 * GiB} (.workload-catalog/policy.yaml); config may only narrow the policy`,
    ]);
  });
});

describe('a leaf whose models do not fit on its GPUs', () => {
  const policy = { gpuMemoryBytes: 24 * GiB, maxGpuCount: 4 };

  it('is refused on gpu.count, with the estimate and the GPU count that fits', () => {
    const leaf = seedLeaf();
    leaf.model = 'mixtral:8x7b';
    const estimate = leafGpuMemory(leaf, { gpuMemoryBytes: 24 * GiB })!;
    expect(estimate.atLeafCount.fits).toBe(false);
    const need = (estimate.atLeafCount.totalBytes / GiB).toFixed(1);
    expect(lines(validateLeaf(leaf, policy).issues)).toEqual([
      `gpu.count: the declared models need about ${need} GiB of GPU memory (weights, KV cache and overhead, estimated); 1 GPU of 24.0 GiB (the platform's GPU memory) holds 24.0 GiB: ask for gpu.count 2 (estimate: fits on 2 GPUs of 24 GiB)`,
    ]);
    leaf.gpu.count = 2;
    expect(validateLeaf(leaf, policy).issues).toEqual([]);
  });

  it('says when not even the platform maximum of GPUs holds them', () => {
    const leaf = seedLeaf();
    leaf.model = 'llama3.1:70b';
    leaf.gpu.count = 2;
    const [issue] = policyIssues(leaf, { ...policy, maxGpuCount: 2 });
    expect(issue.path).toEqual(['gpu', 'count']);
    expect(issue.message).toMatch(
      /^the declared models need about [0-9.]+ GiB of GPU memory \(weights, KV cache and overhead, estimated\); 2 GPUs of 24\.0 GiB \(the platform's GPU memory\) hold 48\.0 GiB: they do not fit on the platform's maximum of 2 GPUs either: choose smaller models or a smaller context \(OLLAMA_CONTEXT_LENGTH\)$/,
    );
  });

  it('counts every declared model', () => {
    const leaf = seedLeaf();
    leaf.model = 'llama3.1:8b';
    expect(policyIssues(leaf, { gpuMemoryBytes: 8 * GiB })).toEqual([]);
    leaf.additionalModels = ['mistral:7b', 'qwen2.5-coder:14b'];
    expect(
      policyIssues(leaf, { gpuMemoryBytes: 8 * GiB }).map(i =>
        formatPath(i.path),
      ),
    ).toEqual(['gpu.count']);
  });

  it('is not checked without the policy key, on CPU, for unknown models or for TGI', () => {
    const leaf = seedLeaf();
    leaf.model = 'mixtral:8x7b';
    expect(policyIssues(leaf, {})).toEqual([]);
    leaf.gpu.count = 0;
    expect(policyIssues(leaf, policy)).toEqual([]);
    const unknown = seedLeaf();
    unknown.model = 'acme/private-model:1';
    expect(policyIssues(unknown, policy)).toEqual([]);
    expect(
      policyIssues(
        {
          workloadType: 'ML_INFERENCE_LOAD',
          model: { id: 'mistralai/Mixtral-8x7B-v0.1' },
          gpu: { count: 1 },
        },
        policy,
      ),
    ).toEqual([]);
  });

  it('lets the seed leaf through (phi fits on one GPU)', () => {
    expect(policyIssues(seedLeaf(), policy)).toEqual([]);
  });
});
