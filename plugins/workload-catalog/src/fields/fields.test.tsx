import type { FieldProps } from '@rjsf/utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeApi } from '../__testUtils__/fakeApi';
import { renderLoaded } from '../__testUtils__/render';
import { GpuCountPickerField } from './GpuCountPicker';
import { OllamaModelPickerField } from './OllamaModelPicker';
import { WorkloadConfigField } from './WorkloadConfig';

/** The props the scaffolder's form gives a field extension (outside WorkloadConfigForm). */
function fieldProps<T>(overrides: Partial<FieldProps<T>>): FieldProps<T> {
  return {
    name: 'field',
    schema: { type: 'string' },
    uiSchema: {},
    idSchema: { $id: 'root_field' } as FieldProps<T>['idSchema'],
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    registry: {
      formContext: { formData: {} },
    } as unknown as FieldProps<T>['registry'],
    ...overrides,
  } as FieldProps<T>;
}

// MUI and RJSF in jsdom on a busy 2-core machine need time.
jest.setTimeout(30_000);

describe('field extensions on their own (in a plain template)', () => {
  it('OllamaModelPicker asks the backend for suggestions and adds the template’s own', async () => {
    const { api, calls } = fakeApi();
    const onChange = jest.fn();
    await renderLoaded(
      <OllamaModelPickerField
        {...fieldProps<string>({
          name: 'model',
          schema: { type: 'string', title: 'Model' },
          onChange,
          uiSchema: { 'ui:options': { models: ['tinyllama:1.1b'] } },
        })}
      />,
      api,
    );
    await userEvent.click(screen.getByRole('combobox', { name: 'Model' }));
    const options = await screen.findAllByRole('option');
    expect(
      options.map(o => o.textContent?.split(/[0-9.]+ GiB|suggested|on the/)[0]),
    ).toEqual(['tinyllama:1.1b', 'phi:latest', 'llama3.1:8b', 'qwen2.5:72b']);
    await userEvent.click(options[1]);
    expect(onChange).toHaveBeenCalledWith(
      'phi:latest',
      undefined,
      'root_field',
    );
    expect(calls.suggestions).toBe(1);
  });

  it('OllamaModelPicker checks free text itself and explains a backend that is down', async () => {
    await renderLoaded(
      <OllamaModelPickerField
        {...fieldProps<string>({
          formData: 'a b',
          schema: { type: 'string', title: 'Model' },
        })}
      />,
      fakeApi({ suggestions: new Error('502 Bad Gateway') }).api,
    );
    expect(
      await screen.findByText(
        /Model suggestions are not available \(502 Bad Gateway\)/,
      ),
    ).toBeInTheDocument();
    fireEvent.blur(screen.getByRole('combobox', { name: 'Model' }));
    expect(
      await screen.findByText(/must be an Ollama model reference/),
    ).toBeInTheDocument();
  });

  it('OllamaModelPicker says why the Ollama server’s models are missing', async () => {
    const { api } = fakeApi({
      suggestions: {
        models: [],
        sources: {
          config: { status: 'ok' },
          ollama: {
            status: 'unavailable',
            message: 'http://ollama:11434 did not answer within 3000 ms',
          },
        },
      },
    });
    await renderLoaded(
      <OllamaModelPickerField
        {...fieldProps<string>({ schema: { type: 'string', title: 'Model' } })}
      />,
      api,
    );
    expect(
      await screen.findByText(
        "The Ollama server's models are not listed: http://ollama:11434 did not answer within 3000 ms",
      ),
    ).toBeInTheDocument();
  });

  it('GpuCountPicker takes its maximum from the backend, lowered by ui:options', async () => {
    const onChange = jest.fn();
    const props = fieldProps<number>({
      schema: { type: 'integer', title: 'GPUs', default: 1 },
      onChange,
    });
    const { unmount } = await renderLoaded(
      <GpuCountPickerField {...props} />,
      fakeApi().api,
    );
    await waitFor(() =>
      expect(screen.getByRole('slider', { name: 'GPUs' })).toHaveAttribute(
        'aria-valuemax',
        '4',
      ),
    );
    fireEvent.change(screen.getByRole('slider', { name: 'GPUs' }), {
      target: { value: 2 },
    });
    expect(onChange).toHaveBeenCalledWith(2, undefined, 'root_field');
    unmount();
    await renderLoaded(
      <GpuCountPickerField
        {...props}
        uiSchema={{ 'ui:options': { max: 2 } }}
      />,
      fakeApi().api,
    );
    await waitFor(() =>
      expect(screen.getByRole('slider', { name: 'GPUs' })).toHaveAttribute(
        'aria-valuemax',
        '2',
      ),
    );
  });

  it('GpuCountPicker works without the plugin’s API (schema defaults)', async () => {
    await renderLoaded(
      <GpuCountPickerField
        {...fieldProps<number>({
          schema: { type: 'integer', title: 'GPUs' },
          formData: 3,
        })}
      />,
      null,
    );
    expect(screen.getByRole('slider', { name: 'GPUs' })).toHaveAttribute(
      'aria-valuemax',
      '8',
    );
    expect(screen.getByRole('slider', { name: 'GPUs' })).toHaveAttribute(
      'aria-valuenow',
      '3',
    );
  });

  it('WorkloadConfig offers the types of ui:options and shows every problem after a failed "Next"', async () => {
    const onChange = jest.fn();
    const props = fieldProps<Record<string, unknown>>({
      idSchema: { $id: 'root_leaf' } as FieldProps<
        Record<string, unknown>
      >['idSchema'],
      schema: { type: 'object' },
      onChange,
      uiSchema: {
        'ui:options': {
          workloadTypes: ['OLLAMA_INFERENCE_LOAD'],
          showPreview: false,
        },
      },
    });
    const { rerender } = await renderLoaded(
      <WorkloadConfigField {...props} />,
      fakeApi().api,
    );
    expect(onChange).toHaveBeenCalledWith(
      { workloadType: 'OLLAMA_INFERENCE_LOAD' },
      undefined,
      'root_leaf',
    );
    expect(
      screen.getByRole('textbox', { name: /service name/i }),
    ).toHaveAttribute('id', 'root_leaf_serviceName');
    expect(screen.queryByTestId('yaml-preview')).not.toBeInTheDocument();
    expect(screen.queryByText('is required')).not.toBeInTheDocument();
    rerender(
      <WorkloadConfigField
        {...props}
        formData={{ workloadType: 'OLLAMA_INFERENCE_LOAD' }}
        rawErrors={['serviceName: is required']}
      />,
    );
    expect(await screen.findAllByText('is required')).toHaveLength(5);
  });

  it('WorkloadConfig starts from the template’s default and hands it to the form data at once', async () => {
    const onChange = jest.fn();
    const leaf = {
      workloadType: 'OLLAMA_INFERENCE_LOAD',
      serviceCatalog: 'ml-inference',
      model: 'phi:latest',
    };
    await renderLoaded(
      <WorkloadConfigField
        {...fieldProps<Record<string, unknown>>({
          idSchema: { $id: 'root_leaf' } as FieldProps<
            Record<string, unknown>
          >['idSchema'],
          schema: { type: 'object', default: leaf },
          onChange,
        })}
      />,
      fakeApi().api,
    );
    expect(screen.getByRole('textbox', { name: /catalog/i })).toHaveValue(
      'ml-inference',
    );
    expect(onChange).toHaveBeenCalledWith(leaf, undefined, 'root_leaf');
  });

  it('WorkloadConfig takes the owner and catalog from the template’s OwnerPicker and System EntityPicker', async () => {
    const onChange = jest.fn();
    const leaf = {
      workloadType: 'OLLAMA_INFERENCE_LOAD',
      serviceCatalog: 'typed-by-hand',
      model: 'phi:latest',
    };
    const props = (formData: Record<string, unknown>) =>
      fieldProps<Record<string, unknown>>({
        idSchema: { $id: 'root_leaf' } as FieldProps<
          Record<string, unknown>
        >['idSchema'],
        schema: { type: 'object', default: leaf },
        formData: leaf,
        onChange,
        uiSchema: {
          'ui:options': { ownerParameter: 'owner', catalogParameter: 'system' },
        },
        registry: {
          formContext: { formData },
        } as unknown as FieldProps<Record<string, unknown>>['registry'],
      });
    const { rerender } = await renderLoaded(
      <WorkloadConfigField
        {...props({
          owner: 'group:default/ml-platform',
          system: 'system:default/ml-inference',
        })}
      />,
      fakeApi().api,
    );
    // The leaf keeps plain names: the System's name, the owner's full ref.
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        {
          ...leaf,
          serviceCatalog: 'ml-inference',
          owner: 'group:default/ml-platform',
        },
        undefined,
        'root_leaf',
      ),
    );
    const catalog = screen.getByRole('textbox', { name: /catalog/i });
    expect(catalog).toHaveValue('ml-inference');
    expect(catalog).toBeDisabled(); // RJSF's MUI theme renders read-only fields disabled
    // Another System picked: the leaf follows without an edit in the form.
    rerender(
      <WorkloadConfigField
        {...props({
          owner: 'group:default/ml-platform',
          system: 'system:default/shop',
        })}
      />,
    );
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ serviceCatalog: 'shop' }),
        undefined,
        'root_leaf',
      ),
    );
  });

  it('WorkloadConfig leaves the catalog editable while the picker is empty', async () => {
    await renderLoaded(
      <WorkloadConfigField
        {...fieldProps<Record<string, unknown>>({
          idSchema: { $id: 'root_leaf' } as FieldProps<
            Record<string, unknown>
          >['idSchema'],
          schema: {
            type: 'object',
            default: { workloadType: 'OLLAMA_INFERENCE_LOAD' },
          },
          uiSchema: { 'ui:options': { catalogParameter: 'system' } },
        })}
      />,
      fakeApi().api,
    );
    expect(screen.getByRole('textbox', { name: /catalog/i })).toBeEnabled();
  });
});
