import { render, screen, within } from '@testing-library/react';
import {
  buildWorkloadStatus,
  type ModelStatus,
  type WorkloadStatusFacts,
} from '@workload-catalog/plugin-workload-catalog-common';
import { describeExpiry, WorkloadModels } from './WorkloadModels';
import { WorkloadStatusCard } from './WorkloadStatusCard';

const NOW = Date.parse('2026-11-27T10:30:00Z');

const facts = (models: ModelStatus[]): WorkloadStatusFacts => ({
  entityRef: 'component:default/support-assistant-prod',
  workload: {
    workloadType: 'OLLAMA_INFERENCE_LOAD',
    serviceName: 'support-assistant',
    serviceCatalog: 'ml-inference',
    environment: 'prod',
    namespace: 'ml-workloads',
    leafPath: 'catalog/ml-inference/prod/support-assistant.yaml',
    source: 'merged',
    models: models.map(m => m.ref),
  },
  sources: {
    github: { state: 'ok' },
    argocd: { state: 'ok' },
    ollama: { state: 'ok' },
  },
  models,
  generatedAt: '2026-11-27T10:29:00Z',
});

const rows = () =>
  screen.getAllByTestId('workload-model').map(row => ({
    model: row.getAttribute('data-model'),
    text: row.textContent,
  }));

describe('WorkloadModels', () => {
  it('shows per model whether it is pulled and loaded, with when it leaves memory', () => {
    render(
      <WorkloadStatusCard
        status={buildWorkloadStatus(
          facts([
            {
              ref: 'support-bot:latest',
              pulled: true,
              loaded: true,
              expiresAt: '2318-08-07T12:00:00.000Z',
            },
            {
              ref: 'nomic-embed-text:v1.5',
              pulled: true,
              loaded: true,
              expiresAt: '2026-11-27T11:00:00.000Z',
            },
            { ref: 'llama3.2:3b', pulled: true, loaded: false },
            { ref: 'mistral:7b', pulled: false, loaded: false },
          ]),
        )}
        now={NOW}
      />,
    );
    const list = screen.getByRole('list', { name: 'Models' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(4);
    expect(rows()).toEqual([
      {
        model: 'support-bot:latest',
        text: 'support-bot:latestpulledloadedkept in memory',
      },
      {
        model: 'nomic-embed-text:v1.5',
        text: 'nomic-embed-text:v1.5pulledloadeduntil 27 Nov 2026, 11:00 UTC',
      },
      { model: 'llama3.2:3b', text: 'llama3.2:3bpullednot loaded' },
      { model: 'mistral:7b', text: 'mistral:7bnot pullednot loaded' },
    ]);
    const [first] = screen.getAllByTestId('workload-model');
    expect(first.getAttribute('data-pulled')).toBe('true');
    expect(first.getAttribute('data-loaded')).toBe('true');
  });

  it('shows no model list when the model server did not answer', () => {
    const status = buildWorkloadStatus({
      ...facts([]),
      models: undefined,
      sources: {
        github: { state: 'ok' },
        argocd: { state: 'ok' },
        ollama: { state: 'unavailable', message: 'connection refused' },
      },
    });
    render(<WorkloadStatusCard status={status} now={NOW} />);
    expect(screen.queryByRole('list', { name: 'Models' })).toBeNull();
    render(<WorkloadModels models={[]} />);
    expect(screen.queryByRole('list', { name: 'Models' })).toBeNull();
  });

  it('describes the expiry: forever, a time, or nothing when unknown', () => {
    expect(describeExpiry('2318-08-07T12:00:00Z', NOW)).toBe('kept in memory');
    expect(describeExpiry('2026-11-27T10:35:00Z', NOW)).toBe(
      'until 27 Nov 2026, 10:35 UTC',
    );
    expect(describeExpiry(undefined, NOW)).toBe('');
    expect(describeExpiry('soon', NOW)).toBe('');
  });
});
