import { withEnvironmentMapping } from './environmentMapping';

describe('withEnvironmentMapping', () => {
  it('turns the list form into the mapping, values unchanged', () => {
    const leaf = {
      serviceName: 'x',
      container: {
        replicas: 1,
        environment: [
          { name: 'OLLAMA_KEEP_ALIVE', value: '24h' },
          { name: 'EMPTY', value: '' },
        ],
      },
    };
    expect(withEnvironmentMapping(leaf)).toEqual({
      serviceName: 'x',
      container: {
        replicas: 1,
        environment: { OLLAMA_KEEP_ALIVE: '24h', EMPTY: '' },
      },
    });
    // the input is not changed
    expect(Array.isArray(leaf.container.environment)).toBe(true);
  });

  it('leaves a mapping, or a leaf without environment, as it is', () => {
    const mapping = { container: { environment: { A: '1' } } };
    expect(withEnvironmentMapping(mapping)).toBe(mapping);
    const none = { serviceName: 'x' };
    expect(withEnvironmentMapping(none)).toBe(none);
  });
});
