/* An Ollama workload the autoscaler scaled to zero: no server to ask, by design. */
import { workloadStatusFacts } from '../testUtils';
import { buildWorkloadStatus } from './timeline';
import type { WorkloadStatusFacts } from './workloadStatus';

const MERGE = 'abcdef0123456789abcdef0123456789abcdef01';

const facts = (over: Partial<WorkloadStatusFacts> = {}): WorkloadStatusFacts =>
  workloadStatusFacts({
    sources: {
      github: { state: 'ok' },
      argocd: { state: 'ok' },
      ollama: {
        state: 'unavailable',
        message:
          'Ollama at http://ollama-phi.ml-workloads.svc is not reachable',
      },
    },
    pullRequest: {
      number: 7,
      title: 'Add ollama-phi in dev',
      url: 'https://gh.example/acme/catalog/pull/7',
      state: 'merged',
      draft: false,
      kind: 'create',
      createdAt: '2026-11-27T10:00:00Z',
      mergedAt: '2026-11-27T10:05:00Z',
      mergeCommitSha: MERGE,
      reviews: [],
      requestedReviewers: [],
    },
    argocd: {
      name: 'ml-inference.dev.ollama-phi',
      namespace: 'argocd',
      syncStatus: 'Synced',
      revision: MERGE,
      healthStatus: 'Healthy',
      healthSince: '2026-11-27T10:08:00Z',
      conditions: [],
      deploysPullRequest: true,
    },
    generatedAt: '2026-11-27T10:29:00Z',
    ...over,
  });

const modelStep = (f: WorkloadStatusFacts) =>
  buildWorkloadStatus(f).steps.find(s => s.id === 'model-pulled');

describe('a workload scaled to zero', () => {
  it('skips the model step with why, and is ready', () => {
    const status = buildWorkloadStatus(
      facts({
        replicas: {
          kind: 'Deployment',
          name: 'ollama-phi',
          desired: 0,
          current: 0,
          ready: 0,
        },
      }),
    );
    expect(status.steps.find(s => s.id === 'model-pulled')).toMatchObject({
      state: 'skipped',
      message:
        'Scaled to zero: the next request starts a replica, which loads the models (a cold start)',
    });
    expect(status.phase).toBe('ready');
  });

  it('is not known while a replica still runs, or without replica counts', () => {
    expect(
      modelStep(
        facts({
          replicas: {
            kind: 'Deployment',
            name: 'ollama-phi',
            desired: 0,
            current: 1,
            ready: 1,
          },
        }),
      )?.state,
    ).toBe('unknown');
    expect(modelStep(facts())).toMatchObject({
      state: 'unknown',
      message:
        'Ollama: Ollama at http://ollama-phi.ml-workloads.svc is not reachable',
    });
  });
});
