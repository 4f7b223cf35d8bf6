import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  generatedArtifacts,
  leafJsonSchema,
  unionJsonSchema,
  leafUiSchema,
  leafUiSchemas,
  workloadTypeInfo,
} from './artifacts';
import { WORKLOAD_TYPES } from '../schema/base';

const root = path.resolve(__dirname, '../../../..');

describe('generated artifacts', () => {
  const artifacts = generatedArtifacts();

  it.each(Object.keys(artifacts))(
    '%s is committed and up to date (run `yarn generate`)',
    rel => {
      const file = path.join(root, rel);
      expect(fs.existsSync(file)).toBe(true);
      expect(fs.readFileSync(file, 'utf8')).toBe(artifacts[rel]);
    },
  );

  it('has a JSON Schema for every workload type and one for the union', () => {
    for (const type of WORKLOAD_TYPES) {
      const schema = leafJsonSchema(type);
      expect(schema.properties.workloadType).toEqual({
        type: 'string',
        const: type,
      });
      expect(schema.additionalProperties).toBe(false);
    }
    expect(unionJsonSchema().oneOf).toHaveLength(WORKLOAD_TYPES.length);
  });

  it('gives each type’s title and description as its JSON Schema has them', () => {
    for (const type of WORKLOAD_TYPES) {
      const { title, description } = leafJsonSchema(type);
      expect(title).toEqual(expect.any(String));
      expect(workloadTypeInfo(type)).toEqual({ title, description });
      expect(leafUiSchema(type)).toEqual(leafUiSchemas()[type]);
    }
  });

  it('produces JSON Schemas that a standard validator compiles', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    expect(() => ajv.compile(unionJsonSchema())).not.toThrow();
  });

  it('uses only RE2-compatible patterns (Helm checks them with Go regexp)', () => {
    const patterns: string[] = [];
    JSON.stringify(unionJsonSchema(), (key, value) => {
      if (key === 'pattern') patterns.push(value);
      return value;
    });
    expect(patterns.length).toBeGreaterThan(10);
    for (const p of patterns) {
      // lookaround and backreferences are the JavaScript features RE2 lacks
      expect(p).not.toMatch(/\(\?[=!<]|\\[1-9]/);
    }
  });

  it('marks the model picker and the GPU slider in the uiSchema', () => {
    const ui = leafUiSchemas();
    expect(ui.OLLAMA_INFERENCE_LOAD.model['ui:field']).toBe(
      'OllamaModelPicker',
    );
    expect(ui.OLLAMA_INFERENCE_LOAD.additionalModels.items['ui:field']).toBe(
      'OllamaModelPicker',
    );
    expect(ui.OLLAMA_INFERENCE_LOAD.gpu.count['ui:field']).toBe(
      'GpuCountPicker',
    );
    expect(ui.ML_INFERENCE_LOAD.gpu.count['ui:field']).toBe('GpuCountPicker');
    expect(ui.BASIC_CONTAINER_LOAD.gpu).toBeUndefined();
    expect(ui.OLLAMA_INFERENCE_LOAD['ui:order'].slice(0, 6)).toEqual([
      'workloadType',
      'serviceName',
      'serviceCatalog',
      'namespace',
      'environment',
      'owner',
    ]);
    expect(ui.OLLAMA_INFERENCE_LOAD.workloadType['ui:widget']).toBe('hidden');
  });
});
