import { validateLeaf } from '@workload-catalog/plugin-workload-catalog-common';
import { fieldId, isVisible, toErrorSchema } from './leafErrors';

describe('leafErrors', () => {
  it('places each message at its field', () => {
    expect(
      toErrorSchema([
        { path: ['ingress', 'host'], message: 'bad host' },
        { path: ['ingress', 'host'], message: 'second' },
        { path: ['container', 'secrets', 0, 'name'], message: 'twice' },
        { path: [], message: 'root' },
      ]),
    ).toEqual({
      __errors: ['root'],
      ingress: { host: { __errors: ['bad host', 'second'] } },
      container: { secrets: { 0: { name: { __errors: ['twice'] } } } },
    });
  });

  it('shows an issue once its field, or a field inside it, has been left', () => {
    const host = { path: ['ingress', 'host'], message: 'x' };
    const storage = { path: ['modelStorage', 'size'], message: 'y' };
    const section = { path: ['container'], message: 'z' };
    const touched = new Set(['root_ingress_host', 'root_container_replicas']);
    expect(isVisible(host, touched)).toBe(true);
    expect(isVisible(storage, touched)).toBe(false);
    expect(isVisible(section, touched)).toBe(true);
    expect(isVisible(host, new Set(['root_ingress_hostname']))).toBe(false);
    expect(fieldId(['a', 0, 'b'], 'root_leaf')).toBe('root_leaf_a_0_b');
  });

  it('carries the common package messages unchanged', () => {
    const { issues } = validateLeaf({
      workloadType: 'OLLAMA_INFERENCE_LOAD',
      serviceName: 'Bad_Name',
      serviceCatalog: 'ml',
      namespace: 'ml',
      environment: 'dev',
      model: 'phi',
    });
    const schema = toErrorSchema(issues) as any;
    expect(schema.serviceName.__errors).toEqual(
      issues.filter(i => i.path[0] === 'serviceName').map(i => i.message),
    );
  });
});
