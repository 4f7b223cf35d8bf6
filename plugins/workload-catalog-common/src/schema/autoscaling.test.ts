import { z } from 'zod';
import { KNOWN_MODELS } from '../models/modelArchitectures';
import { policyIssues } from '../policy/platformPolicy';
import { seedLeaf } from '../testUtils/seed';
import { formatPath, validateLeaf } from '../validation/validate';
import {
  COLD_START_BASE_SECONDS,
  COLD_START_DISK_BYTES_PER_SECOND,
  coldStartDescription,
  coldStartSeconds,
} from './autoscaling';
import { leafSchemasByType } from './leaf';

const tgiLeaf = (): Record<string, any> => ({
  workloadType: 'ML_INFERENCE_LOAD',
  serviceName: 'mistral',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'dev',
  model: { id: 'mistralai/Mistral-7B-Instruct-v0.3' },
});

const messages = (leaf: unknown) =>
  validateLeaf(leaf).issues.map(i => `${formatPath(i.path)}: ${i.message}`);

describe('autoscaling (Ollama)', () => {
  it('accepts the seed leaf with autoscaling, to zero, and fills the defaults', () => {
    const leaf = {
      ...seedLeaf(),
      autoscaling: { minReplicas: 0, maxReplicas: 3 },
    };
    const result = validateLeaf(leaf);
    expect(result.issues).toEqual([]);
    expect((result as any).leaf.autoscaling).toEqual({
      minReplicas: 0,
      maxReplicas: 3,
      targetConcurrency: 4,
      scaledownPeriod: 300,
    });
  });

  it('refuses minReplicas above maxReplicas, on minReplicas', () => {
    expect(
      messages({
        ...seedLeaf(),
        autoscaling: { minReplicas: 4, maxReplicas: 2 },
      }),
    ).toEqual([
      'autoscaling.minReplicas: must be at most maxReplicas (2); got 4',
    ]);
  });

  it('needs maxReplicas, and names every bad field', () => {
    expect(
      messages({ ...seedLeaf(), autoscaling: { minReplicas: 1 } }),
    ).toEqual(['autoscaling.maxReplicas: is required']);
    expect(
      messages({
        ...seedLeaf(),
        autoscaling: {
          minReplicas: -1,
          maxReplicas: 101,
          targetConcurrency: 0,
          scaledownPeriod: 5,
        },
      }),
    ).toEqual([
      'autoscaling.minReplicas: must be 0 (scale to zero) or more',
      'autoscaling.maxReplicas: must be at most 100',
      'autoscaling.targetConcurrency: must be at least 1 request',
      'autoscaling.scaledownPeriod: must be at least 30 seconds',
    ]);
    expect(
      messages({ ...seedLeaf(), autoscaling: { maxReplicas: 2, target: 3 } }),
    ).toEqual([
      'autoscaling.target: unknown field "target"; allowed here: minReplicas, maxReplicas, targetConcurrency, scaledownPeriod',
    ]);
  });

  it('keeps container.replicas at most maxReplicas (the autoscaler owns the count)', () => {
    const leaf = seedLeaf();
    leaf.container.replicas = 5;
    leaf.autoscaling = { maxReplicas: 3 };
    expect(messages(leaf)).toEqual([
      'container.replicas: must be at most autoscaling.maxReplicas (3); got 5. With autoscaling the autoscaler owns the count between minReplicas and maxReplicas: leave container.replicas out',
    ]);
    leaf.container.replicas = 3;
    expect(messages(leaf)).toEqual([]);
  });
});

describe('autoscaling (TGI)', () => {
  it('accepts a range and fills the defaults', () => {
    const result = validateLeaf({
      ...tgiLeaf(),
      autoscaling: { minReplicas: 1, maxReplicas: 4 },
    });
    expect(result.issues).toEqual([]);
    expect((result as any).leaf.autoscaling).toEqual({
      minReplicas: 1,
      maxReplicas: 4,
      targetQueueSize: 10,
      scaledownPeriod: 300,
    });
  });

  it('refuses scale to zero: only Ollama scales to zero', () => {
    expect(
      messages({
        ...tgiLeaf(),
        autoscaling: { minReplicas: 0, maxReplicas: 4 },
      }),
    ).toEqual([
      'autoscaling.minReplicas: must be at least 1: only OLLAMA_INFERENCE_LOAD scales to zero (through the KEDA HTTP add-on, which holds requests while a replica starts); TGI scales on its queue (tgi_queue_size), which a running replica reports',
    ]);
  });

  it('refuses minReplicas above maxReplicas and a queue target of 0', () => {
    expect(
      messages({
        ...tgiLeaf(),
        autoscaling: { minReplicas: 3, maxReplicas: 2, targetQueueSize: 0 },
      }),
    ).toEqual([
      'autoscaling.targetQueueSize: must be at least 1 request',
      'autoscaling.minReplicas: must be at most maxReplicas (2); got 3',
    ]);
    expect(
      messages({
        ...tgiLeaf(),
        autoscaling: { minReplicas: 3, maxReplicas: 2 },
      }),
    ).toEqual([
      'autoscaling.minReplicas: must be at most maxReplicas (2); got 3',
    ]);
  });

  it('is not a field of the container types', () => {
    expect(
      messages({
        workloadType: 'BASIC_CONTAINER_LOAD',
        serviceName: 'orders-api',
        serviceCatalog: 'shop',
        namespace: 'shop',
        environment: 'dev',
        container: { image: 'ghcr.io/acme/orders-api:1.4.2' },
        autoscaling: { maxReplicas: 3 },
      })[0],
    ).toMatch(/^autoscaling: unknown field "autoscaling"/);
  });
});

describe('the GPU policy counts maxReplicas', () => {
  it('refuses a leaf whose maxReplicas × gpu.count is above the per-workload maximum', () => {
    const leaf = {
      ...seedLeaf(),
      autoscaling: { minReplicas: 0, maxReplicas: 9 },
    };
    expect(
      policyIssues(leaf, { maxGpusPerWorkload: 8 }).map(
        i => `${formatPath(i.path)}: ${i.message}`,
      ),
    ).toEqual([
      'autoscaling.maxReplicas: asks for 9 GPUs (1 per replica × 9 replicas); the platform allows at most 8 GPUs per workload, so at most 8 replicas of 1 GPUs',
    ]);
    leaf.autoscaling.maxReplicas = 8;
    expect(policyIssues(leaf, { maxGpusPerWorkload: 8 })).toEqual([]);
  });
});

describe('the cold start in the form', () => {
  it('is computed from the shipped model sizes and the stated disk speed', () => {
    const bytes = KNOWN_MODELS['llama3.1:8b'].sizeBytes!;
    const network = coldStartSeconds(bytes);
    expect(network).toBe(
      Math.ceil(
        COLD_START_BASE_SECONDS +
          bytes / COLD_START_DISK_BYTES_PER_SECOND.network,
      ),
    );
    expect(
      coldStartSeconds(bytes, COLD_START_DISK_BYTES_PER_SECOND.nvme),
    ).toBeLessThan(network);
    expect(coldStartDescription()).toContain(`llama3.1:8b ~${network} s`);
    expect(coldStartDescription()).toContain('125 MiB/s');
  });

  it("is minReplicas' description in the generated JSON Schema", () => {
    const json = z.toJSONSchema(leafSchemasByType.OLLAMA_INFERENCE_LOAD, {
      io: 'input',
    }) as any;
    expect(json.properties.autoscaling.properties.minReplicas.description).toBe(
      coldStartDescription(),
    );
  });
});
