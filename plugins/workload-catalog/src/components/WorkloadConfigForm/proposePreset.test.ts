import { SUGGESTIONS } from '../../__testUtils__/fakeApi';
import { proposePreset } from './proposePreset';

const base = { workloadType: 'OLLAMA_INFERENCE_LOAD' };
const models = SUGGESTIONS.models;

describe('proposePreset', () => {
  it('writes the preset of a picked model when the user chose no resources', () => {
    const r = proposePreset(
      base,
      { ...base, model: 'llama3.1:8b' },
      models,
      false,
    );
    expect(r.value.container).toEqual({ resourcePreset: 'medium' });
    expect(r.autoPreset).toBe(true);
    expect(r.proposal).toEqual({
      model: 'llama3.1:8b',
      preset: 'medium',
      applied: true,
    });
  });

  it('replaces its own earlier proposal, and finds "phi" as "phi:latest"', () => {
    const prev = {
      ...base,
      model: 'llama3.1:8b',
      container: { resourcePreset: 'medium', replicas: 2 },
    };
    const r = proposePreset(prev, { ...prev, model: 'phi' }, models, true);
    expect(r.value.container).toEqual({ resourcePreset: 'small', replicas: 2 });
  });

  it('only proposes when the user set resources or a preset themselves', () => {
    const own = { ...base, container: { resourcePreset: 'large' } };
    const r = proposePreset(
      own,
      { ...own, model: 'phi:latest' },
      models,
      false,
    );
    expect(r.value).toEqual({ ...own, model: 'phi:latest' });
    expect(r.proposal).toEqual({
      model: 'phi:latest',
      preset: 'small',
      applied: false,
    });
    const explicit = {
      ...base,
      container: { resources: { limits: { memory: '4Gi' } } },
    };
    expect(
      proposePreset(explicit, { ...explicit, model: 'phi' }, models, true)
        .proposal?.applied,
    ).toBe(false);
  });

  it('does nothing for unknown models, models too large for a preset, other types or unchanged models', () => {
    expect(
      proposePreset(base, { ...base, model: 'mystery:1b' }, models, false)
        .proposal,
    ).toBeUndefined();
    expect(
      proposePreset(base, { ...base, model: 'qwen2.5:72b' }, models, false)
        .value.container,
    ).toBeUndefined();
    const ml = { workloadType: 'ML_INFERENCE_LOAD' };
    expect(
      proposePreset(ml, { ...ml, model: 'phi' }, models, false).value,
    ).toEqual({ ...ml, model: 'phi' });
    const same = { ...base, model: 'phi' };
    expect(
      proposePreset(same, { ...same }, models, false).proposal,
    ).toBeUndefined();
  });
});
