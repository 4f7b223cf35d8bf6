/*
 * The timeline of a workload, derived from the facts: pull request opened, reviewed,
 * merged, Argo CD synced, healthy, model pulled, ready. Each step is done, active (being
 * worked on), pending (waits for an earlier step), failed (with the reason), unknown (a
 * source did not answer, with why) or skipped (does not apply).
 */
import type {
  ArgoCdInfo,
  ModelStatus,
  PullRequestInfo,
  TimelineStep,
  TimelineStepState,
  WorkloadPhase,
  WorkloadStatusFacts,
  WorkloadStatusResponse,
} from './workloadStatus';

const short = (sha?: string) => (sha ? sha.slice(0, 7) : 'an unknown commit');

/** Condition types Argo CD raises for errors (ComparisonError, SyncError, InvalidSpecError, …). */
const isErrorCondition = (type: string) => /Error$/.test(type);

function latestReviews(pr: PullRequestInfo) {
  const byUser = new Map<string, PullRequestInfo['reviews'][number]>();
  for (const review of pr.reviews) {
    if (review.state === 'COMMENTED') continue;
    byUser.set(review.user, review);
  }
  const latest = [...byUser.values()];
  return {
    approvals: latest.filter(r => r.state === 'APPROVED'),
    changes: latest.filter(r => r.state === 'CHANGES_REQUESTED'),
  };
}

const lastAt = (items: Array<{ submittedAt?: string }>) =>
  items
    .map(i => i.submittedAt)
    .filter((t): t is string => !!t)
    .sort()
    .at(-1);

function pullRequestSteps(facts: WorkloadStatusFacts): TimelineStep[] {
  const pr = facts.pullRequest;
  const gh = facts.sources.github;
  if (!pr) {
    if (gh.state !== 'ok') {
      const message = `GitHub: ${gh.message ?? gh.state}`;
      return [
        {
          id: 'pr-opened',
          label: 'Pull request opened',
          state: 'unknown',
          message,
        },
        { id: 'pr-reviewed', label: 'Reviewed', state: 'unknown', message },
        {
          id: 'pr-merged',
          label: 'Merged',
          state: facts.workload.source === 'merged' ? 'done' : 'unknown',
          message:
            facts.workload.source === 'merged'
              ? 'The leaf is on the base branch of the catalog repo'
              : message,
        },
      ];
    }
    if (facts.workload.source === 'merged') {
      const message =
        'No Workload Catalog pull request for this leaf: it was committed to the catalog repo directly';
      return [
        {
          id: 'pr-opened',
          label: 'Pull request opened',
          state: 'skipped',
          message,
        },
        { id: 'pr-reviewed', label: 'Reviewed', state: 'skipped' },
        {
          id: 'pr-merged',
          label: 'Merged',
          state: 'done',
          message: 'The leaf is on the base branch of the catalog repo',
          ...(facts.workload.leafUrl
            ? {
                link: {
                  url: facts.workload.leafUrl,
                  title: facts.workload.leafPath,
                },
              }
            : {}),
        },
      ];
    }
    const message = 'The pull request of this proposed workload was not found';
    return [
      {
        id: 'pr-opened',
        label: 'Pull request opened',
        state: 'unknown',
        message,
      },
      { id: 'pr-reviewed', label: 'Reviewed', state: 'pending' },
      { id: 'pr-merged', label: 'Merged', state: 'pending' },
    ];
  }

  const link = { url: pr.url, title: `#${pr.number}` };
  const opened: TimelineStep = {
    id: 'pr-opened',
    label: 'Pull request opened',
    state: 'done',
    at: pr.createdAt,
    message: `${pr.draft ? 'Draft: ' : ''}${pr.title}${pr.author ? ` (by ${pr.author})` : ''}`,
    link,
  };

  const { approvals, changes } = latestReviews(pr);
  const names = (rs: Array<{ user: string }>) => rs.map(r => r.user).join(', ');
  let reviewed: TimelineStep;
  if (pr.state === 'merged') {
    reviewed = approvals.length
      ? {
          id: 'pr-reviewed',
          label: 'Reviewed',
          state: 'done',
          at: lastAt(approvals),
          message: `Approved by ${names(approvals)}`,
        }
      : {
          id: 'pr-reviewed',
          label: 'Reviewed',
          state: 'skipped',
          message: 'Merged without an approving review',
        };
  } else if (changes.length) {
    reviewed = {
      id: 'pr-reviewed',
      label: 'Reviewed',
      state: 'failed',
      at: lastAt(changes),
      message: `Changes requested by ${names(changes)}`,
      ...(changes[0].url
        ? { link: { url: changes[0].url, title: 'review' } }
        : {}),
    };
  } else if (approvals.length) {
    reviewed = {
      id: 'pr-reviewed',
      label: 'Reviewed',
      state: 'done',
      at: lastAt(approvals),
      message: `Approved by ${names(approvals)}`,
    };
  } else if (pr.state === 'open') {
    reviewed = {
      id: 'pr-reviewed',
      label: 'Reviewed',
      state: 'active',
      message: pr.draft
        ? 'Draft: mark it ready for review'
        : `Waiting for a review${pr.requestedReviewers.length ? ` from ${pr.requestedReviewers.join(', ')}` : ''}`,
      link,
    };
  } else {
    reviewed = { id: 'pr-reviewed', label: 'Reviewed', state: 'skipped' };
  }

  let merged: TimelineStep;
  if (pr.state === 'merged') {
    merged = {
      id: 'pr-merged',
      label: 'Merged',
      state: 'done',
      at: pr.mergedAt,
      message: `Merged as ${short(pr.mergeCommitSha)}`,
      ...(pr.mergeCommitUrl
        ? { link: { url: pr.mergeCommitUrl, title: short(pr.mergeCommitSha) } }
        : {}),
    };
  } else if (pr.state === 'closed') {
    merged = {
      id: 'pr-merged',
      label: 'Merged',
      state: 'failed',
      at: pr.closedAt,
      message: 'The pull request was closed without merging',
      link,
    };
  } else {
    merged = {
      id: 'pr-merged',
      label: 'Merged',
      state: approvals.length && !changes.length ? 'active' : 'pending',
      message:
        approvals.length && !changes.length
          ? 'Approved: ready to merge'
          : undefined,
    };
  }
  return [opened, reviewed, merged];
}

function syncStep(
  facts: WorkloadStatusFacts,
  app: ArgoCdInfo | null | undefined,
): TimelineStep {
  const base = { id: 'argocd-synced' as const, label: 'Argo CD synced' };
  const src = facts.sources.argocd;
  if (src.state !== 'ok' || app === undefined) {
    return {
      ...base,
      state: 'unknown',
      message: `Argo CD: ${src.message ?? src.state}`,
    };
  }
  if (app === null) {
    return {
      ...base,
      state: 'active',
      message:
        'Waiting for Argo CD: the ApplicationSet has not created the Application yet',
    };
  }
  const link = app.url ? { url: app.url, title: app.name } : undefined;
  const withLink = link ? { link } : {};
  const op = app.operation;
  if (op && (op.phase === 'Failed' || op.phase === 'Error')) {
    return {
      ...base,
      state: 'failed',
      at: op.finishedAt,
      message: `Sync ${op.phase === 'Error' ? 'error' : 'failed'}: ${op.message ?? 'no message'}`,
      ...withLink,
    };
  }
  const errors = app.conditions.filter(c => isErrorCondition(c.type));
  if (errors.length && app.syncStatus !== 'Synced') {
    return {
      ...base,
      state: 'failed',
      at: errors[0].at,
      message: errors.map(c => `${c.type}: ${c.message}`).join('; '),
      ...withLink,
    };
  }
  if (app.syncStatus === 'Synced') {
    const pr = facts.pullRequest;
    if (app.deploysPullRequest === false && pr) {
      return {
        ...base,
        state: 'active',
        message: `Synced to ${short(app.revision)}, which does not have the change of #${pr.number} yet`,
        ...withLink,
      };
    }
    return {
      ...base,
      state: 'done',
      at: op?.finishedAt ?? app.deployedAt ?? app.reconciledAt,
      message: `Synced to ${short(app.revision)}`,
      ...withLink,
    };
  }
  if (op?.phase === 'Running') {
    return {
      ...base,
      state: 'active',
      at: op.startedAt,
      message: `Syncing ${short(op.revision ?? app.revision)}${op.message ? `: ${op.message}` : ''}`,
      ...withLink,
    };
  }
  if (app.syncStatus === 'OutOfSync') {
    return {
      ...base,
      state: 'active',
      message: `Out of sync with ${short(app.revision)}: waiting for the sync`,
      ...withLink,
    };
  }
  return {
    ...base,
    state: 'active',
    message: 'Argo CD has not compared the Application with Git yet',
    ...withLink,
  };
}

function healthStep(
  app: ArgoCdInfo | null | undefined,
  synced: TimelineStep,
): TimelineStep {
  const base = { id: 'healthy' as const, label: 'Healthy' };
  if (synced.state === 'unknown') return { ...base, state: 'unknown' };
  if (synced.state !== 'done' || !app) return { ...base, state: 'pending' };
  const link = app.url ? { link: { url: app.url, title: app.name } } : {};
  switch (app.healthStatus) {
    case 'Healthy':
      return { ...base, state: 'done', at: app.healthSince, ...link };
    case 'Degraded':
      return {
        ...base,
        state: 'failed',
        at: app.healthSince,
        message: `Degraded: ${app.healthMessage ?? 'Argo CD gives no reason'}`,
        ...link,
      };
    case 'Progressing':
      return {
        ...base,
        state: 'active',
        at: app.healthSince,
        message: app.healthMessage ?? 'Starting',
        ...link,
      };
    case 'Suspended':
      return { ...base, state: 'active', message: 'Suspended', ...link };
    case 'Missing':
      return {
        ...base,
        state: 'active',
        message: "The workload's objects do not exist yet",
        ...link,
      };
    default:
      return {
        ...base,
        state: 'unknown',
        message: `Argo CD reports health ${app.healthStatus}`,
        ...link,
      };
  }
}

/** TGI's model step from its /info and /health: the model and revision it serves. */
function tgiModelStep(
  base: { id: 'model-pulled'; label: string },
  m: ModelStatus,
): TimelineStep {
  const at = m.ref.lastIndexOf('@');
  const id = at > 0 ? m.ref.slice(0, at) : m.ref;
  const sha = m.digest ? ` at ${m.digest.slice(0, 12)}` : '';
  if (m.servedModel)
    return {
      ...base,
      state: 'failed',
      message: `The server runs ${m.servedModel}, not ${id}: the deployment has not rolled out this leaf`,
    };
  if (m.pinnedDigest && m.digest && !m.digest.startsWith(m.pinnedDigest))
    return {
      ...base,
      state: 'failed',
      message: `${id} is loaded at revision ${m.digest.slice(0, 12)}, the leaf pins ${m.pinnedDigest.slice(0, 12)}`,
    };
  if (m.loaded)
    return {
      ...base,
      state: 'done',
      message: `${id}${sha} loaded; the server answers (TGI /info, /health)`,
    };
  return {
    ...base,
    state: 'active',
    message: `${id}${sha} is loading (TGI /health does not answer yet)`,
  };
}

function modelStep(
  facts: WorkloadStatusFacts,
  health: TimelineStep,
): TimelineStep | undefined {
  const base = { id: 'model-pulled' as const, label: 'Model pulled' };
  const type = facts.workload.workloadType;
  if (type === 'ML_INFERENCE_LOAD') {
    const served =
      facts.sources.tgi?.state === 'ok' ? facts.models?.[0] : undefined;
    if (served) return tgiModelStep(base, served);
    if (health.state === 'done')
      return {
        ...base,
        state: 'done',
        at: health.at,
        message:
          'Text Generation Inference is ready only once the model is loaded',
      };
    return {
      ...base,
      state: health.state === 'unknown' ? 'unknown' : 'pending',
    };
  }
  if (type !== 'OLLAMA_INFERENCE_LOAD') return undefined;
  const src = facts.sources.ollama;
  const models = facts.models;
  const label = facts.workload.models.length > 1 ? 'Models pulled' : base.label;
  if (src.state === 'unconfigured')
    return {
      ...base,
      label,
      state: 'unknown',
      message: `Ollama: ${src.message ?? 'not configured'}`,
    };
  if (!models) {
    // autoscaled to zero (leaf autoscaling.minReplicas 0): no server to ask, by design
    if (
      health.state === 'done' &&
      facts.replicas?.desired === 0 &&
      facts.replicas.current === 0
    )
      return {
        ...base,
        label,
        state: 'skipped',
        message:
          'Scaled to zero: the next request starts a replica, which loads the models (a cold start)',
      };
    if (health.state === 'done')
      return {
        ...base,
        label,
        state: 'unknown',
        message: `Ollama: ${src.message ?? src.state}`,
      };
    return {
      ...base,
      label,
      state: 'pending',
      message:
        health.state === 'failed'
          ? undefined
          : 'The server answers once its models are pulled',
    };
  }
  const shortDigest = (digest: string) => `sha256:${digest.slice(0, 12)}`;
  const moved = models.filter(
    m =>
      m.pulled &&
      m.pinnedDigest &&
      m.digest &&
      !m.digest.startsWith(m.pinnedDigest),
  );
  if (moved.length > 0) {
    return {
      ...base,
      label,
      state: 'failed',
      message: `${moved.map(m => `${m.ref} on the server is ${shortDigest(m.digest!)}, the leaf pins ${shortDigest(m.pinnedDigest!)}`).join('; ')}: the tag has moved since it was pinned (pull the pinned model again, or pin the new digest in the leaf)`,
    };
  }
  const missing = models.filter(m => !m.pulled).map(m => m.ref);
  if (missing.length === 0) {
    const at = models
      .map(m => m.pulledAt)
      .filter((t): t is string => !!t)
      .sort()
      .at(-1);
    // the chart's loader container loads them; a pod is ready once they are in memory
    const loaded = models.filter(m => m.loaded).map(m => m.ref);
    const unloaded = models.filter(m => !m.loaded).map(m => m.ref);
    let memory = '; not in memory yet';
    if (loaded.length)
      memory = `; in memory: ${loaded.join(', ')}${unloaded.length ? `; not in memory yet: ${unloaded.join(', ')}` : ''}`;
    return {
      ...base,
      label,
      state: 'done',
      at,
      message: `${models.map(m => m.ref).join(', ')} on the server${models.some(m => m.pinnedDigest) ? ' (pinned digests match)' : ''}${memory}`,
    };
  }
  if (health.state === 'failed') {
    return {
      ...base,
      label,
      state: 'failed',
      message: `Not on the server: ${missing.join(', ')} (the pull may have failed; see the health step)`,
    };
  }
  return {
    ...base,
    label,
    state: 'active',
    message: `Waiting for ${missing.join(', ')}`,
  };
}

function readyStep(steps: TimelineStep[]): TimelineStep {
  const base = { id: 'ready' as const, label: 'Ready' };
  const failed = steps.find(s => s.state === 'failed');
  if (failed)
    return {
      ...base,
      state: 'failed',
      message: `${failed.label}: ${failed.message ?? 'failed'}`,
    };
  if (steps.every(s => s.state === 'done' || s.state === 'skipped')) {
    const at = steps
      .map(s => s.at)
      .filter((t): t is string => !!t)
      .sort()
      .at(-1);
    return { ...base, state: 'done', at };
  }
  const unknown = steps.find(s => s.state === 'unknown');
  if (unknown)
    return {
      ...base,
      state: 'unknown',
      message: `Not known: ${unknown.message ?? unknown.label}`,
    };
  return { ...base, state: 'pending' };
}

function phaseOf(
  facts: WorkloadStatusFacts,
  steps: TimelineStep[],
): { phase: WorkloadPhase; summary: string } {
  const byId = Object.fromEntries(steps.map(s => [s.id, s])) as Record<
    string,
    TimelineStep | undefined
  >;
  const pr = facts.pullRequest;
  if (byId['pr-merged']?.state === 'failed')
    return { phase: 'pr-closed', summary: 'PR closed without merging' };
  if (pr?.state === 'open') {
    const what = pr.kind === 'update' ? 'Update PR open' : 'PR open';
    if (byId['pr-reviewed']?.state === 'failed')
      return { phase: 'pr-open', summary: `${what}: changes requested` };
    return { phase: 'pr-open', summary: pr.draft ? `Draft ${what}` : what };
  }
  if (byId['pr-merged']?.state !== 'done') {
    return {
      phase: 'unknown',
      summary: `Status unknown: ${byId['pr-opened']?.message ?? 'no pull request found'}`,
    };
  }
  const ready = byId.ready!;
  if (ready.state === 'done') return { phase: 'ready', summary: 'Ready' };
  const sync = byId['argocd-synced'];
  if (sync?.state === 'failed')
    return { phase: 'failed', summary: sync.message ?? 'Sync failed' };
  if (byId.healthy?.state === 'failed')
    return { phase: 'degraded', summary: byId.healthy.message ?? 'Degraded' };
  const model = byId['model-pulled'];
  if (model?.state === 'failed')
    return { phase: 'degraded', summary: model.message ?? 'Model not pulled' };
  if (sync?.state === 'unknown')
    return {
      phase: 'merged',
      summary: `Merged; deployment status unknown (${sync.message})`,
    };
  const active = steps.find(s => s.state === 'active');
  if (active)
    return {
      phase: 'deploying',
      summary: `Deploying: ${active.message ?? active.label}`,
    };
  const unknown = steps.find(s => s.state === 'unknown');
  return {
    phase: 'deploying',
    summary: unknown
      ? `Deploying; ${unknown.label.toLowerCase()} unknown (${unknown.message ?? 'no answer'})`
      : 'Deploying',
  };
}

/**
 * The timeline, phase and one-line summary of a workload. After an open pull request the
 * deployment steps wait for the merge (they describe the deployment of that change).
 */
export function buildWorkloadStatus(
  facts: WorkloadStatusFacts,
): WorkloadStatusResponse {
  const steps = pullRequestSteps(facts);
  const merged = steps.find(s => s.id === 'pr-merged')!;
  if (merged.state === 'done') {
    const synced = syncStep(facts, facts.argocd);
    const health = healthStep(facts.argocd, synced);
    steps.push(synced, health);
    const model = modelStep(facts, health);
    if (model) steps.push(model);
  } else {
    const waiting: TimelineStepState = 'pending';
    steps.push(
      { id: 'argocd-synced', label: 'Argo CD synced', state: waiting },
      { id: 'healthy', label: 'Healthy', state: waiting },
    );
    if (
      facts.workload.workloadType === 'OLLAMA_INFERENCE_LOAD' ||
      facts.workload.workloadType === 'ML_INFERENCE_LOAD'
    ) {
      steps.push({
        id: 'model-pulled',
        label:
          facts.workload.models.length > 1 ? 'Models pulled' : 'Model pulled',
        state: waiting,
      });
    }
  }
  steps.push(readyStep(steps));
  return { ...facts, ...phaseOf(facts, steps), steps };
}
