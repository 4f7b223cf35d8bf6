/*
 * Argo CD Application objects (argoproj.io/v1alpha1) and the states a test scripts: each
 * helper returns the `status` Argo CD's application controller would write for that state,
 * with the fields Argo CD 3.x fills (sync, health, operationState, history, resources,
 * conditions, reconciledAt). Objects are validated against Argo CD's schema
 * (@kubernetes-models/argo-cd) before the server keeps them.
 */

/** Argo CD's sync status codes (gitops-engine). */
export const SYNC_STATUS_CODES = ['Synced', 'OutOfSync', 'Unknown'] as const;
export type SyncStatusCode = (typeof SYNC_STATUS_CODES)[number];

/** Argo CD's health status codes (gitops-engine). */
export const HEALTH_STATUS_CODES = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
] as const;
export type HealthStatusCode = (typeof HEALTH_STATUS_CODES)[number];

/** Phases of a sync operation (gitops-engine). */
export const OPERATION_PHASES = [
  'Running',
  'Terminating',
  'Failed',
  'Error',
  'Succeeded',
] as const;
export type OperationPhase = (typeof OPERATION_PHASES)[number];

type Json = any;

/** An Application as the API serves it (typed loosely: the schema check is the authority). */
export interface ArgoApplication {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    [key: string]: Json;
  };
  spec: Json;
  status?: ApplicationStatus;
  operation?: Json;
}

export interface ResourceStatus {
  group?: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  status?: SyncStatusCode;
  health?: { status?: HealthStatusCode; message?: string };
}

export interface ApplicationStatus {
  sync?: {
    status: SyncStatusCode;
    /** Single-source Applications. */
    revision?: string;
    /** Multi-source Applications: one per entry of spec.sources, in that order. */
    revisions?: string[];
    comparedTo?: Json;
  };
  health?: {
    status?: HealthStatusCode;
    /** Deprecated in Argo CD 3 (not written); per-resource messages carry the reason. */
    message?: string;
    lastTransitionTime?: string;
  };
  operationState?: {
    operation: Json;
    phase: OperationPhase;
    message?: string;
    startedAt: string;
    finishedAt?: string;
    syncResult?: Json;
    retryCount?: number;
  };
  history?: Array<{
    id: number;
    revision?: string;
    revisions?: string[];
    sources?: Json[];
    deployedAt: string;
    deployStartedAt?: string;
    source?: Json;
    initiatedBy?: Json;
  }>;
  resources?: ResourceStatus[];
  conditions?: Array<{
    type: string;
    message: string;
    lastTransitionTime?: string;
  }>;
  reconciledAt?: string;
  observedAt?: string;
  sourceType?: string;
  summary?: Json;
  [key: string]: Json;
}

/** RFC 3339 in seconds, as Kubernetes writes times. */
export function k8sTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface ApplicationOptions {
  name: string;
  /** Namespace of the Application object. Default "argocd". */
  namespace?: string;
  project?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The Git repository (the catalog repo for a chart in it, or a Helm repository). */
  repoURL: string;
  targetRevision?: string;
  /** Path of the chart in the repository. */
  path?: string;
  /** Helm value files (paths relative to the chart, or $values/... with multiple sources). */
  valueFiles?: string[];
  destination: { server?: string; name?: string; namespace: string };
  /** Automated sync with prune and self-heal (default true). */
  automated?: boolean;
  status?: ApplicationStatus;
}

/** An Application as an ApplicationSet would generate it. */
export function application(options: ApplicationOptions): ArgoApplication {
  const automated = options.automated ?? true;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: options.name,
      namespace: options.namespace ?? 'argocd',
      ...(options.labels ? { labels: { ...options.labels } } : {}),
      ...(options.annotations
        ? { annotations: { ...options.annotations } }
        : {}),
    },
    spec: {
      project: options.project ?? 'default',
      source: {
        repoURL: options.repoURL,
        targetRevision: options.targetRevision ?? 'HEAD',
        ...(options.path ? { path: options.path } : {}),
        ...(options.valueFiles
          ? { helm: { valueFiles: options.valueFiles } }
          : {}),
      },
      destination: {
        ...(options.destination.name
          ? { name: options.destination.name }
          : {
              server:
                options.destination.server ?? 'https://kubernetes.default.svc',
            }),
        namespace: options.destination.namespace,
      },
      syncPolicy: {
        ...(automated ? { automated: { prune: true, selfHeal: true } } : {}),
        syncOptions: ['CreateNamespace=true'],
      },
    },
    ...(options.status ? { status: options.status } : {}),
  };
}

/** What a state helper needs to know about the app it describes. */
export interface StateContext {
  /** The Git commit the state is about (single-source; multi-source: see `revisions`). */
  revision: string;
  /**
   * A multi-source Application's spec.sources. Argo CD's controller then fills the plural
   * fields (sync.revisions, history[].revisions and sources, operationState's
   * syncResult.revisions and sources), one entry per source in this order, and leaves the
   * singular `revision` fields empty (controller/state.go).
   */
  sources?: Json[];
  /** The revision of each source, in `sources` order (default: `revision` for each). */
  revisions?: string[];
  /** The Application's destination, recorded in sync.comparedTo. */
  destination?: Json;
  /** Workload name (Deployment/Service); default: the Application's name. */
  workload?: string;
  /** Namespace of the workload's objects. */
  namespace?: string;
  /** Kind of the workload object. Default Deployment. */
  kind?: 'Deployment' | 'StatefulSet' | 'Rollout';
  /** The time the state was reached (default now). */
  at?: Date;
}

/** The revision fields of a sync, history entry or sync result, as Argo CD writes them. */
function revisionFields(
  ctx: StateContext,
  withSources = false,
): { revision: string } | { revisions: string[]; sources?: Json[] } {
  if (!ctx.sources?.length) return { revision: ctx.revision };
  const revisions = ctx.revisions ?? ctx.sources.map(() => ctx.revision);
  if (revisions.length !== ctx.sources.length)
    throw new Error(
      `a multi-source state needs one revision per source: ${ctx.sources.length} sources, ${revisions.length} revisions`,
    );
  return withSources ? { revisions, sources: ctx.sources } : { revisions };
}

function syncStatus(ctx: StateContext, status: SyncStatusCode) {
  return {
    status,
    ...revisionFields(ctx),
    ...(ctx.sources?.length && ctx.destination
      ? { comparedTo: { sources: ctx.sources, destination: ctx.destination } }
      : {}),
  };
}

/**
 * The context of a multi-source Application's state: its sources and destination, and
 * each source's revision from `revisionOf` (the commit its targetRevision resolves to).
 */
export function sourcesContext(
  app: ArgoApplication,
  revisionOf: (source: Json, index: number) => string,
): Pick<StateContext, 'sources' | 'revisions' | 'destination'> {
  const sources: Json[] = app.spec?.sources ?? [];
  return {
    sources,
    revisions: sources.map(revisionOf),
    destination: app.spec?.destination,
  };
}

function workloadResources(
  ctx: StateContext,
  sync: SyncStatusCode,
  health: { status: HealthStatusCode; message?: string },
): ResourceStatus[] {
  const name = ctx.workload ?? 'workload';
  const kind = ctx.kind ?? 'Deployment';
  return [
    {
      version: 'v1',
      kind: 'Service',
      namespace: ctx.namespace,
      name,
      status: sync,
      health: { status: 'Healthy' },
    },
    {
      group: kind === 'Rollout' ? 'argoproj.io' : 'apps',
      version: kind === 'Rollout' ? 'v1alpha1' : 'v1',
      kind,
      namespace: ctx.namespace,
      name,
      status: sync,
      health,
    },
  ];
}

function syncOperation(
  ctx: StateContext,
  phase: OperationPhase,
  message: string,
) {
  const at = k8sTime(ctx.at);
  return {
    operation: {
      sync: revisionFields(ctx),
      initiatedBy: { automated: true },
      retry: { limit: 5 },
    },
    phase,
    message,
    startedAt: at,
    ...(phase === 'Running' ? {} : { finishedAt: at }),
    ...(phase === 'Succeeded' || phase === 'Failed'
      ? {
          syncResult: {
            // The CRD requires syncResult.revision: a multi-source sync writes it empty.
            ...(ctx.sources?.length ? { revision: '' } : {}),
            ...revisionFields(ctx, true),
            resources: [],
          },
        }
      : {}),
  };
}

/** Builders of the `status` Argo CD writes in each state. */
export const states = {
  /** Just generated by the ApplicationSet: nothing deployed, nothing compared yet. */
  created(ctx: Pick<StateContext, 'at'> = {}): ApplicationStatus {
    return {
      sync: { status: 'Unknown' },
      health: { status: 'Unknown' },
      reconciledAt: k8sTime(ctx.at),
    };
  },

  /** Compared with Git but not applied: the workload's objects do not exist. */
  outOfSync(ctx: StateContext): ApplicationStatus {
    return {
      sync: syncStatus(ctx, 'OutOfSync'),
      health: { status: 'Missing', lastTransitionTime: k8sTime(ctx.at) },
      resources: workloadResources(ctx, 'OutOfSync', { status: 'Missing' }),
      reconciledAt: k8sTime(ctx.at),
      ...(ctx.sources?.length ? {} : { sourceType: 'Helm' }),
    };
  },

  /** A sync is running. */
  syncing(ctx: StateContext): ApplicationStatus {
    return {
      ...states.outOfSync(ctx),
      health: { status: 'Progressing', lastTransitionTime: k8sTime(ctx.at) },
      operationState: syncOperation(
        ctx,
        'Running',
        'waiting for healthy state of apps/Deployment',
      ),
    };
  },

  /** Synced to `revision`; the workload is still starting (e.g. a model downloading). */
  progressing(
    ctx: StateContext,
    message = 'Waiting for rollout to finish: 0 of 1 updated replicas are available...',
  ): ApplicationStatus {
    return synced(ctx, { status: 'Progressing', message });
  },

  /** Synced to `revision` and healthy. */
  healthy(ctx: StateContext): ApplicationStatus {
    return synced(ctx, { status: 'Healthy' });
  },

  /** Synced to `revision`, but the workload is degraded; `message` is the resource's. */
  degraded(ctx: StateContext, message: string): ApplicationStatus {
    return synced(ctx, { status: 'Degraded', message });
  },

  /** The sync of `revision` failed (e.g. a manifest the API server rejected). */
  syncFailed(ctx: StateContext, message: string): ApplicationStatus {
    return {
      ...states.outOfSync(ctx),
      operationState: syncOperation(ctx, 'Failed', message),
      conditions: [
        { type: 'SyncError', message, lastTransitionTime: k8sTime(ctx.at) },
      ],
    };
  },

  /** Argo CD could not render the chart (ComparisonError), e.g. values.schema.json rejected the leaf. */
  comparisonError(ctx: StateContext, message: string): ApplicationStatus {
    return {
      sync: syncStatus(ctx, 'Unknown'),
      health: { status: 'Healthy', lastTransitionTime: k8sTime(ctx.at) },
      conditions: [
        {
          type: 'ComparisonError',
          message,
          lastTransitionTime: k8sTime(ctx.at),
        },
      ],
      reconciledAt: k8sTime(ctx.at),
    };
  },
};

function synced(
  ctx: StateContext,
  health: { status: HealthStatusCode; message?: string },
): ApplicationStatus {
  const at = k8sTime(ctx.at);
  return {
    sync: syncStatus(ctx, 'Synced'),
    // Argo CD 3 no longer writes the application-level message: it is on the resource.
    health: { status: health.status, lastTransitionTime: at },
    resources: workloadResources(ctx, 'Synced', health),
    operationState: syncOperation(
      ctx,
      'Succeeded',
      'successfully synced (all tasks run)',
    ),
    history: [
      {
        id: 0,
        ...revisionFields(ctx, true),
        deployedAt: at,
        deployStartedAt: at,
        initiatedBy: { automated: true },
      },
    ],
    reconciledAt: at,
    ...(ctx.sources?.length ? {} : { sourceType: 'Helm' }),
  };
}

/** Problems Argo CD's schema (and its status enums) find in an object; empty when valid. */
export function enumProblems(app: ArgoApplication): string[] {
  const problems: string[] = [];
  const s = app.status;
  const check = (path: string, value: unknown, allowed: readonly string[]) => {
    if (value !== undefined && !allowed.includes(value as string))
      problems.push(
        `${path} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`,
      );
  };
  check('/status/sync/status', s?.sync?.status, SYNC_STATUS_CODES);
  check('/status/health/status', s?.health?.status, HEALTH_STATUS_CODES);
  check(
    '/status/operationState/phase',
    s?.operationState?.phase,
    OPERATION_PHASES,
  );
  (s?.resources ?? []).forEach((r, i) => {
    check(`/status/resources/${i}/status`, r.status, SYNC_STATUS_CODES);
    check(
      `/status/resources/${i}/health/status`,
      r.health?.status,
      HEALTH_STATUS_CODES,
    );
  });
  if (app.apiVersion !== 'argoproj.io/v1alpha1')
    problems.push(`/apiVersion must be argoproj.io/v1alpha1`);
  if (app.kind !== 'Application') problems.push(`/kind must be Application`);
  return problems;
}
