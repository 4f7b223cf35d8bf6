import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { validateLeaf } from '@workload-catalog/plugin-workload-catalog-common';
import { fakeApi, FORM_OPTIONS } from '../../__testUtils__/fakeApi';
import { renderLoaded } from '../../__testUtils__/render';
import { seedLeaf } from '@workload-catalog/plugin-workload-catalog-common/testUtils';
import { WorkloadConfigForm } from './WorkloadConfigForm';

const SEED = seedLeaf();

const preview = () => screen.getByTestId('yaml-preview').textContent ?? '';
const lastLeaf = (onChange: jest.Mock) =>
  onChange.mock.calls[onChange.mock.calls.length - 1][0];

async function chooseType(name: RegExp) {
  await userEvent.click(
    screen.getByRole('combobox', { name: 'Workload type' }),
  );
  await userEvent.click(await screen.findByRole('option', { name }));
}

// RJSF re-renders the whole form per keystroke; jsdom on a busy 2-core machine needs time.
jest.setTimeout(30_000);

/** Types into a field as a paste (one change), then leaves it. */
async function typeValue(input: HTMLElement, text: string) {
  await userEvent.clear(input);
  await userEvent.click(input);
  await userEvent.paste(text);
}

describe('WorkloadConfigForm', () => {
  it('shows only the type choice until a type is chosen, then that type’s sections', async () => {
    await renderLoaded(<WorkloadConfigForm />, fakeApi().api);
    expect(
      screen.queryByRole('textbox', { name: /service name/i }),
    ).not.toBeInTheDocument();
    expect(preview()).toBe('# choose a workload type\n');
    await chooseType(/Ollama inference service/);
    expect(
      screen.getByRole('textbox', { name: /service name/i }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('combobox', { name: /^model/i }),
    ).toBeInTheDocument();
    expect(screen.getByRole('slider', { name: 'GPUs' })).toBeInTheDocument();
    expect(
      screen.queryByRole('textbox', { name: /^image/i }),
    ).toBeInTheDocument(); // optional for Ollama
    expect(
      screen.queryByRole('spinbutton', { name: /port/i }),
    ).not.toBeInTheDocument();
  });

  it('switching types keeps the common values and shows the new sections', async () => {
    const onChange = jest.fn();
    await renderLoaded(
      <WorkloadConfigForm value={SEED} onChange={onChange} />,
      fakeApi().api,
    );
    expect(screen.getByRole('textbox', { name: /service name/i })).toHaveValue(
      'ollama-phi',
    );
    await chooseType(/Stateful container/);
    expect(screen.getByRole('textbox', { name: /service name/i })).toHaveValue(
      'ollama-phi',
    );
    expect(screen.getByRole('textbox', { name: /namespace/i })).toHaveValue(
      'ml-workloads',
    );
    expect(
      screen.queryByRole('combobox', { name: /^model/i }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('slider', { name: 'GPUs' }),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('section-root_storage')).toBeInTheDocument();
    expect(lastLeaf(onChange)).toMatchObject({
      workloadType: 'STATEFUL_CONTAINER_LOAD',
      serviceName: 'ollama-phi',
      ingress: { enabled: true, host: 'text.hypermedia.au' },
    });
    expect(lastLeaf(onChange)).not.toHaveProperty('model');
    // and back: the model comes back
    await chooseType(/Ollama inference service/);
    expect(screen.getByRole('combobox', { name: /^model/i })).toHaveValue(
      'phi:latest',
    );
  });

  it('previews the leaf as YAML and reports it valid', async () => {
    await renderLoaded(<WorkloadConfigForm value={SEED} />, fakeApi().api);
    await waitFor(() =>
      expect(screen.getByTestId('leaf-status')).toHaveTextContent('Valid leaf'),
    );
    expect(preview()).toContain(
      'workloadType: OLLAMA_INFERENCE_LOAD\nserviceName: ollama-phi\n',
    );
    expect(preview()).toContain('  host: text.hypermedia.au\n');
  });

  it('shows the common package’s message under a bad host name once the field is left, and clears it when fixed', async () => {
    const onChange = jest.fn();
    await renderLoaded(
      <WorkloadConfigForm value={SEED} onChange={onChange} />,
      fakeApi().api,
    );
    const host = screen.getByRole('textbox', { name: /^host/i });
    await typeValue(host, 'https://text.example.com/');
    const expected = validateLeaf({
      ...SEED,
      ingress: { enabled: true, host: 'https://text.example.com/' },
    }).issues;
    expect(expected).toHaveLength(1);
    // not while typing into a field never left
    expect(screen.queryByText(expected[0].message)).not.toBeInTheDocument();
    fireEvent.blur(host);
    expect(await screen.findByText(expected[0].message)).toBeInTheDocument();
    expect(screen.getByTestId('leaf-status')).toHaveTextContent(
      '1 problem to fix',
    );
    await typeValue(host, 'text.example.com');
    await waitFor(() =>
      expect(screen.queryByText(expected[0].message)).not.toBeInTheDocument(),
    );
    expect(lastLeaf(onChange).ingress).toEqual({
      enabled: true,
      host: 'text.example.com',
    });
  });

  it('shows every problem when asked (after "Next"), with the paths of the missing fields in the status', async () => {
    const { rerender } = await renderLoaded(
      <WorkloadConfigForm workloadTypes={['OLLAMA_INFERENCE_LOAD']} />,
      fakeApi().api,
    );
    await waitFor(() =>
      expect(screen.getByTestId('leaf-status')).toHaveTextContent(
        '5 problems to fix (fields not filled in yet: serviceName, serviceCatalog, namespace, environment, model)',
      ),
    );
    expect(screen.queryByText('is required')).not.toBeInTheDocument();
    rerender(
      <WorkloadConfigForm
        workloadTypes={['OLLAMA_INFERENCE_LOAD']}
        showAllErrors
      />,
    );
    expect(screen.getAllByText('is required')).toHaveLength(5);
  });

  it('checks against the platform policy from the backend', async () => {
    await renderLoaded(
      <WorkloadConfigForm
        value={{ ...SEED, environment: 'staging' }}
        showAllErrors
      />,
      fakeApi().api,
    );
    expect(
      await screen.findByText('must be one of dev, prod; got "staging"'),
    ).toBeInTheDocument();
    expect(screen.getByRole('slider', { name: 'GPUs' })).toHaveAttribute(
      'aria-valuemax',
      String(FORM_OPTIONS.policy.maxGpuCount),
    );
  });

  it('falls back to the schema’s limits when the backend does not answer', async () => {
    const { api } = fakeApi({
      options: new Error('503'),
      suggestions: new Error('backend down'),
    });
    await renderLoaded(<WorkloadConfigForm value={SEED} />, api);
    expect(
      await screen.findByText(
        /Model suggestions are not available \(backend down\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('slider', { name: 'GPUs' })).toHaveAttribute(
      'aria-valuemax',
      '8',
    );
  });

  it('picking a model proposes its resource preset', async () => {
    const onChange = jest.fn();
    await renderLoaded(
      <WorkloadConfigForm
        value={{ workloadType: 'OLLAMA_INFERENCE_LOAD' }}
        onChange={onChange}
      />,
      fakeApi().api,
    );
    const model = screen.getByRole('combobox', { name: /^model/i });
    await userEvent.click(model);
    await userEvent.type(model, 'llama');
    await userEvent.click(
      await screen.findByRole('option', { name: /llama3\.1:8b/ }),
    );
    expect(screen.getByTestId('preset-proposal')).toHaveTextContent(
      'Resource preset set for llama3.1:8b: medium',
    );
    expect(lastLeaf(onChange)).toMatchObject({
      model: 'llama3.1:8b',
      container: { resourcePreset: 'medium' },
    });
    expect(preview()).toContain('resourcePreset: medium');
    expect(screen.getByTestId('root_model-needs')).toHaveTextContent('4.6 GiB');
  });

  it('shows the GPU-memory breakdown of every declared model and recommends a GPU count from it', async () => {
    await renderLoaded(
      <WorkloadConfigForm
        value={{
          ...SEED,
          model: 'llama3.1:8b',
          additionalModels: ['phi'],
          container: {
            ...SEED.container,
            environment: [{ name: 'OLLAMA_CONTEXT_LENGTH', value: '8192' }],
          },
        }}
      />,
      fakeApi().api,
    );
    const breakdown = screen.getByTestId('gpu-memory-breakdown');
    // llama3.1:8b: 8192 tokens × the chart's 4 slots × 128 KiB = 4 GiB of KV cache;
    // phi: its trained 2048 tokens × 4 × 320 KiB = 2.5 GiB
    expect(breakdown).toHaveTextContent(
      'llama3.1:8b: weights 4.6 GiB + KV cache 4.0 GiB (8192 tokens × 4 slots)',
    );
    expect(breakdown).toHaveTextContent(
      'phi:latest: weights 1.5 GiB + KV cache 2.5 GiB (2048 tokens × 4 slots) (context capped at what the model was trained for)',
    );
    expect(breakdown).toHaveTextContent(
      'GPU memory at 1 GPU: fits on 1 GPU of 24 GiB',
    );
  });

  it('recommends more GPUs when the models do not fit on the chosen count', async () => {
    await renderLoaded(
      <WorkloadConfigForm
        value={{
          ...SEED,
          model: 'qwen2.5:72b',
          container: {
            ...SEED.container,
            environment: {
              OLLAMA_CONTEXT_LENGTH: 4096,
              OLLAMA_NUM_PARALLEL: 1,
            },
          },
        }}
      />,
      fakeApi().api,
    );
    const breakdown = screen.getByTestId('gpu-memory-breakdown');
    expect(breakdown).toHaveTextContent(
      'GPU memory at 1 GPU: does not fit on 1 GPU of 24 GiB',
    );
    // 44.1 GiB of weights + 1.25 GiB of KV cache + 2 × 0.75 GiB overhead < 48 GiB
    expect(breakdown).toHaveTextContent('The models fit on 2 GPUs of 24 GiB.');
    expect(
      screen.getByText(
        /The chosen model needs about 2 GPUs to fit in GPU memory/,
      ),
    ).toBeInTheDocument();
  });

  it('offers the preset when the user chose resources, and applies it on request', async () => {
    const onChange = jest.fn();
    await renderLoaded(
      <WorkloadConfigForm
        value={{ ...SEED, model: 'mystery:1b' }}
        onChange={onChange}
      />,
      fakeApi().api,
    );
    const model = screen.getByRole('combobox', { name: /^model/i });
    await typeValue(model, 'llama3.1:8b');
    const proposal = await screen.findByTestId('preset-proposal');
    expect(proposal).toHaveTextContent(
      'llama3.1:8b fits the "medium" preset; you chose resources yourself.',
    );
    expect(lastLeaf(onChange).container.resources).toBeDefined();
    await userEvent.click(
      within(proposal).getByRole('button', { name: 'Use medium' }),
    );
    expect(lastLeaf(onChange).container).toEqual({
      replicas: 1,
      resourcePreset: 'medium',
    });
  });

  it('sets the GPU count with the slider', async () => {
    const onChange = jest.fn();
    await renderLoaded(
      <WorkloadConfigForm value={SEED} onChange={onChange} />,
      fakeApi().api,
    );
    fireEvent.change(screen.getByRole('slider', { name: 'GPUs' }), {
      target: { value: 3 },
    });
    expect(lastLeaf(onChange).gpu).toEqual({ count: 3 });
    expect(preview()).toContain('gpu:\n  count: 3\n');
  });

  it('takes a new value from outside, and not its own value back', async () => {
    const onChange = jest.fn();
    const { rerender } = await renderLoaded(
      <WorkloadConfigForm value={SEED} onChange={onChange} />,
      fakeApi().api,
    );
    const name = screen.getByRole('textbox', { name: /service name/i });
    await userEvent.type(name, 'x');
    rerender(
      <WorkloadConfigForm value={lastLeaf(onChange)} onChange={onChange} />,
    );
    expect(name).toHaveValue('ollama-phix');
    rerender(
      <WorkloadConfigForm
        value={{ ...SEED, serviceName: 'other' }}
        onChange={onChange}
      />,
    );
    expect(screen.getByRole('textbox', { name: /service name/i })).toHaveValue(
      'other',
    );
  });

  it('emits the default type at once, and offers only the allowed types', async () => {
    const onChange = jest.fn();
    await renderLoaded(
      <WorkloadConfigForm
        workloadTypes={['BASIC_CONTAINER_LOAD', 'BASIC_CONTAINER_ROLLOUT']}
        defaultWorkloadType="BASIC_CONTAINER_ROLLOUT"
        onChange={onChange}
      />,
      fakeApi().api,
    );
    expect(onChange).toHaveBeenCalledWith({
      workloadType: 'BASIC_CONTAINER_ROLLOUT',
    });
    await userEvent.click(
      screen.getByRole('combobox', { name: 'Workload type' }),
    );
    expect(
      (await screen.findAllByRole('option')).map(o => o.textContent),
    ).toEqual([
      expect.stringMatching(/^Container service/),
      expect.stringMatching(/^Progressive rollout service/),
    ]);
  });
});
