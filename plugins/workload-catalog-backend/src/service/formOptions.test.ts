import { ConfigReader } from '@backstage/config';
import { readFormOptions } from './formOptions';

describe('readFormOptions', () => {
  it('defaults to 8 GPUs, 24Gi per GPU and no environment or namespace list', () => {
    expect(readFormOptions(new ConfigReader({}))).toEqual({
      policy: { maxGpuCount: 8 },
      gpuMemoryPerGpuBytes: 24 * 2 ** 30,
    });
  });

  it('reads the configured policy', () => {
    const config = new ConfigReader({
      workloadCatalog: {
        maxGpuCount: 4,
        gpuMemoryPerGpu: '80Gi',
        environments: ['dev', 'prod'],
        namespaces: ['ml-workloads'],
      },
    });
    expect(readFormOptions(config)).toEqual({
      policy: {
        maxGpuCount: 4,
        environments: ['dev', 'prod'],
        namespaces: ['ml-workloads'],
      },
      gpuMemoryPerGpuBytes: 80 * 2 ** 30,
    });
  });

  it.each([17, -1, 2.5])('rejects maxGpuCount %p', value => {
    expect(() =>
      readFormOptions(
        new ConfigReader({ workloadCatalog: { maxGpuCount: value } }),
      ),
    ).toThrow(
      `workloadCatalog.maxGpuCount must be a whole number from 0 to 16; got ${value}`,
    );
  });

  it('rejects a GPU memory that is not a quantity', () => {
    expect(() =>
      readFormOptions(
        new ConfigReader({ workloadCatalog: { gpuMemoryPerGpu: 'lots' } }),
      ),
    ).toThrow(
      'workloadCatalog.gpuMemoryPerGpu must be a memory quantity such as "24Gi"; got "lots"',
    );
  });
});
