/*
 * The workload's Argo CD Application, read through Argo CD's REST API with the backend's
 * token: listed by the labels the ApplicationSet puts on it (the leaf's service name,
 * catalog and environment), and reduced to what the timeline needs.
 */
import type {
  ArgoCdInfo,
  ArgoResourceRef,
  ReplicaStatus,
} from '@workload-catalog/plugin-workload-catalog-common';

/** Argo CD did not answer usefully; the message says why, for the card. */
export class SourceError extends Error {
  name = 'SourceError';
}

type Json = any;

export interface ArgoCdClientOptions {
  baseUrl: string;
  token: string;
  uiUrl: string;
  appNamespace?: string;
  timeoutMs: number;
  /** The catalog repo: picks the catalog source of a multi-source Application. */
  catalogRepoUrl?: string;
}

/** Reads a fetch failure as one sentence. */
export function describeFetchError(
  what: string,
  error: unknown,
  timeoutMs: number,
): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError')
    return `${what} did not answer within ${timeoutMs} ms`;
  const cause = err?.cause?.code ?? err?.cause?.message;
  return `${what} is not reachable: ${err?.message ?? err}${cause ? ` (${cause})` : ''}`;
}

/** Why Argo CD's application is not healthy, from what Argo CD 2 and 3 write. */
export function healthMessage(app: Json): string | undefined {
  const health = app?.status?.health;
  if (health?.message) return health.message;
  const status = health?.status;
  const resources: Json[] = app?.status?.resources ?? [];
  const messages = resources
    .filter(
      r =>
        r?.health?.message &&
        (r.health.status === status ||
          (status !== 'Healthy' && r.health.status !== 'Healthy')),
    )
    .map(r => `${r.kind} ${r.name}: ${r.health.message}`);
  if (messages.length) return messages.join('; ');
  return undefined;
}

/**
 * A Git repository URL in a form two spellings of the same repository share: no scheme,
 * user, `.git` or trailing slash, host in lower case (`git@host:o/r` and
 * `https://host/o/r.git` are the same).
 */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim();
  const scp = /^[\w.-]+@([^:/]+):(.*)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '');
  u = u
    .replace(/([^/])\/+$|^\/+$/, '$1')
    .replace(/\.git$/i, '')
    .replace(/([^/])\/+$|^\/+$/, '$1');
  const slash = u.indexOf('/');
  return slash < 0
    ? u.toLowerCase()
    : u.slice(0, slash).toLowerCase() + u.slice(slash);
}

/**
 * Which entry of a multi-source Application's `sources` is the catalog repo: the one whose
 * repoURL is the catalog repo, else the `ref` source whose files another source's Helm
 * valueFiles read (`$catalog/...`, as deploy/argocd's ApplicationSet does). -1 when none.
 */
export function catalogSourceIndex(
  sources: Json[] | undefined,
  catalogRepoUrl?: string,
): number {
  if (!Array.isArray(sources)) return -1;
  if (catalogRepoUrl) {
    const want = normalizeRepoUrl(catalogRepoUrl);
    const i = sources.findIndex(
      s =>
        typeof s?.repoURL === 'string' && normalizeRepoUrl(s.repoURL) === want,
    );
    if (i >= 0) return i;
  }
  const valueFileRefs = new Set<string>();
  for (const s of sources)
    for (const f of s?.helm?.valueFiles ?? [])
      if (typeof f === 'string' && f.startsWith('$'))
        valueFileRefs.add(f.slice(1).split('/')[0]);
  return sources.findIndex(
    s => typeof s?.ref === 'string' && valueFileRefs.has(s.ref),
  );
}

/**
 * Reads the catalog repo's revision from an object Argo CD writes with the revision of
 * each source: the singular `revision` for a single-source Application, and for a
 * multi-source one the entry of `revisions` at the catalog source's position (Argo CD
 * fills `revisions` in `spec.sources` order and leaves `revision` empty). `sources` is
 * the object's own list when it has one (a history entry records the sources it deployed).
 */
function revisionOf(
  holder: Json,
  app: { multiSource: boolean; index: number; sources?: Json[] },
  catalogRepoUrl?: string,
): string | undefined {
  if (!holder) return undefined;
  if (!app.multiSource) {
    return typeof holder.revision === 'string' && holder.revision
      ? holder.revision
      : undefined;
  }
  const own = Array.isArray(holder.sources)
    ? catalogSourceIndex(holder.sources, catalogRepoUrl)
    : -1;
  const index = own >= 0 ? own : app.index;
  const value = index >= 0 ? holder.revisions?.[index] : undefined;
  return typeof value === 'string' && value ? value : undefined;
}

/** Kinds that run the workload's pods, by API group, in the order they are looked for. */
const WORKLOAD_KINDS: Array<{ group: string; kind: string }> = [
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'argoproj.io', kind: 'Rollout' },
];

/** The workload (Deployment, StatefulSet or Rollout) among the app's status.resources. */
export function workloadResourceOf(app: Json): ArgoResourceRef | undefined {
  const resources: Json[] = Array.isArray(app?.status?.resources)
    ? app.status.resources
    : [];
  for (const { group, kind } of WORKLOAD_KINDS) {
    const r = resources.find(
      x =>
        x?.kind === kind &&
        (x.group ?? '') === group &&
        typeof x.name === 'string',
    );
    if (r)
      return {
        group,
        version: r.version ?? 'v1',
        kind,
        namespace: r.namespace ?? app.spec?.destination?.namespace ?? '',
        name: r.name,
      };
  }
  return undefined;
}

/** The replica counts of a live workload object (as Argo CD's resource endpoint gives it). */
export function replicasOf(live: Json): ReplicaStatus {
  const count = (v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
  return {
    kind: String(live?.kind),
    name: String(live?.metadata?.name),
    // spec.replicas defaults to 1 when a manifest leaves it out
    desired: live?.spec?.replicas === undefined ? 1 : count(live.spec.replicas),
    current: count(live?.status?.replicas),
    ready: count(live?.status?.readyReplicas),
  };
}

/**
 * The Application as the timeline needs it. `catalogRepoUrl` (the configured catalog
 * repo) picks the catalog source of a multi-source Application.
 */
export function toArgoCdInfo(
  app: Json,
  uiUrl: string,
  catalogRepoUrl?: string,
): ArgoCdInfo {
  const status = app.status ?? {};
  const namespace = app.metadata?.namespace ?? 'argocd';
  const specSources: Json[] | undefined = Array.isArray(app.spec?.sources)
    ? app.spec.sources
    : undefined;
  // Argo CD treats an Application as multi-source when spec.sources is not empty.
  const multiSource = !!specSources?.length;
  const shape = {
    multiSource,
    index: catalogSourceIndex(specSources, catalogRepoUrl),
  };
  const rev = (holder: Json) => revisionOf(holder, shape, catalogRepoUrl);
  const revision = rev(status.sync);
  const op = status.operationState;
  const opRevision = op
    ? (rev(op.syncResult) ?? rev(op.operation?.sync))
    : undefined;
  const deployed = (status.history ?? [])
    .filter((h: Json) => revision !== undefined && rev(h) === revision)
    .map((h: Json) => h.deployedAt as string)
    .sort()
    .at(-1);
  return {
    name: app.metadata.name,
    namespace,
    url: `${uiUrl}/applications/${encodeURIComponent(namespace)}/${encodeURIComponent(app.metadata.name)}`,
    syncStatus: status.sync?.status ?? 'Unknown',
    ...(revision ? { revision } : {}),
    healthStatus: status.health?.status ?? 'Unknown',
    ...(healthMessage(app) ? { healthMessage: healthMessage(app) } : {}),
    ...(status.health?.lastTransitionTime
      ? { healthSince: status.health.lastTransitionTime }
      : {}),
    ...(op
      ? {
          operation: {
            phase: op.phase,
            ...(op.message ? { message: op.message } : {}),
            ...(op.startedAt ? { startedAt: op.startedAt } : {}),
            ...(op.finishedAt ? { finishedAt: op.finishedAt } : {}),
            ...(opRevision ? { revision: opRevision } : {}),
          },
        }
      : {}),
    conditions: (status.conditions ?? []).map((c: Json) => ({
      type: c.type,
      message: c.message,
      ...(c.lastTransitionTime ? { at: c.lastTransitionTime } : {}),
    })),
    ...(status.reconciledAt ? { reconciledAt: status.reconciledAt } : {}),
    ...(deployed ? { deployedAt: deployed } : {}),
    ...(workloadResourceOf(app)
      ? { workloadResource: workloadResourceOf(app) }
      : {}),
  };
}

export class ArgoCdClient {
  constructor(private readonly options: ArgoCdClientOptions) {}

  private async get(
    path: string,
    action = 'list applications',
    /** Statuses besides 200 the caller reads itself. */
    accept: number[] = [],
  ): Promise<{ status: number; body: Json }> {
    const url = `${this.options.baseUrl}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers: {
          authorization: `Bearer ${this.options.token}`,
          accept: 'application/json',
        },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new SourceError(
        describeFetchError(
          `Argo CD at ${this.options.baseUrl}`,
          error,
          this.options.timeoutMs,
        ),
      );
    }
    let body: Json;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    if (res.status === 401) {
      throw new SourceError(
        `Argo CD rejected the token (401: ${body?.message ?? 'unauthenticated'}); check workloadCatalog.status.argocd.token`,
      );
    }
    if (res.status === 403) {
      throw new SourceError(
        `Argo CD refused to ${action} (403: ${body?.message ?? 'permission denied'}); the token needs "applications, get" in Argo CD's RBAC`,
      );
    }
    if (accept.includes(res.status)) return { status: res.status, body };
    if (res.status !== 200) {
      throw new SourceError(
        `Argo CD answered ${res.status}${body?.message ? `: ${body.message}` : ''}`,
      );
    }
    if (!body || typeof body !== 'object')
      throw new SourceError('Argo CD did not answer JSON');
    return { status: res.status, body };
  }

  /**
   * The replicas of the app's workload: its live object through Argo CD's
   * `GET /api/v1/applications/{name}/resource` (what the UI's live manifest view reads).
   */
  async workloadReplicas(
    app: Pick<ArgoCdInfo, 'name' | 'namespace'>,
    resource: ArgoResourceRef,
  ): Promise<ReplicaStatus | undefined> {
    const query = new URLSearchParams({
      namespace: resource.namespace,
      resourceName: resource.name,
      version: resource.version,
      group: resource.group,
      kind: resource.kind,
      appNamespace: app.namespace,
    });
    const { status, body } = await this.get(
      `/api/v1/applications/${encodeURIComponent(app.name)}/resource?${query}`,
      `read the ${resource.kind} of ${app.name}`,
      [400],
    );
    // 400 (InvalidArgument) "... not found as part of application": argocd-server has no
    // live object for it (the resource is listed but not created yet): no replicas yet.
    if (status === 400) return undefined;
    let live: Json;
    try {
      live = JSON.parse(body.manifest);
    } catch {
      throw new SourceError(
        `Argo CD's answer for the ${resource.kind} ${resource.name} has no manifest`,
      );
    }
    return replicasOf(live);
  }

  /**
   * The Application with these labels (`null` when there is none yet). When several match,
   * the one named `preferredName` (else the first by name) and the names of the others.
   */
  async findApplication(
    selector: string,
    preferredName?: string,
  ): Promise<ArgoCdInfo | null> {
    const query = new URLSearchParams({ selector });
    if (this.options.appNamespace)
      query.set('appNamespace', this.options.appNamespace);
    const { body } = await this.get(`/api/v1/applications?${query}`);
    const items: Json[] = Array.isArray(body.items) ? body.items : [];
    if (!items.length) return null;
    const sorted = [...items].sort((a, b) =>
      String(a.metadata?.name).localeCompare(String(b.metadata?.name)),
    );
    const chosen =
      sorted.find(a => a.metadata?.name === preferredName) ?? sorted[0];
    const sources = chosen.spec?.sources;
    if (
      Array.isArray(sources) &&
      sources.length &&
      catalogSourceIndex(sources, this.options.catalogRepoUrl) < 0
    ) {
      throw new SourceError(
        `Application ${chosen.metadata?.name} has ${sources.length} sources and none is the catalog repo${this.options.catalogRepoUrl ? ` ${this.options.catalogRepoUrl}` : ''} (by repoURL, or as the ref source its Helm valueFiles read as $<ref>/...), so which catalog commit it deploys is not known`,
      );
    }
    const info = toArgoCdInfo(
      chosen,
      this.options.uiUrl,
      this.options.catalogRepoUrl,
    );
    const others = sorted
      .filter(a => a !== chosen)
      .map(a => String(a.metadata?.name));
    return others.length ? { ...info, others } : info;
  }
}
