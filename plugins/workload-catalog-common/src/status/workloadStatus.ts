/*
 * A workload's deployment status, from pull request to "model ready": the contract between
 * the workload-catalog backend (which gathers the facts from GitHub, Argo CD and Ollama)
 * and the entity card (which shows them as a timeline). The timeline itself is derived
 * here, from the facts, so both sides agree on what "ready" means.
 */

/** Whether a source answered. */
export type SourceState =
  /** It answered; its facts are in the response. */
  | 'ok'
  /** The platform did not configure it (the message names the setting). */
  | 'unconfigured'
  /** It was configured but did not answer usefully (the message says why). */
  | 'unavailable'
  /** It has nothing to say about this workload (e.g. Ollama for a container). */
  | 'not-applicable';

export interface SourceStatus {
  state: SourceState;
  message?: string;
}

export interface PullRequestReview {
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | string;
  submittedAt?: string;
  url?: string;
}

/** The pull request the timeline follows: the open one, else the last merged, else the last closed. */
export interface PullRequestInfo {
  number: number;
  title: string;
  url: string;
  state: 'open' | 'closed' | 'merged';
  draft: boolean;
  /** Whether it adds the workload or changes it (from the title the action writes). */
  kind: 'create' | 'update';
  author?: string;
  createdAt: string;
  mergedAt?: string;
  closedAt?: string;
  headSha?: string;
  mergeCommitSha?: string;
  /** Web URL of the merge commit. */
  mergeCommitUrl?: string;
  reviews: PullRequestReview[];
  requestedReviewers: string[];
}

export type ArgoSyncStatus = 'Synced' | 'OutOfSync' | 'Unknown' | string;
export type ArgoHealthStatus =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown'
  | string;

/** The workload's Argo CD Application. */
export interface ArgoCdInfo {
  name: string;
  namespace: string;
  /** Link to the Application in Argo CD's UI, when its URL is configured. */
  url?: string;
  syncStatus: ArgoSyncStatus;
  /** The catalog repo commit Argo CD compared with (and, when synced, deployed). */
  revision?: string;
  healthStatus: ArgoHealthStatus;
  /** Why the app is not healthy: the app's message (Argo CD 2) or its resources' (Argo CD 3). */
  healthMessage?: string;
  healthSince?: string;
  operation?: {
    phase: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    revision?: string;
  };
  /** Conditions such as ComparisonError or SyncError. */
  conditions: Array<{ type: string; message: string; at?: string }>;
  reconciledAt?: string;
  /** When `revision` was deployed (from the app's history). */
  deployedAt?: string;
  /**
   * Whether `revision` carries the leaf of the pull request the timeline follows (the leaf
   * in that commit is the merged one). Unknown (absent) when it could not be checked.
   */
  deploysPullRequest?: boolean;
  /** Other Applications that matched the selector (a misconfiguration). */
  others?: string[];
  /**
   * The workload among the Application's resources (status.resources): its Deployment,
   * StatefulSet or Rollout, whose live object has the replica counts.
   */
  workloadResource?: ArgoResourceRef;
}

/** One of an Application's resources, as Argo CD's resource endpoint names it. */
export interface ArgoResourceRef {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * The workload's replicas, from its live Deployment, StatefulSet or Rollout (Argo CD's
 * `GET /api/v1/applications/{name}/resource`; the resource tree and the Application's
 * status carry no replica counts).
 */
export interface ReplicaStatus {
  kind: string;
  name: string;
  /** spec.replicas: what the workload asks for (the autoscaler's choice when it scales). */
  desired: number;
  /** status.replicas: pods that exist now. */
  current: number;
  /** status.readyReplicas. */
  ready: number;
}

/**
 * One declared model on the workload's model server: Ollama (/api/tags, /api/ps), or Text
 * Generation Inference (/info, /health).
 */
export interface ModelStatus {
  /** The declared reference: Ollama's normal form (`phi:latest`), or TGI's `id[@revision]`. */
  ref: string;
  /** TGI: the model the server runs (its /info `model_id`), when it is not the declared one. */
  servedModel?: string;
  /** In /api/tags. */
  pulled: boolean;
  /** In /api/ps (in memory). */
  loaded: boolean;
  /** The digest /api/tags reports (lowercase hex). */
  digest?: string;
  /** The digest prefix the leaf pins (lowercase hex), when it pins one. */
  pinnedDigest?: string;
  sizeBytes?: number;
  /** When the model was pulled (modified_at). */
  pulledAt?: string;
  /** When it leaves memory (expires_at). */
  expiresAt?: string;
}

export type TimelineStepId =
  | 'pr-opened'
  | 'pr-reviewed'
  | 'pr-merged'
  | 'argocd-synced'
  | 'healthy'
  | 'model-pulled'
  | 'ready';

export type TimelineStepState =
  'done' | 'active' | 'pending' | 'failed' | 'unknown' | 'skipped';

export interface TimelineStep {
  id: TimelineStepId;
  label: string;
  state: TimelineStepState;
  /** When the step was reached (ISO 8601). */
  at?: string;
  message?: string;
  link?: { url: string; title: string };
}

export type WorkloadPhase =
  | 'pr-open'
  | 'pr-closed'
  | 'merged'
  | 'deploying'
  | 'ready'
  | 'degraded'
  | 'failed'
  | 'unknown';

/** The facts the backend gathers. */
export interface WorkloadStatusFacts {
  entityRef: string;
  workload: {
    workloadType: string;
    serviceName: string;
    serviceCatalog: string;
    environment: string;
    namespace: string;
    leafPath: string;
    /** `merged`: the leaf is on the base branch; `proposed`: only in a pull request. */
    source: 'merged' | 'proposed';
    models: string[];
    /** Web URL of the leaf on the base branch (merged) or the pull request's branch. */
    leafUrl?: string;
  };
  sources: {
    github: SourceStatus;
    argocd: SourceStatus;
    ollama: SourceStatus;
    /** Text Generation Inference's /info and /health (ML_INFERENCE_LOAD). */
    tgi?: SourceStatus;
  };
  pullRequest?: PullRequestInfo;
  /** Absent when Argo CD did not answer; `null` when it has no Application for the workload. */
  argocd?: ArgoCdInfo | null;
  /** Absent when Ollama did not answer or does not apply. */
  models?: ModelStatus[];
  /** Absent when Argo CD did not answer, or the Application has no workload yet. */
  replicas?: ReplicaStatus;
  /** The leaf's problems, when the leaf in the repository is invalid. */
  leafErrors?: Array<{
    path: string;
    message: string;
    line?: number;
    column?: number;
  }>;
  /** When the facts were gathered (ISO 8601). */
  generatedAt: string;
}

/** `GET /api/workload-catalog/workloads/:namespace/:kind/:name/status` */
export interface WorkloadStatusResponse extends WorkloadStatusFacts {
  phase: WorkloadPhase;
  /** One line for the card's header: "PR open", "Ready", "Degraded: …". */
  summary: string;
  steps: TimelineStep[];
}

/** `POST /api/workload-catalog/workloads/:namespace/:kind/:name/configuration` */
export interface WorkloadConfigurationRequest {
  /** The changed leaf; its serviceName, serviceCatalog and environment must stay. */
  leaf: unknown;
}

export interface WorkloadConfigurationResponse {
  pullRequestUrl: string;
  pullRequestNumber: number;
  branch: string;
  leafPath: string;
  title: string;
}

/** `GET /api/workload-catalog/workloads/:namespace/:kind/:name/configuration` */
export interface WorkloadConfigurationCurrent {
  /** The leaf as it is on the base branch (or in the open pull request for a proposed workload). */
  leaf: unknown;
  yaml: string;
  leafPath: string;
  /** The ref it was read from (base branch, or the pull request's head). */
  ref: string;
  /** A pull request already open for this leaf: saving is refused until it is merged or closed. */
  openPullRequest?: { number: number; url: string };
  /** Whether the caller may save (workload-catalog.configuration.update). */
  canEdit: boolean;
}
