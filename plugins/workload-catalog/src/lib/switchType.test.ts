import { formSchemasFor } from './formSchema';
import { notCoveredBy, pruneToSchema, switchWorkloadType } from './switchType';

const ollama = {
  workloadType: 'OLLAMA_INFERENCE_LOAD',
  serviceName: 'ollama-phi',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'dev',
  model: 'phi:latest',
  gpu: { count: 2 },
  ingress: { enabled: true, host: 'text.example.com' },
  container: { replicas: 2, resourcePreset: 'small' },
};

describe('switchWorkloadType', () => {
  it('keeps the common values and puts the rest aside', () => {
    const { value, stash } = switchWorkloadType(
      ollama,
      'BASIC_CONTAINER_LOAD',
      {},
    );
    expect(value).toEqual({
      workloadType: 'BASIC_CONTAINER_LOAD',
      serviceName: 'ollama-phi',
      serviceCatalog: 'ml-inference',
      namespace: 'ml-workloads',
      environment: 'dev',
      ingress: { enabled: true, host: 'text.example.com' },
      container: { replicas: 2, resourcePreset: 'small' },
    });
    expect(stash.OLLAMA_INFERENCE_LOAD).toBe(ollama);
  });

  it('brings back what only the other type had, under the values the user sees now', () => {
    const first = switchWorkloadType(ollama, 'BASIC_CONTAINER_LOAD', {});
    const edited = {
      ...first.value,
      serviceName: 'renamed',
      container: { replicas: 3, image: 'ghcr.io/a/b:1', port: 9000 },
    };
    const back = switchWorkloadType(
      edited,
      'OLLAMA_INFERENCE_LOAD',
      first.stash,
    );
    expect(back.value).toEqual({
      workloadType: 'OLLAMA_INFERENCE_LOAD',
      serviceName: 'renamed',
      serviceCatalog: 'ml-inference',
      namespace: 'ml-workloads',
      environment: 'dev',
      model: 'phi:latest',
      gpu: { count: 2 },
      ingress: { enabled: true, host: 'text.example.com' },
      // replicas and image are the user's current ones; the port has no place in an Ollama container
      container: { replicas: 3, image: 'ghcr.io/a/b:1' },
    });
    // and the port comes back when they return to the container type
    const again = switchWorkloadType(
      back.value,
      'BASIC_CONTAINER_LOAD',
      back.stash,
    );
    expect(again.value.container).toEqual({
      replicas: 3,
      image: 'ghcr.io/a/b:1',
      port: 9000,
    });
  });

  it('drops a value whose type differs between workload types (model string vs object)', () => {
    const ml = switchWorkloadType(ollama, 'ML_INFERENCE_LOAD', {});
    expect(ml.value.model).toBeUndefined();
    expect(ml.value.gpu).toEqual({ count: 2 });
    const withId = {
      ...ml.value,
      model: { id: 'mistralai/Mistral-7B-Instruct-v0.3' },
    };
    const back = switchWorkloadType(withId, 'OLLAMA_INFERENCE_LOAD', ml.stash);
    expect(back.value.model).toBe('phi:latest');
  });

  it('starts a type from nothing', () => {
    expect(switchWorkloadType({}, 'STATEFUL_CONTAINER_LOAD', {}).value).toEqual(
      {
        workloadType: 'STATEFUL_CONTAINER_LOAD',
      },
    );
  });
});

describe('pruneToSchema and notCoveredBy', () => {
  const schema = formSchemasFor('BASIC_CONTAINER_LOAD').schema as Record<
    string,
    any
  >;
  it('are complements on objects', () => {
    const value = {
      serviceName: 'a',
      model: 'phi',
      container: { port: 80, unknown: 1 },
    };
    expect(pruneToSchema(value, schema)).toEqual({
      serviceName: 'a',
      container: { port: 80 },
    });
    expect(notCoveredBy(value, schema)).toEqual({
      model: 'phi',
      container: { unknown: 1 },
    });
  });
  it('checks enums, constants and list items', () => {
    expect(
      pruneToSchema({ container: { resourcePreset: 'huge' } }, schema),
    ).toEqual({ container: {} });
    expect(
      pruneToSchema({ workloadType: 'OLLAMA_INFERENCE_LOAD' }, schema),
    ).toEqual({});
    expect(pruneToSchema({ container: { args: ['a', 1] } }, schema)).toEqual({
      container: {},
    });
    expect(pruneToSchema({ container: { args: ['a', 'b'] } }, schema)).toEqual({
      container: { args: ['a', 'b'] },
    });
  });
});
