import { workloadStatusFacts } from '@workload-catalog/plugin-workload-catalog-common/testUtils';
import { render, screen } from '@testing-library/react';
import {
  buildWorkloadStatus,
  type WorkloadStatusFacts,
} from '@workload-catalog/plugin-workload-catalog-common';
import { describeReplicas, WorkloadStatusCard } from './WorkloadStatusCard';

const facts = (over: Partial<WorkloadStatusFacts> = {}): WorkloadStatusFacts =>
  workloadStatusFacts({
    generatedAt: '2026-11-27T10:29:00Z',
    ...over,
  });

const deployment = { kind: 'Deployment', name: 'ollama-phi' };

describe('the replicas on the status card', () => {
  it('shows ready of desired, and the running pods when they differ', () => {
    render(
      <WorkloadStatusCard
        status={buildWorkloadStatus(
          facts({
            replicas: { ...deployment, desired: 3, current: 2, ready: 1 },
          }),
        )}
      />,
    );
    const line = screen.getByTestId('workload-replicas');
    expect(line).toHaveTextContent(
      'Replicas: 1/3 ready, 2 running (Deployment ollama-phi)',
    );
    expect(line).toHaveAttribute('data-ready', '1');
    expect(line).toHaveAttribute('data-desired', '3');
  });

  it('says when the autoscaler scaled the workload to zero', () => {
    expect(
      describeReplicas({ ...deployment, desired: 0, current: 0, ready: 0 }),
    ).toBe(
      'scaled to zero (Deployment ollama-phi): the next request starts a replica',
    );
    expect(
      describeReplicas({ ...deployment, desired: 2, current: 2, ready: 2 }),
    ).toBe('2/2 ready (Deployment ollama-phi)');
  });

  it('shows no line when the backend does not know the replicas', () => {
    render(<WorkloadStatusCard status={buildWorkloadStatus(facts())} />);
    expect(screen.queryByTestId('workload-replicas')).toBeNull();
  });
});
