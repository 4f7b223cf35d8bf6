import { ConfigReader } from '@backstage/config';
import { readConfigPolicy } from '@workload-catalog/plugin-workload-catalog-node';
import { formOptionsOf, readGpuMemoryPerGpu } from './formOptions';

const options = (workloadCatalog: object) => {
  const config = new ConfigReader({ workloadCatalog });
  return formOptionsOf(readConfigPolicy(config), readGpuMemoryPerGpu(config));
};

describe('form options', () => {
  it('defaults to 8 GPUs, 24Gi per GPU and no environment or namespace list', () => {
    expect(options({})).toEqual({
      policy: { maxGpuCount: 8 },
      gpuMemoryPerGpuBytes: 24 * 2 ** 30,
    });
  });

  it('spells out the policy in force, the GPU maximum from the one place it is defaulted', () => {
    expect(
      formOptionsOf(
        {
          maxGpusPerWorkload: 16,
          environments: ['dev'],
          ingressDomains: { '*': ['apps.example.com'] },
        },
        1,
      ),
    ).toEqual({
      policy: {
        maxGpuCount: 8,
        maxGpusPerWorkload: 16,
        environments: ['dev'],
        ingressDomains: { '*': ['apps.example.com'] },
      },
      gpuMemoryPerGpuBytes: 1,
    });
  });

  it("estimates with the policy's GPU memory when it has one: the size leaves are checked against", () => {
    expect(
      formOptionsOf({ gpuMemoryBytes: 80 * 2 ** 30 }, 24 * 2 ** 30),
    ).toEqual({
      policy: { maxGpuCount: 8, gpuMemoryBytes: 80 * 2 ** 30 },
      gpuMemoryPerGpuBytes: 80 * 2 ** 30,
    });
  });

  it('reads the configured policy', () => {
    expect(
      options({
        maxGpuCount: 4,
        gpuMemoryPerGpu: '80Gi',
        environments: ['dev', 'prod'],
        namespaces: ['ml-workloads'],
      }),
    ).toEqual({
      policy: {
        maxGpuCount: 4,
        environments: ['dev', 'prod'],
        namespaces: ['ml-workloads'],
      },
      gpuMemoryPerGpuBytes: 80 * 2 ** 30,
    });
  });

  it.each([17, -1, 2.5])('rejects maxGpuCount %p', value => {
    expect(() => options({ maxGpuCount: value })).toThrow(
      `workloadCatalog.maxGpuCount must be a whole number from 0 to 16; got ${value}`,
    );
  });

  it('rejects a GPU memory that is not a quantity', () => {
    expect(() => options({ gpuMemoryPerGpu: 'lots' })).toThrow(
      'workloadCatalog.gpuMemoryPerGpu must be a memory quantity such as "24Gi"; got "lots"',
    );
  });
});
