import {
  WORKLOAD_TYPES,
  leafJsonSchema,
} from '@workload-catalog/plugin-workload-catalog-common';
import {
  describeWorkloadType,
  formSchemasFor,
  humanize,
  toFormSchema,
} from './formSchema';

const walk = (node: unknown, visit: (n: Record<string, unknown>) => void) => {
  if (Array.isArray(node)) node.forEach(n => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach(n => walk(n, visit));
  }
};

describe('toFormSchema', () => {
  it('leaves out what only validates, so RJSF draws no option pickers', () => {
    const out = toFormSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'x',
      type: 'object',
      properties: {
        storage: {
          type: 'object',
          properties: {
            size: { type: 'string' },
            existingClaim: { type: 'string' },
          },
          oneOf: [{ required: ['size'] }, { required: ['existingClaim'] }],
        },
        ingress: {
          type: 'object',
          properties: {
            enabled: { type: 'boolean' },
            host: { type: 'string', examples: ['a.example.com'] },
          },
          if: { properties: { enabled: { const: true } } },
          then: { required: ['host'] },
        },
        container: {
          type: 'object',
          not: { required: ['resources', 'resourcePreset'] },
        },
        environment: {
          type: 'object',
          propertyNames: { pattern: '^[A-Z_]+$' },
        },
      },
    });
    expect(out).toEqual({
      type: 'object',
      properties: {
        storage: {
          type: 'object',
          title: 'Storage',
          properties: {
            size: { type: 'string', title: 'Size' },
            existingClaim: { type: 'string', title: 'Existing claim' },
          },
        },
        ingress: {
          type: 'object',
          title: 'Ingress',
          properties: {
            enabled: { type: 'boolean', title: 'Enabled' },
            host: { type: 'string', title: 'Host' },
          },
        },
        container: { type: 'object', title: 'Container' },
        environment: { type: 'object', title: 'Environment' },
      },
    });
  });

  it('turns a quantity (string or number) into a text field and constants into an enum', () => {
    expect(
      toFormSchema({
        description: 'Memory',
        anyOf: [
          { type: 'string', pattern: '^[0-9]+Gi$' },
          { type: 'number', minimum: 0 },
        ],
      }),
    ).toEqual({ description: 'Memory', type: 'string' });
    expect(
      toFormSchema({
        anyOf: [
          { type: 'number', const: 0 },
          { type: 'number', const: 1 },
        ],
      }),
    ).toEqual({
      enum: [0, 1],
      type: 'number',
    });
  });

  it('edits container.environment as the mapping printLeaf writes, not as a choice of two forms', () => {
    for (const type of WORKLOAD_TYPES) {
      const container = (formSchemasFor(type).schema.properties as any)
        .container;
      const env = container.properties.environment;
      expect(env.anyOf).toBeUndefined();
      expect(env).toMatchObject({ type: 'object', title: 'Environment' });
      expect(env.additionalProperties).toEqual(expect.any(Object));
      // the generated schema itself offers both forms
      const generated = (leafJsonSchema(type).properties as any).container
        .properties.environment;
      expect(generated.anyOf.map((b: any) => b.type)).toEqual([
        'object',
        'array',
      ]);
    }
  });

  it('keeps a oneOf that offers real alternatives', () => {
    const alternatives = {
      oneOf: [
        { type: 'object', properties: { a: { type: 'string' } } },
        { type: 'string' },
      ],
    };
    expect(toFormSchema(alternatives).oneOf).toHaveLength(2);
  });

  it('leaves no validation-only keyword in any generated schema', () => {
    for (const type of WORKLOAD_TYPES) {
      const { schema } = formSchemasFor(type);
      walk(schema, n => {
        for (const k of [
          'if',
          'then',
          'not',
          'propertyNames',
          '$schema',
          '$id',
          'examples',
        ])
          expect(n).not.toHaveProperty(k);
        for (const k of ['oneOf', 'anyOf']) {
          if (Array.isArray(n[k]))
            throw new Error(
              `${type}: ${k} left in ${JSON.stringify(n).slice(0, 200)}`,
            );
        }
      });
    }
  });
});

describe('formSchemasFor', () => {
  it('gives the same objects every time (one compile, stable RJSF caches)', () => {
    expect(formSchemasFor('OLLAMA_INFERENCE_LOAD')).toBe(
      formSchemasFor('OLLAMA_INFERENCE_LOAD'),
    );
  });

  it('uses the generated uiSchema: the pickers on the model and the GPU count, the type hidden', () => {
    const { schema, uiSchema } = formSchemasFor('OLLAMA_INFERENCE_LOAD');
    expect(uiSchema.model['ui:field']).toBe('OllamaModelPicker');
    expect(uiSchema.gpu.count['ui:field']).toBe('GpuCountPicker');
    expect(uiSchema.workloadType['ui:widget']).toBe('hidden');
    expect(uiSchema['ui:submitButtonOptions']).toEqual({ norender: true });
    expect(schema.title).toBeUndefined(); // shown by the type choice instead
    expect(Object.keys(schema.properties!)).toEqual(
      Object.keys(leafJsonSchema('OLLAMA_INFERENCE_LOAD').properties),
    );
  });

  it('turns environment and namespace into choices when the platform lists them, once per policy', () => {
    const policy = {
      environments: ['dev', 'prod'],
      namespaces: ['ml-workloads'],
    };
    const a = formSchemasFor('OLLAMA_INFERENCE_LOAD', policy);
    expect((a.schema.properties as any).environment.enum).toEqual([
      'dev',
      'prod',
    ]);
    expect((a.schema.properties as any).namespace.enum).toEqual([
      'ml-workloads',
    ]);
    expect(a.uiSchema.namespace['ui:placeholder']).toBe('Choose a namespace');
    expect(a.uiSchema.environment['ui:placeholder']).toBe(
      'Choose an environment',
    );
    expect(formSchemasFor('OLLAMA_INFERENCE_LOAD', { ...policy })).toBe(a);
    expect(formSchemasFor('OLLAMA_INFERENCE_LOAD', {})).toBe(
      formSchemasFor('OLLAMA_INFERENCE_LOAD'),
    );
    expect(
      (formSchemasFor('OLLAMA_INFERENCE_LOAD').schema.properties as any)
        .environment.enum,
    ).toBeUndefined();
  });

  it('describes each workload type from its schema', () => {
    expect(describeWorkloadType('OLLAMA_INFERENCE_LOAD')).toEqual({
      title: 'Ollama inference service',
      description:
        'An Ollama server with its models pulled and verified before it takes traffic',
    });
  });
});

describe('humanize', () => {
  it.each([
    ['resourcePreset', 'Resource preset'],
    ['top_p', 'Top p'],
    ['tls', 'TLS'],
    ['cpu', 'CPU'],
    ['existingClaim', 'Existing claim'],
  ])('%s -> %s', (key, label) => expect(humanize(key)).toBe(label));
});
