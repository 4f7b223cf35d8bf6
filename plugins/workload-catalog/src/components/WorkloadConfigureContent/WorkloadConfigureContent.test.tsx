import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { WorkloadConfigurationCurrent } from '@workload-catalog/plugin-workload-catalog-common';
import { fakeApi } from '../../__testUtils__/fakeApi';
import { renderLoaded, renderWithApi } from '../../__testUtils__/render';
import { WorkloadConfigureContent } from './WorkloadConfigureContent';

// RJSF renders the whole form per change; jsdom on a busy 2-core machine needs time.
jest.setTimeout(30_000);

const SEED = {
  workloadType: 'OLLAMA_INFERENCE_LOAD',
  serviceName: 'ollama-phi',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'dev',
  model: 'phi:latest',
  gpu: { count: 1 },
};

const current = (
  over: Partial<WorkloadConfigurationCurrent> = {},
): WorkloadConfigurationCurrent => ({
  leaf: SEED,
  yaml: '',
  leafPath: 'catalog/ml-inference/dev/ollama-phi.yaml',
  ref: 'main',
  canEdit: true,
  ...over,
});

const saveButton = () =>
  screen.getByRole('button', { name: 'Open update pull request' });
const gpus = () => screen.getByRole('slider', { name: 'GPUs' });
const setGpus = (n: number) =>
  fireEvent.change(gpus(), { target: { value: n } });

describe('WorkloadConfigureContent', () => {
  it('fills the form with the current leaf and opens an update pull request with the change', async () => {
    const onSave = jest.fn().mockResolvedValue({
      pullRequestUrl: 'https://gh.example/acme/catalog/pull/3',
      pullRequestNumber: 3,
      branch: 'workload-catalog/catalog/ml-inference/dev/ollama-phi',
      leafPath: 'catalog/ml-inference/dev/ollama-phi.yaml',
      title: 'Update ollama-phi in dev: phi:latest on 2 GPUs',
    });
    const onSaved = jest.fn();
    await renderLoaded(
      <WorkloadConfigureContent
        current={current()}
        onSave={onSave}
        onSaved={onSaved}
      />,
      fakeApi().api,
    );
    expect(screen.getByRole('textbox', { name: /service name/i })).toHaveValue(
      'ollama-phi',
    );
    expect(
      screen.queryByRole('combobox', { name: 'Workload type' }),
    ).not.toBeInTheDocument();
    expect(gpus()).toHaveAttribute('aria-valuenow', '1');
    expect(saveButton()).toBeDisabled();
    expect(
      screen.getByText('Change a field to propose an update.'),
    ).toBeInTheDocument();

    setGpus(2);
    await waitFor(() => expect(gpus()).toHaveAttribute('aria-valuenow', '2'));
    await waitFor(() => expect(saveButton()).toBeEnabled());
    fireEvent.click(saveButton());
    expect(
      await screen.findByText('Pull request #3 opened'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'Update ollama-phi in dev: phi:latest on 2 GPUs',
      }),
    ).toHaveAttribute('href', 'https://gh.example/acme/catalog/pull/3');
    expect(onSave).toHaveBeenCalledWith(
      expect.objectContaining({ gpu: { count: 2 }, serviceName: 'ollama-phi' }),
    );
    expect(onSaved).toHaveBeenCalledWith(
      expect.objectContaining({ pullRequestNumber: 3 }),
    );
    expect(saveButton()).toBeDisabled();
  });

  it('edits a leaf written with the list form of container.environment, and saves the mapping', async () => {
    const onSave = jest.fn().mockResolvedValue({
      pullRequestUrl: 'https://gh.example/acme/catalog/pull/4',
      pullRequestNumber: 4,
      branch: 'b',
      leafPath: 'catalog/ml-inference/dev/ollama-phi.yaml',
      title: 'Update ollama-phi',
    });
    await renderLoaded(
      <WorkloadConfigureContent
        current={current({
          leaf: {
            ...SEED,
            container: {
              replicas: 1,
              environment: [{ name: 'OLLAMA_KEEP_ALIVE', value: '24h' }],
            },
          },
        })}
        onSave={onSave}
      />,
      fakeApi().api,
    );
    expect(saveButton()).toBeDisabled();
    setGpus(2);
    await waitFor(() => expect(saveButton()).toBeEnabled());
    fireEvent.click(saveButton());
    expect(
      await screen.findByText('Pull request #4 opened'),
    ).toBeInTheDocument();
    expect(onSave).toHaveBeenCalledWith(
      expect.objectContaining({
        gpu: { count: 2 },
        container: expect.objectContaining({
          environment: { OLLAMA_KEEP_ALIVE: '24h' },
        }),
      }),
    );
  });

  it("shows the backend's reason when the pull request is not opened", async () => {
    const onSave = jest
      .fn()
      .mockRejectedValue(
        new Error(
          'You are not allowed to propose ollama-phi in environment "dev"',
        ),
      );
    await renderLoaded(
      <WorkloadConfigureContent current={current()} onSave={onSave} />,
      fakeApi().api,
    );
    setGpus(2);
    await waitFor(() => expect(saveButton()).toBeEnabled());
    fireEvent.click(saveButton());
    expect(
      await screen.findByText('The pull request was not opened'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'You are not allowed to propose ollama-phi in environment "dev"',
      ),
    ).toBeInTheDocument();
    expect(saveButton()).toBeEnabled();
  });

  it('does not save while a pull request is open, or without the permission', async () => {
    const { unmount } = await renderLoaded(
      <WorkloadConfigureContent
        current={current({
          openPullRequest: { number: 5, url: 'https://gh.example/pull/5' },
        })}
        onSave={jest.fn()}
      />,
      fakeApi().api,
    );
    expect(screen.getByRole('link', { name: '#5' })).toHaveAttribute(
      'href',
      'https://gh.example/pull/5',
    );
    expect(saveButton()).toBeDisabled();
    unmount();
    await renderLoaded(
      <WorkloadConfigureContent
        current={current({ canEdit: false })}
        onSave={jest.fn()}
      />,
      fakeApi().api,
    );
    expect(
      screen.getByText(/You may see this configuration but not change it/),
    ).toBeInTheDocument();
    expect(saveButton()).toBeDisabled();
  });

  it('shows loading and a load failure', () => {
    const { rerender } = renderWithApi(
      <WorkloadConfigureContent loading onSave={jest.fn()} />,
      fakeApi().api,
    );
    expect(
      screen.getByRole('progressbar', { name: 'Loading the configuration' }),
    ).toBeInTheDocument();
    rerender(
      <WorkloadConfigureContent
        error={new Error('404: not on main')}
        onSave={jest.fn()}
      />,
    );
    expect(
      screen.getByText('The configuration could not be loaded'),
    ).toBeInTheDocument();
    expect(screen.getByText('404: not on main')).toBeInTheDocument();
  });
});
