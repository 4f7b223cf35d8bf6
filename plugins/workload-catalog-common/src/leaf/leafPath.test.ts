import {
  checkLeafPathPattern,
  DEFAULT_LEAF_PATH_PATTERN,
  leafPath,
} from './leafPath';

const leaf = {
  workloadType: 'OLLAMA_INFERENCE_LOAD' as const,
  serviceName: 'ollama-phi',
  serviceCatalog: 'ml-inference',
  environment: 'dev',
  namespace: 'ml-workloads',
};

describe('leafPath', () => {
  it('uses the default layout', () => {
    expect(DEFAULT_LEAF_PATH_PATTERN).toBe(
      'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
    );
    expect(leafPath(leaf)).toBe('catalog/ml-inference/dev/ollama-phi.yaml');
  });

  it('follows a configured layout', () => {
    expect(
      leafPath(
        leaf,
        'leaves/{environment}/{namespace}/{workloadType}/{serviceName}.yml',
      ),
    ).toBe('leaves/dev/ml-workloads/ollama-inference-load/ollama-phi.yml');
  });

  it.each([
    ['catalog/{serviceCatalog}.yaml', 'must contain {serviceName}'],
    ['catalog/{serviceName}.json', 'must end in .yaml or .yml'],
    ['/etc/{serviceName}.yaml', 'must be a relative path'],
    ['catalog/{owner}/{serviceName}.yaml', 'unknown placeholder {owner}'],
    [
      'catalog/../{serviceName}.yaml',
      'must not contain empty, "." or ".." segments',
    ],
    ['catalog//{serviceName}.yaml', 'must not contain empty'],
  ])('rejects the pattern %s', (pattern, message) => {
    expect(checkLeafPathPattern(pattern)).toContain(message);
    expect(() => leafPath(leaf, pattern)).toThrow(message);
  });

  it('refuses values that are not safe path segments', () => {
    expect(() =>
      leafPath({ ...leaf, serviceName: '../../etc/passwd' }),
    ).toThrow('serviceName "../../etc/passwd" cannot be used in a path');
    expect(() => leafPath({ ...leaf, environment: '..' })).toThrow(
      'environment ".." cannot be used in a path',
    );
  });
});
