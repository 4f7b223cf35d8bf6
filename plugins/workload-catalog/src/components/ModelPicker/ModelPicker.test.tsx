import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parseOllamaRef } from '@workload-catalog/plugin-workload-catalog-common';
import { useState } from 'react';
import { SUGGESTIONS } from '../../__testUtils__/fakeApi';
import { ModelPicker, type ModelPickerProps } from './ModelPicker';
import { describeNeeds, formatSize } from './describeModel';

function Harness(
  props: Partial<ModelPickerProps> & { onValue?: (v?: string) => void },
) {
  const [value, setValue] = useState<string | undefined>(props.value);
  return (
    <ModelPicker
      id="model"
      label="Model"
      suggestions={SUGGESTIONS.models}
      {...props}
      value={value}
      onChange={v => {
        setValue(v);
        props.onValue?.(v);
      }}
    />
  );
}

// MUI and RJSF in jsdom on a busy 2-core machine need time.
jest.setTimeout(30_000);

describe('ModelPicker', () => {
  it('lists the suggestions with their size, parameters and what they need', async () => {
    render(<Harness />);
    await userEvent.click(screen.getByRole('combobox', { name: 'Model' }));
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      expect.stringContaining('phi:latest1.5 GiB'),
      expect.stringContaining(
        'llama3.1:8b4.6 GiB8.0B paramsQ4_K_Mon the Ollama server',
      ),
      expect.stringContaining('qwen2.5:72b44.1 GiB'),
    ]);
    expect(options[0]).toHaveTextContent('Small and fast');
    // phi: 1.5 GiB of weights + 2.5 GiB of KV cache (2048 tokens × 4 slots) + overhead
    expect(options[0]).toHaveTextContent(
      /needs ~4\.5 GiB of GPU memory: fits on 1 GPU of 24 GiB · preset small: 2Gi–6Gi RAM/,
    );
    expect(options[2]).toHaveTextContent(
      /: fits on 4 GPUs of 24 GiB · larger than every preset: set container resources/,
    );
  });

  it('picks a suggestion', async () => {
    const onPick = jest.fn();
    const onValue = jest.fn();
    render(<Harness onPick={onPick} onValue={onValue} />);
    await userEvent.type(
      screen.getByRole('combobox', { name: 'Model' }),
      'llama',
    );
    await userEvent.click(
      await screen.findByRole('option', { name: /llama3\.1:8b/ }),
    );
    expect(onValue).toHaveBeenLastCalledWith('llama3.1:8b');
    expect(onPick).toHaveBeenCalledWith(SUGGESTIONS.models[1]);
    expect(screen.getByTestId('model-needs')).toHaveTextContent(
      `4.6 GiB · ${describeNeeds(SUGGESTIONS.models[1])}`,
    );
  });

  it('takes free text, and says an unknown model has no known size', async () => {
    const onValue = jest.fn();
    render(<Harness onValue={onValue} />);
    await userEvent.type(
      screen.getByRole('combobox', { name: 'Model' }),
      'hf.co/org/model:Q4_K_M',
    );
    expect(onValue).toHaveBeenLastCalledWith('hf.co/org/model:Q4_K_M');
    expect(screen.getByTestId('model-needs')).toHaveTextContent(
      'Not in the suggested list: its size is unknown',
    );
  });

  it('checks free text as an Ollama reference after the field is left, with the parser’s message', async () => {
    render(<Harness checkFreeText />);
    const input = screen.getByRole('combobox', { name: 'Model' });
    await userEvent.type(input, 'https://ollama.com/phi');
    const message = (
      parseOllamaRef('https://ollama.com/phi') as { error: string }
    ).error;
    expect(screen.queryByText(message)).not.toBeInTheDocument();
    fireEvent.blur(input);
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });

  it('limits to the suggestions when free text is not allowed: other text is dropped on leaving', async () => {
    const onValue = jest.fn();
    render(<Harness allowArbitraryValues={false} onValue={onValue} />);
    const input = screen.getByRole('combobox', { name: 'Model' });
    await userEvent.type(input, 'mystery:1b');
    fireEvent.blur(input);
    expect(onValue).toHaveBeenLastCalledWith(undefined);
    expect(input).toHaveValue('');
  });

  it('shows given errors, the error state and a notice', () => {
    render(<Harness errors={['bad']} notice="The Ollama server is down" />);
    expect(screen.getByText('bad')).toBeInTheDocument();
    expect(screen.getByText('The Ollama server is down')).toBeInTheDocument();
    render(
      <ModelPicker
        id="m2"
        label="Other"
        suggestions={[]}
        onChange={jest.fn()}
        error
      />,
    );
    expect(screen.getByRole('combobox', { name: 'Other' })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
  });

  it('clears the value', async () => {
    const onValue = jest.fn();
    render(<Harness value="phi:latest" onValue={onValue} />);
    await userEvent.clear(screen.getByRole('combobox', { name: 'Model' }));
    expect(onValue).toHaveBeenLastCalledWith(undefined);
  });

  it('formats sizes as people read them', () => {
    expect(formatSize(1.6e9)).toBe('1.5 GiB');
    expect(formatSize(512 * 2 ** 20)).toBe('512 MiB');
    expect(describeNeeds({ ref: 'x:1', source: 'config' })).toBeUndefined();
  });
});
