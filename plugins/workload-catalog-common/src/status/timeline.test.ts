import { workloadStatusFacts } from '../testUtils';
import { buildWorkloadStatus } from './timeline';
import type {
  ArgoCdInfo,
  ModelStatus,
  PullRequestInfo,
  WorkloadStatusFacts,
} from './workloadStatus';

const MERGE = 'abcdef0123456789abcdef0123456789abcdef01';

const pr = (over: Partial<PullRequestInfo> = {}): PullRequestInfo => ({
  number: 7,
  title: 'Add ollama-phi in dev: phi:latest on 1 GPU',
  url: 'https://gh.example/acme/catalog/pull/7',
  state: 'open',
  draft: false,
  kind: 'create',
  author: 'jane',
  createdAt: '2026-11-27T10:00:00Z',
  reviews: [],
  requestedReviewers: [],
  ...over,
});

const merged = (over: Partial<PullRequestInfo> = {}) =>
  pr({
    state: 'merged',
    mergedAt: '2026-11-27T10:05:00Z',
    closedAt: '2026-11-27T10:05:00Z',
    mergeCommitSha: MERGE,
    mergeCommitUrl: `https://gh.example/acme/catalog/commit/${MERGE}`,
    reviews: [
      { user: 'bob', state: 'APPROVED', submittedAt: '2026-11-27T10:04:00Z' },
    ],
    ...over,
  });

const app = (over: Partial<ArgoCdInfo> = {}): ArgoCdInfo => ({
  name: 'ollama-phi-dev',
  namespace: 'argocd',
  url: 'https://argocd.example/applications/argocd/ollama-phi-dev',
  syncStatus: 'Synced',
  revision: MERGE,
  healthStatus: 'Healthy',
  healthSince: '2026-11-27T10:08:00Z',
  operation: {
    phase: 'Succeeded',
    startedAt: '2026-11-27T10:06:00Z',
    finishedAt: '2026-11-27T10:06:30Z',
  },
  conditions: [],
  deploysPullRequest: true,
  ...over,
});

const facts = (over: Partial<WorkloadStatusFacts> = {}): WorkloadStatusFacts =>
  workloadStatusFacts({
    pullRequest: merged(),
    argocd: app(),
    models: [
      {
        ref: 'phi:latest',
        pulled: true,
        loaded: true,
        pulledAt: '2026-11-27T10:07:00Z',
      },
    ],
    generatedAt: '2026-11-27T10:10:00Z',
    ...over,
  });

const states = (f: WorkloadStatusFacts) =>
  Object.fromEntries(buildWorkloadStatus(f).steps.map(s => [s.id, s.state]));

describe('buildWorkloadStatus', () => {
  it('is Ready when merged, synced to the merge, healthy and every model is on the server', () => {
    const status = buildWorkloadStatus(facts());
    expect(status.phase).toBe('ready');
    expect(status.summary).toBe('Ready');
    expect(status.steps.map(s => [s.id, s.state, s.at])).toEqual([
      ['pr-opened', 'done', '2026-11-27T10:00:00Z'],
      ['pr-reviewed', 'done', '2026-11-27T10:04:00Z'],
      ['pr-merged', 'done', '2026-11-27T10:05:00Z'],
      ['argocd-synced', 'done', '2026-11-27T10:06:30Z'],
      ['healthy', 'done', '2026-11-27T10:08:00Z'],
      ['model-pulled', 'done', '2026-11-27T10:07:00Z'],
      ['ready', 'done', '2026-11-27T10:08:00Z'],
    ]);
    const byId = Object.fromEntries(status.steps.map(s => [s.id, s]));
    expect(byId['pr-opened'].link).toEqual({
      url: 'https://gh.example/acme/catalog/pull/7',
      title: '#7',
    });
    expect(byId['pr-reviewed'].message).toBe('Approved by bob');
    expect(byId['pr-merged'].link?.title).toBe('abcdef0');
    expect(byId['argocd-synced'].link?.url).toBe(
      'https://argocd.example/applications/argocd/ollama-phi-dev',
    );
    expect(byId['model-pulled'].message).toBe(
      'phi:latest on the server; in memory: phi:latest',
    );
  });

  it('shows "PR open" while the pull request waits, with the later steps pending', () => {
    const status = buildWorkloadStatus(
      facts({
        workload: { ...facts().workload, source: 'proposed' },
        pullRequest: pr({ requestedReviewers: ['bob'] }),
        argocd: null,
        models: undefined,
      }),
    );
    expect(status.summary).toBe('PR open');
    expect(status.phase).toBe('pr-open');
    expect(states(status)).toEqual({
      'pr-opened': 'done',
      'pr-reviewed': 'active',
      'pr-merged': 'pending',
      'argocd-synced': 'pending',
      healthy: 'pending',
      'model-pulled': 'pending',
      ready: 'pending',
    });
    expect(status.steps[1].message).toBe('Waiting for a review from bob');
  });

  it('names an update, a draft, an approval ready to merge, and requested changes', () => {
    expect(
      buildWorkloadStatus(facts({ pullRequest: pr({ kind: 'update' }) }))
        .summary,
    ).toBe('Update PR open');
    const draft = buildWorkloadStatus(
      facts({ pullRequest: pr({ draft: true }) }),
    );
    expect(draft.summary).toBe('Draft PR open');
    expect(draft.steps[1].message).toBe('Draft: mark it ready for review');
    const approved = buildWorkloadStatus(
      facts({
        pullRequest: pr({
          reviews: [
            { user: 'bob', state: 'COMMENTED' },
            {
              user: 'bob',
              state: 'APPROVED',
              submittedAt: '2026-11-27T10:03:00Z',
            },
          ],
        }),
      }),
    );
    expect(states(approved)['pr-merged']).toBe('active');
    expect(approved.steps[2].message).toBe('Approved: ready to merge');
    const changes = buildWorkloadStatus(
      facts({
        pullRequest: pr({
          reviews: [
            {
              user: 'bob',
              state: 'APPROVED',
              submittedAt: '2026-11-27T10:01:00Z',
            },
            {
              user: 'eve',
              state: 'CHANGES_REQUESTED',
              submittedAt: '2026-11-27T10:02:00Z',
              url: 'https://gh.example/r/1',
            },
          ],
        }),
      }),
    );
    expect(changes.summary).toBe('PR open: changes requested');
    expect(changes.steps[1]).toMatchObject({
      state: 'failed',
      message: 'Changes requested by eve',
      link: { url: 'https://gh.example/r/1' },
    });
    expect(states(changes).ready).toBe('failed');
  });

  it('reports a pull request closed without merging', () => {
    const status = buildWorkloadStatus(
      facts({
        pullRequest: pr({ state: 'closed', closedAt: '2026-11-27T11:00:00Z' }),
      }),
    );
    expect(status.phase).toBe('pr-closed');
    expect(status.summary).toBe('PR closed without merging');
    expect(states(status)['pr-merged']).toBe('failed');
    expect(states(status)['pr-reviewed']).toBe('skipped');
  });

  it('waits for the ApplicationSet, then for the sync of the merge commit', () => {
    const noApp = buildWorkloadStatus(
      facts({ argocd: null, models: undefined }),
    );
    expect(noApp.phase).toBe('deploying');
    expect(noApp.summary).toBe(
      'Deploying: Waiting for Argo CD: the ApplicationSet has not created the Application yet',
    );
    const old = buildWorkloadStatus(
      facts({
        argocd: app({ revision: '1234567890', deploysPullRequest: false }),
      }),
    );
    expect(old.steps[3]).toMatchObject({
      state: 'active',
      message: 'Synced to 1234567, which does not have the change of #7 yet',
    });
    expect(states(old).healthy).toBe('pending');
    const syncing = buildWorkloadStatus(
      facts({
        argocd: app({
          syncStatus: 'OutOfSync',
          operation: {
            phase: 'Running',
            revision: MERGE,
            startedAt: '2026-11-27T10:06:00Z',
          },
        }),
      }),
    );
    expect(syncing.steps[3]).toMatchObject({
      state: 'active',
      message: 'Syncing abcdef0',
    });
    const outOfSync = buildWorkloadStatus(
      facts({ argocd: app({ syncStatus: 'OutOfSync', operation: undefined }) }),
    );
    expect(outOfSync.steps[3].message).toBe(
      'Out of sync with abcdef0: waiting for the sync',
    );
    const unknown = buildWorkloadStatus(
      facts({ argocd: app({ syncStatus: 'Unknown', operation: undefined }) }),
    );
    expect(unknown.steps[3].message).toBe(
      'Argo CD has not compared the Application with Git yet',
    );
  });

  it('reports a failed sync and error conditions with their messages', () => {
    const failed = buildWorkloadStatus(
      facts({
        argocd: app({
          syncStatus: 'OutOfSync',
          operation: {
            phase: 'Failed',
            message: 'one or more objects failed to apply',
            finishedAt: '2026-11-27T10:07:00Z',
          },
        }),
      }),
    );
    expect(failed.phase).toBe('failed');
    expect(failed.summary).toBe(
      'Sync failed: one or more objects failed to apply',
    );
    const comparison = buildWorkloadStatus(
      facts({
        argocd: app({
          syncStatus: 'Unknown',
          operation: undefined,
          conditions: [
            {
              type: 'ComparisonError',
              message: 'values do not meet the schema',
            },
          ],
        }),
      }),
    );
    expect(comparison.summary).toBe(
      'ComparisonError: values do not meet the schema',
    );
    expect(states(comparison).ready).toBe('failed');
  });

  it('shows a degraded app with its message, and a model that is not on the server', () => {
    const degraded = buildWorkloadStatus(
      facts({
        argocd: app({
          healthStatus: 'Degraded',
          healthMessage:
            'Deployment "ollama-phi" exceeded its progress deadline',
        }),
        models: [{ ref: 'phi:latest', pulled: false, loaded: false }],
      }),
    );
    expect(degraded.phase).toBe('degraded');
    expect(degraded.summary).toBe(
      'Degraded: Deployment "ollama-phi" exceeded its progress deadline',
    );
    expect(degraded.steps.find(s => s.id === 'model-pulled')).toMatchObject({
      state: 'failed',
      message:
        'Not on the server: phi:latest (the pull may have failed; see the health step)',
    });
    expect(degraded.steps.at(-1)).toMatchObject({
      state: 'failed',
      message:
        'Healthy: Degraded: Deployment "ollama-phi" exceeded its progress deadline',
    });
    const noReason = buildWorkloadStatus(
      facts({ argocd: app({ healthStatus: 'Degraded' }) }),
    );
    expect(noReason.summary).toBe('Degraded: Argo CD gives no reason');
  });

  it('fails the model step when a pulled model is not the digest the leaf pins', () => {
    const pinned = 'fe938a131f40';
    const withModels = (digest: string) =>
      buildWorkloadStatus(
        facts({
          workload: {
            ...facts().workload,
            models: ['phi:latest', 'mistral:7b'],
          },
          models: [
            {
              ref: 'phi:latest',
              pulled: true,
              loaded: true,
              digest,
              pinnedDigest: pinned,
            },
            { ref: 'mistral:7b', pulled: true, loaded: false, digest: 'ab12' },
          ],
        }),
      );
    const ok = withModels(
      `${pinned}e6f6d40083c9f0f430a515233eb2edaa6d72eb85c50d`,
    );
    expect(ok.phase).toBe('ready');
    expect(ok.steps.find(s => s.id === 'model-pulled')?.message).toBe(
      'phi:latest, mistral:7b on the server (pinned digests match); in memory: phi:latest; not in memory yet: mistral:7b',
    );
    const moved = withModels('0123456789abcdef0123456789abcdef');
    expect(moved.phase).toBe('degraded');
    expect(moved.steps.find(s => s.id === 'model-pulled')).toMatchObject({
      state: 'failed',
      message:
        'phi:latest on the server is sha256:0123456789ab, the leaf pins sha256:fe938a131f40: the tag has moved since it was pinned (pull the pinned model again, or pin the new digest in the leaf)',
    });
    expect(moved.summary).toMatch(/^phi:latest on the server is sha256:0123/);
    // A model the server has not reported a digest for is not called moved.
    const noDigest = buildWorkloadStatus(
      facts({
        models: [
          {
            ref: 'phi:latest',
            pulled: true,
            loaded: true,
            pinnedDigest: pinned,
          },
        ],
      }),
    );
    expect(noDigest.phase).toBe('ready');
  });

  it('follows a starting workload: progressing, models still missing', () => {
    const starting = buildWorkloadStatus(
      facts({
        argocd: app({
          healthStatus: 'Progressing',
          healthMessage: 'Waiting for rollout',
        }),
        models: undefined,
        sources: {
          github: { state: 'ok' },
          argocd: { state: 'ok' },
          ollama: { state: 'unavailable', message: 'connection refused' },
        },
      }),
    );
    expect(starting.summary).toBe('Deploying: Waiting for rollout');
    expect(starting.steps.find(s => s.id === 'model-pulled')).toMatchObject({
      state: 'pending',
      message: 'The server answers once its models are pulled',
    });
    const pulling = buildWorkloadStatus(
      facts({
        workload: { ...facts().workload, models: ['phi:latest', 'mistral:7b'] },
        models: [
          { ref: 'phi:latest', pulled: true, loaded: false },
          { ref: 'mistral:7b', pulled: false, loaded: false },
        ],
      }),
    );
    expect(pulling.steps.find(s => s.id === 'model-pulled')).toMatchObject({
      label: 'Models pulled',
      state: 'active',
      message: 'Waiting for mistral:7b',
    });
    expect(pulling.summary).toBe('Deploying: Waiting for mistral:7b');
    const notLoaded = buildWorkloadStatus(
      facts({ models: [{ ref: 'phi:latest', pulled: true, loaded: false }] }),
    );
    expect(notLoaded.steps.find(s => s.id === 'model-pulled')?.message).toBe(
      'phi:latest on the server; not in memory yet',
    );
    const partly = buildWorkloadStatus(
      facts({
        models: [
          { ref: 'phi:latest', pulled: true, loaded: true },
          { ref: 'nomic-embed-text:v1.5', pulled: true, loaded: false },
        ],
      }),
    );
    expect(partly.steps.find(s => s.id === 'model-pulled')?.message).toBe(
      'phi:latest, nomic-embed-text:v1.5 on the server; in memory: phi:latest; not in memory yet: nomic-embed-text:v1.5',
    );
    for (const [health, message] of [
      ['Suspended', 'Suspended'],
      ['Missing', "The workload's objects do not exist yet"],
      ['Unknown', 'Argo CD reports health Unknown'],
    ]) {
      const s = buildWorkloadStatus(
        facts({ argocd: app({ healthStatus: health }) }),
      );
      expect(s.steps.find(x => x.id === 'healthy')?.message).toBe(message);
    }
  });

  it('says which part is unknown and why when a source is down or not configured', () => {
    const noArgo = buildWorkloadStatus(
      facts({
        argocd: undefined,
        sources: {
          github: { state: 'ok' },
          argocd: {
            state: 'unconfigured',
            message: 'not configured (workloadCatalog.status.argocd.baseUrl)',
          },
          ollama: { state: 'ok' },
        },
      }),
    );
    expect(noArgo.phase).toBe('merged');
    expect(noArgo.summary).toBe(
      'Merged; deployment status unknown (Argo CD: not configured (workloadCatalog.status.argocd.baseUrl))',
    );
    expect(states(noArgo)).toMatchObject({
      'argocd-synced': 'unknown',
      healthy: 'unknown',
      ready: 'unknown',
    });
    const noOllama = buildWorkloadStatus(
      facts({
        models: undefined,
        sources: {
          github: { state: 'ok' },
          argocd: { state: 'ok' },
          ollama: { state: 'unavailable', message: 'timed out after 3000 ms' },
        },
      }),
    );
    expect(noOllama.steps.find(s => s.id === 'model-pulled')).toMatchObject({
      state: 'unknown',
      message: 'Ollama: timed out after 3000 ms',
    });
    expect(noOllama.summary).toBe(
      'Deploying; model pulled unknown (Ollama: timed out after 3000 ms)',
    );
    const ollamaUnconfigured = buildWorkloadStatus(
      facts({
        models: undefined,
        sources: {
          github: { state: 'ok' },
          argocd: { state: 'ok' },
          ollama: { state: 'unconfigured' },
        },
      }),
    );
    expect(
      ollamaUnconfigured.steps.find(s => s.id === 'model-pulled')?.message,
    ).toBe('Ollama: not configured');
    const noGithub = buildWorkloadStatus(
      facts({
        pullRequest: undefined,
        sources: {
          github: { state: 'unavailable', message: 'GitHub answered 503' },
          argocd: { state: 'ok' },
          ollama: { state: 'ok' },
        },
      }),
    );
    expect(states(noGithub)).toMatchObject({
      'pr-opened': 'unknown',
      'pr-merged': 'done',
      'argocd-synced': 'done',
      ready: 'unknown',
    });
    expect(noGithub.steps[0].message).toBe('GitHub: GitHub answered 503');
    const proposedNoGithub = buildWorkloadStatus(
      facts({
        workload: { ...facts().workload, source: 'proposed' },
        pullRequest: undefined,
        sources: noGithub.sources,
      }),
    );
    expect(proposedNoGithub.phase).toBe('unknown');
    expect(proposedNoGithub.summary).toBe(
      'Status unknown: GitHub: GitHub answered 503',
    );
  });

  it('handles leaves committed without a pull request, and proposed ones whose PR is gone', () => {
    const direct = buildWorkloadStatus(
      facts({
        pullRequest: undefined,
        workload: {
          ...facts().workload,
          leafUrl: 'https://gh.example/blob/main/x.yaml',
        },
      }),
    );
    expect(direct.summary).toBe('Ready');
    expect(states(direct)).toMatchObject({
      'pr-opened': 'skipped',
      'pr-reviewed': 'skipped',
      'pr-merged': 'done',
    });
    expect(direct.steps[2].link?.url).toBe(
      'https://gh.example/blob/main/x.yaml',
    );
    const gone = buildWorkloadStatus(
      facts({
        pullRequest: undefined,
        workload: { ...facts().workload, source: 'proposed' },
      }),
    );
    expect(gone.phase).toBe('unknown');
    expect(gone.summary).toBe(
      'Status unknown: The pull request of this proposed workload was not found',
    );
  });

  it('follows TGI’s /info and /health for the model step when the server answers', () => {
    const sha = '0e9e39f249a16976918f6564b8830bc894c89659';
    const tgi = (model: Partial<ModelStatus>, over = {}) =>
      buildWorkloadStatus(
        facts({
          workload: {
            ...facts().workload,
            workloadType: 'ML_INFERENCE_LOAD',
            models: [`org/m@${sha.slice(0, 12)}`],
          },
          sources: {
            ...facts().sources,
            ollama: { state: 'not-applicable' },
            tgi: { state: 'ok' },
          },
          models: [
            {
              ref: `org/m@${sha.slice(0, 12)}`,
              pulled: true,
              loaded: true,
              digest: sha,
              pinnedDigest: sha.slice(0, 12),
              ...model,
            },
          ],
          ...over,
        }),
      );
    const step = (s: ReturnType<typeof tgi>) =>
      s.steps.find(x => x.id === 'model-pulled');
    const ready = tgi({});
    expect(ready.phase).toBe('ready');
    expect(step(ready)).toMatchObject({
      state: 'done',
      message:
        'org/m at 0e9e39f249a1 loaded; the server answers (TGI /info, /health)',
    });
    expect(step(tgi({ loaded: false }))).toMatchObject({
      state: 'active',
      message:
        'org/m at 0e9e39f249a1 is loading (TGI /health does not answer yet)',
    });
    const other = tgi({ pulled: false, loaded: false, servedModel: 'org/old' });
    expect(other.phase).toBe('degraded');
    expect(step(other)).toMatchObject({
      state: 'failed',
      message:
        'The server runs org/old, not org/m: the deployment has not rolled out this leaf',
    });
    const moved = tgi({ pulled: false, digest: `ffff${sha.slice(4)}` });
    expect(step(moved)).toMatchObject({
      state: 'failed',
      message:
        'org/m is loaded at revision ffff39f249a1, the leaf pins 0e9e39f249a1',
    });
    // TGI not answering: the step follows Argo CD's health, as without the source.
    const down = tgi(
      {},
      {
        models: undefined,
        sources: {
          ...facts().sources,
          ollama: { state: 'not-applicable' },
          tgi: { state: 'unavailable', message: 'connection refused' },
        },
      },
    );
    expect(step(down)?.state).toBe('done');
  });

  it('marks merges without approval, and the model step of TGI and container workloads', () => {
    const unreviewed = buildWorkloadStatus(
      facts({ pullRequest: merged({ reviews: [] }) }),
    );
    expect(unreviewed.steps[1]).toMatchObject({
      state: 'skipped',
      message: 'Merged without an approving review',
    });
    expect(unreviewed.summary).toBe('Ready');
    const tgi = buildWorkloadStatus(
      facts({
        workload: {
          ...facts().workload,
          workloadType: 'ML_INFERENCE_LOAD',
          models: ['org/m'],
        },
        models: undefined,
        sources: { ...facts().sources, ollama: { state: 'not-applicable' } },
      }),
    );
    expect(tgi.steps.find(s => s.id === 'model-pulled')?.state).toBe('done');
    expect(tgi.summary).toBe('Ready');
    const tgiStarting = buildWorkloadStatus(
      facts({
        workload: {
          ...facts().workload,
          workloadType: 'ML_INFERENCE_LOAD',
          models: ['org/m'],
        },
        argocd: app({ healthStatus: 'Progressing' }),
      }),
    );
    expect(tgiStarting.steps.find(s => s.id === 'model-pulled')?.state).toBe(
      'pending',
    );
    const container = buildWorkloadStatus(
      facts({
        workload: {
          ...facts().workload,
          workloadType: 'BASIC_CONTAINER_LOAD',
          models: [],
        },
        models: undefined,
      }),
    );
    expect(container.steps.map(s => s.id)).toEqual([
      'pr-opened',
      'pr-reviewed',
      'pr-merged',
      'argocd-synced',
      'healthy',
      'ready',
    ]);
    const containerOpen = buildWorkloadStatus(
      facts({
        workload: {
          ...facts().workload,
          workloadType: 'BASIC_CONTAINER_LOAD',
          models: [],
        },
        pullRequest: pr(),
      }),
    );
    expect(containerOpen.steps.map(s => s.id)).not.toContain('model-pulled');
  });
});
