import { workloadStatusFacts } from '@workload-catalog/plugin-workload-catalog-common/testUtils';
import { fireEvent, render, screen, within } from '@testing-library/react';
import {
  buildWorkloadStatus,
  type WorkloadStatusFacts,
} from '@workload-catalog/plugin-workload-catalog-common';
import { formatAgo, formatTime } from './format';
import { WorkloadStatusCard } from './WorkloadStatusCard';

const NOW = Date.parse('2026-11-27T10:30:00Z');
const MERGE = 'abcdef0123456789abcdef0123456789abcdef01';

const facts = (over: Partial<WorkloadStatusFacts> = {}): WorkloadStatusFacts =>
  workloadStatusFacts({
    pullRequest: {
      number: 7,
      title: 'Add ollama-phi in dev: phi:latest on 1 GPU',
      url: 'https://gh.example/acme/catalog/pull/7',
      state: 'merged',
      draft: false,
      kind: 'create',
      createdAt: '2026-11-27T10:00:00Z',
      mergedAt: '2026-11-27T10:05:00Z',
      mergeCommitSha: MERGE,
      mergeCommitUrl: `https://gh.example/acme/catalog/commit/${MERGE}`,
      reviews: [
        { user: 'bob', state: 'APPROVED', submittedAt: '2026-11-27T10:04:00Z' },
      ],
      requestedReviewers: [],
    },
    argocd: {
      name: 'ml-inference.dev.ollama-phi',
      namespace: 'argocd',
      url: 'https://argocd.example/applications/argocd/ml-inference.dev.ollama-phi',
      syncStatus: 'Synced',
      revision: MERGE,
      healthStatus: 'Healthy',
      healthSince: '2026-11-27T10:08:00Z',
      operation: { phase: 'Succeeded', finishedAt: '2026-11-27T10:06:30Z' },
      conditions: [],
      deploysPullRequest: true,
    },
    models: [
      {
        ref: 'phi:latest',
        pulled: true,
        loaded: true,
        pulledAt: '2026-11-27T10:07:00Z',
      },
    ],
    generatedAt: '2026-11-27T10:29:00Z',
    ...over,
  });

const step = (id: string) => screen.getByTestId(`step-${id}`);

describe('WorkloadStatusCard', () => {
  it('shows a ready workload: the summary, every step with its time, and links', () => {
    render(
      <WorkloadStatusCard status={buildWorkloadStatus(facts())} now={NOW} />,
    );
    expect(
      screen.getByRole('heading', { name: 'Deployment status' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('workload-status-summary')).toHaveTextContent(
      'Ready',
    );
    expect(
      screen.getByText('Checked 27 Nov 2026, 10:29 UTC'),
    ).toBeInTheDocument();
    const timeline = screen.getByRole('list', { name: 'Deployment timeline' });
    expect(
      within(timeline)
        .getAllByRole('listitem')
        .map(li => li.getAttribute('aria-label')),
    ).toEqual([
      'Pull request opened: done',
      'Reviewed: done',
      'Merged: done',
      'Argo CD synced: done',
      'Healthy: done',
      'Model pulled: done',
      'Ready: done',
    ]);
    expect(
      within(step('pr-opened')).getByRole('link', { name: '#7' }),
    ).toHaveAttribute('href', 'https://gh.example/acme/catalog/pull/7');
    expect(
      within(step('pr-merged')).getByRole('link', { name: 'abcdef0' }),
    ).toHaveAttribute(
      'href',
      `https://gh.example/acme/catalog/commit/${MERGE}`,
    );
    expect(
      within(step('argocd-synced')).getByRole('link', {
        name: 'ml-inference.dev.ollama-phi',
      }),
    ).toHaveAttribute('target', '_blank');
    expect(step('pr-merged')).toHaveTextContent(
      '27 Nov 2026, 10:05 UTC · 25 min ago',
    );
    expect(step('pr-reviewed')).toHaveTextContent('Approved by bob');
    expect(step('model-pulled')).toHaveTextContent(
      'phi:latest on the server; in memory: phi:latest',
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Status sources' }),
    ).not.toBeInTheDocument();
  });

  it('shows "PR open" with the later steps waiting', () => {
    const status = buildWorkloadStatus(
      facts({
        workload: { ...facts().workload, source: 'proposed' },
        pullRequest: {
          ...facts().pullRequest!,
          state: 'open',
          mergedAt: undefined,
          mergeCommitSha: undefined,
          reviews: [],
        },
        argocd: null,
        models: undefined,
      }),
    );
    render(<WorkloadStatusCard status={status} now={NOW} />);
    expect(screen.getByTestId('workload-status-summary')).toHaveTextContent(
      'PR open',
    );
    expect(screen.getByTestId('workload-status-summary')).toHaveAttribute(
      'data-phase',
      'pr-open',
    );
    expect(step('pr-reviewed')).toHaveAttribute(
      'aria-label',
      'Reviewed: in progress',
    );
    expect(step('pr-reviewed')).toHaveTextContent('Waiting for a review');
    expect(step('argocd-synced')).toHaveAttribute(
      'aria-label',
      'Argo CD synced: waiting',
    );
    expect(step('ready')).toHaveAttribute('aria-label', 'Ready: waiting');
  });

  it('says clearly why a step failed: a degraded app', () => {
    const status = buildWorkloadStatus(
      facts({
        argocd: {
          ...(facts().argocd as any),
          healthStatus: 'Degraded',
          healthMessage:
            'Deployment ollama-phi: Back-off pulling image "ollama/ollama:0.12.3"',
        },
      }),
    );
    render(<WorkloadStatusCard status={status} now={NOW} />);
    expect(screen.getByTestId('workload-status-summary')).toHaveTextContent(
      'Degraded: Deployment ollama-phi: Back-off pulling image "ollama/ollama:0.12.3"',
    );
    expect(within(step('healthy')).getByRole('alert')).toHaveTextContent(
      'Degraded: Deployment ollama-phi: Back-off pulling image',
    );
    expect(step('healthy')).toHaveAttribute('aria-label', 'Healthy: failed');
    expect(step('ready')).toHaveAttribute('aria-label', 'Ready: failed');
  });

  it('names each source that could not answer, and why', () => {
    const status = buildWorkloadStatus(
      facts({
        argocd: undefined,
        models: undefined,
        sources: {
          github: { state: 'ok' },
          argocd: {
            state: 'unconfigured',
            message:
              'not configured (workloadCatalog.status.argocd.baseUrl and token)',
          },
          ollama: {
            state: 'unavailable',
            message:
              'http://ollama-phi.ml-workloads.svc:11434/api/tags did not answer within 5000 ms',
          },
          tgi: {
            state: 'unconfigured',
            message: 'turned off (workloadCatalog.status.tgi.enabled: false)',
          },
        },
      }),
    );
    render(<WorkloadStatusCard status={status} now={NOW} />);
    const notes = screen.getByRole('list', { name: 'Status sources' });
    expect(
      within(notes)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'Argo CD unconfigured: not configured (workloadCatalog.status.argocd.baseUrl and token)',
      'Ollama unavailable: http://ollama-phi.ml-workloads.svc:11434/api/tags did not answer within 5000 ms',
      'Text Generation Inference unconfigured: turned off (workloadCatalog.status.tgi.enabled: false)',
    ]);
    expect(step('argocd-synced')).toHaveAttribute(
      'aria-label',
      'Argo CD synced: unknown',
    );
    expect(screen.getByTestId('workload-status-summary')).toHaveAttribute(
      'data-phase',
      'merged',
    );
  });

  it("lists the leaf's problems when the leaf is invalid", () => {
    const status = buildWorkloadStatus(
      facts({
        leafErrors: [
          {
            path: 'gpu.count',
            message: 'must be a whole number of GPUs; got 1.5',
            line: 8,
            column: 10,
          },
          { path: 'replica', message: 'is not a field' },
        ],
      }),
    );
    render(<WorkloadStatusCard status={status} now={NOW} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(
      'The leaf catalog/ml-inference/dev/ollama-phi.yaml is not valid',
    );
    expect(alert).toHaveTextContent(
      'line 8: gpu.count: must be a whole number of GPUs; got 1.5',
    );
    expect(alert).toHaveTextContent('replica: is not a field');
  });

  it('shows loading, an error, and refreshes on request', () => {
    const onRefresh = jest.fn();
    const { rerender } = render(
      <WorkloadStatusCard loading onRefresh={onRefresh} />,
    );
    expect(
      screen.getByRole('progressbar', { name: 'Loading the status' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Refresh the status' }),
    ).toBeDisabled();
    rerender(
      <WorkloadStatusCard
        error={new Error('Request failed with 403 Forbidden')}
        onRefresh={onRefresh}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The status could not be loadedRequest failed with 403 Forbidden',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Refresh the status' }));
    expect(onRefresh).toHaveBeenCalledTimes(1);
    rerender(<WorkloadStatusCard />);
    expect(screen.getByText('No status yet.')).toBeInTheDocument();
  });
});

describe('time formats', () => {
  it('writes times in UTC and how long ago', () => {
    expect(formatTime('2026-01-05T07:03:00Z')).toBe('5 Jan 2026, 07:03 UTC');
    expect(formatTime('not a time')).toBe('not a time');
    const at = '2026-11-27T10:00:00Z';
    expect(formatAgo(at, Date.parse(at) + 20_000)).toBe('just now');
    expect(formatAgo(at, Date.parse(at) + 5 * 60_000)).toBe('5 min ago');
    expect(formatAgo(at, Date.parse(at) + 3 * 3600_000)).toBe('3 h ago');
    expect(formatAgo(at, Date.parse(at) + 72 * 3600_000)).toBe('3 days ago');
    expect(formatAgo('x', 0)).toBeUndefined();
  });
});
