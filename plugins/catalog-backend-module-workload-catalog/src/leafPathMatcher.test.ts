import { leafPathMatcher, leafPathOfBranch } from './leafPathMatcher';

describe('leafPathMatcher', () => {
  it('reads the default layout backwards', () => {
    const match = leafPathMatcher(
      'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
    );
    expect(match('catalog/ml-inference/dev/ollama-phi.yaml')).toEqual({
      serviceCatalog: 'ml-inference',
      environment: 'dev',
      serviceName: 'ollama-phi',
    });
    for (const notALeaf of [
      'README.md',
      'catalog/ml/dev/x.yml',
      'catalog/ml/dev/sub/x.yaml',
      'other/ml/dev/x.yaml',
      'catalog/ml/dev/x.yaml.bak',
    ]) {
      expect(match(notALeaf)).toBeUndefined();
    }
  });

  it('takes every file Argo CD’s files generator reads, with a name from the file where the path gives none', () => {
    const match = leafPathMatcher(
      'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
    );
    expect(match('catalog/ML/dev/x.yaml')).toEqual({ serviceName: 'x' });
    expect(match('catalog/ml/dev/-x.yaml')).toEqual({ serviceName: 'x' });
    expect(match('catalog/ml/dev/.Orders_API.yaml')).toEqual({
      serviceName: 'orders-api',
    });
    expect(match('catalog/.attic/dev/x.yaml')).toEqual({ serviceName: 'x' });
    expect(match('catalog/ml/dev/..yaml')).toEqual({ serviceName: 'leaf' });
  });

  it('handles other placeholders, repeated ones, and regex characters in the pattern', () => {
    const match = leafPathMatcher(
      'leaves+/{workloadType}/{serviceName}/{serviceName}.v1.yml',
    );
    expect(match('leaves+/ollama-inference-load/phi/phi.v1.yml')).toEqual({
      workloadType: 'OLLAMA_INFERENCE_LOAD',
      serviceName: 'phi',
    });
    // Argo CD reads it (the glob is leaves+/*/*/*.v1.yml); the path's fields do not agree
    expect(match('leaves+/ollama-inference-load/phi/other.v1.yml')).toEqual({
      serviceName: 'other-v1',
    });
    expect(
      match('leavesX/ollama-inference-load/phi/phi.v1yyml'),
    ).toBeUndefined();
  });

  it('refuses a pattern the scaffolder would refuse', () => {
    expect(() => leafPathMatcher('catalog/{name}.yaml')).toThrow(
      'leaf path pattern "catalog/{name}.yaml" must contain {serviceName}',
    );
  });

  it('finds the leaf path of a pull request branch', () => {
    const pattern = 'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml';
    expect(
      leafPathOfBranch(
        'workload-catalog/catalog/ml/dev/phi',
        'workload-catalog',
        pattern,
      ),
    ).toBe('catalog/ml/dev/phi.yaml');
    expect(
      leafPathOfBranch('feature/x', 'workload-catalog', pattern),
    ).toBeUndefined();
    expect(leafPathOfBranch('wc/a/b', 'wc', 'x/{serviceName}.yml')).toBe(
      'a/b.yml',
    );
  });
});
