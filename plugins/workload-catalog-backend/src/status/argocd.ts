/*
 * The workload's Argo CD Application, read through Argo CD's REST API with the backend's
 * token: listed by the labels the ApplicationSet puts on it (the leaf's service name,
 * catalog and environment), and reduced to what the timeline needs.
 */
import type { ArgoCdInfo } from '@workload-catalog/plugin-workload-catalog-common';

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

/** The Application as the timeline needs it. */
export function toArgoCdInfo(app: Json, uiUrl: string): ArgoCdInfo {
  const status = app.status ?? {};
  const namespace = app.metadata?.namespace ?? 'argocd';
  const revision: string | undefined = status.sync?.revision;
  const op = status.operationState;
  const deployed = (status.history ?? [])
    .filter((h: Json) => h.revision === revision)
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
            ...((op.syncResult?.revision ?? op.operation?.sync?.revision)
              ? {
                  revision:
                    op.syncResult?.revision ?? op.operation?.sync?.revision,
                }
              : {}),
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
  };
}

export class ArgoCdClient {
  constructor(private readonly options: ArgoCdClientOptions) {}

  private async get(path: string): Promise<{ status: number; body: Json }> {
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
        `Argo CD refused to list applications (403: ${body?.message ?? 'permission denied'}); the token needs "applications, get" in Argo CD's RBAC`,
      );
    }
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
    const info = toArgoCdInfo(chosen, this.options.uiUrl);
    const others = sorted
      .filter(a => a !== chosen)
      .map(a => String(a.metadata?.name));
    return others.length ? { ...info, others } : info;
  }
}
