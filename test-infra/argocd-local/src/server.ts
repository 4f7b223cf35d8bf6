/*
 * LocalArgoCD: the part of Argo CD's REST API (argocd-server, grpc-gateway) that reads
 * Applications, answering as Argo CD does:
 *
 *   GET /api/version                      {"Version": "..."} (no session needed)
 *   GET /api/v1/applications              ApplicationList; query: selector, name,
 *                                         projects (repeatable) / project, appNamespace, repo
 *   GET /api/v1/applications/{name}       Application; query: appNamespace, project, refresh
 *   GET /api/v1/applications/{name}/resource
 *                                         {"manifest": "<live object as JSON>"} of one of the
 *                                         app's resources; query: namespace, resourceName,
 *                                         version, group, kind, appNamespace, project. Tests
 *                                         set the live objects (setLiveResource); one that
 *                                         is not among them is 400 "... not found as part of
 *                                         application ..." (InvalidArgument), as Argo CD
 *                                         answers for a node not in the app's resource tree
 *
 * Sessions: `Authorization: Bearer <token>` or the `argocd.token` cookie; otherwise 401
 * ("no session information", gRPC code 16). Errors have Argo CD's body
 * `{"error": m, "code": grpcCode, "message": m}`. A missing Application is 403 "permission
 * denied" unless the request names its project (then 404), as argocd-server hides whether
 * an app exists from callers it cannot check.
 *
 * Tests script the state (in process: upsert/setStatus/remove; other processes: the
 * /_local control endpoints) and inject faults. Every Application is checked against
 * Argo CD's schema before it is kept: a test cannot script an object Argo CD would not have.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  CallLog,
  FaultRegistry,
  LocalHttpServer,
} from '@workload-catalog/local-server-kit';
import {
  type ApplicationStatus,
  type ArgoApplication,
  k8sTime,
} from './applications';
import { applicationProblems } from './schema';
import {
  argoSpecsAvailable,
  crdProblems,
  queryProblems,
  responseProblems,
} from './specs';
import { matchesSelector, parseSelector, SelectorError } from './selector';

/** The routes of the API, for faults and call records. */
export type ArgoRoute =
  | 'version'
  | 'applications/list'
  | 'applications/get'
  | 'applications/resource';

export type ArgoFaultKind =
  /** Answer `status` (and `body`) instead of handling the request. */
  | 'status'
  /** Close the connection without answering. */
  | 'drop'
  /** Never answer (until the server stops): a client's timeout must fire. */
  | 'hang';

export interface ArgoFaultSpec {
  /** The route; every route when not set. */
  route?: ArgoRoute;
  /** Let this many matching calls through first (default 0). */
  after?: number;
  /** How many matching calls fail (default 1; Infinity for all). */
  times?: number;
  /** Default: `status` when `status` is set, else `drop`. */
  kind?: ArgoFaultKind;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ArgoCallRecord {
  seq: number;
  method: string;
  path: string;
  route?: ArgoRoute;
  /** 0 when dropped or left hanging. */
  status: number;
  fault?: ArgoFaultKind;
}

export interface LocalArgoCDOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Accepted session tokens; none means no authentication. Default ["local-argocd-token"]. */
  tokens?: string[];
  /** What /api/version reports. Default "v3.1.0+local". */
  version?: string;
  /** Applications to start with (validated). */
  applications?: ArgoApplication[];
  /** One line per request. */
  log?: (line: string) => void;
  /**
   * Check every Application against Argo CD's CRD, and every request and response against
   * its API description (src/specs.ts); problems with a response or request go to
   * `violations`. Default: on when the descriptions are found.
   */
  checkSpecs?: boolean;
}

/** An Application that Argo CD's schema rejects. */
export class InvalidApplicationError extends Error {
  name = 'InvalidApplicationError';
  constructor(
    readonly applicationName: string,
    readonly problems: string[],
  ) {
    super(
      `Application "${applicationName}" does not follow Argo CD's schema: ${problems.join('; ')}`,
    );
  }
}

const GRPC = {
  unknown: 2,
  invalidArgument: 3,
  notFound: 5,
  permissionDenied: 7,
  unauthenticated: 16,
};

const errorBody = (message: string, code: number) => ({
  error: message,
  code,
  message,
});

/** Shallow merge of a status patch: each top-level key given replaces the old one. */
function mergeStatus(
  old: ApplicationStatus | undefined,
  patch: ApplicationStatus,
): ApplicationStatus {
  const out: ApplicationStatus = { ...(old ?? {}) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * An Application as argocd-server serves it: without apiVersion and kind (its API's
 * Application message has metadata, spec, status and operation only, and the objects it
 * reads from its informer carry no type meta).
 */
function served(
  app: ArgoApplication,
): Omit<ArgoApplication, 'apiVersion' | 'kind'> {
  const { apiVersion: _a, kind: _k, ...rest } = app;
  return rest;
}

/** A resource of an app as argocd-server finds it: group, kind, namespace, name. */
function resourceKey(
  group: string,
  kind: string,
  namespace: string,
  name: string,
) {
  return [group, kind, namespace, name].join('/');
}

function key(namespace: string, name: string) {
  return `${namespace}/${name}`;
}

export class LocalArgoCD {
  private readonly callLog = new CallLog<ArgoCallRecord, ArgoRoute>({
    targetOf: call => call.route,
    log: line => this.options.log?.(line),
  });
  readonly calls: ArgoCallRecord[] = this.callLog.calls;
  /** Requests for routes this server does not implement. */
  readonly violations: string[] = [];
  private readonly apps = new Map<string, ArgoApplication>();
  /** Live objects of each app's resources (its cluster state), by app key and resourceKey. */
  private readonly live = new Map<string, Map<string, Record<string, any>>>();
  private readonly faults = new FaultRegistry<ArgoFaultSpec, ArgoRoute>(
    spec => spec.route,
  );
  private resourceVersion = 1000;
  /** Whether Applications, requests and responses are checked against Argo CD's descriptions. */
  readonly checksSpecs: boolean;

  private constructor(
    private readonly listener: LocalHttpServer,
    readonly url: string,
    private readonly options: LocalArgoCDOptions & {
      tokens: string[];
      version: string;
    },
  ) {
    this.checksSpecs = options.checkSpecs ?? argoSpecsAvailable();
  }

  static async start(options: LocalArgoCDOptions = {}): Promise<LocalArgoCD> {
    const listener = await LocalHttpServer.listen(options);
    const instance = new LocalArgoCD(listener, listener.url, {
      ...options,
      tokens: options.tokens ?? ['local-argocd-token'],
      version: options.version ?? 'v3.1.0+local',
    });
    listener.server.on('request', (req, res) => {
      instance.onRequest(req, res).catch(error => {
        instance.violations.push(`internal error: ${error?.stack ?? error}`);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify(errorBody(String(error?.message), GRPC.unknown)),
          );
        }
      });
    });
    try {
      for (const app of options.applications ?? []) await instance.upsert(app);
    } catch (error) {
      await instance.stop();
      throw error;
    }
    return instance;
  }

  // ---------------------------------------------------------------------------------
  // State, scripted by tests

  /**
   * Creates or replaces an Application (as the ApplicationSet controller does). Throws
   * InvalidApplicationError when Argo CD's schema rejects it. Returns the stored object.
   */
  async upsert(app: ArgoApplication): Promise<ArgoApplication> {
    const namespace = app.metadata?.namespace ?? 'argocd';
    const name = app.metadata?.name;
    const old = name ? this.apps.get(key(namespace, name)) : undefined;
    const stored: ArgoApplication = {
      ...app,
      metadata: {
        ...app.metadata,
        namespace,
        uid: old?.metadata.uid ?? randomUUID(),
        creationTimestamp:
          old?.metadata.creationTimestamp ??
          app.metadata?.creationTimestamp ??
          k8sTime(),
        generation: (old?.metadata.generation ?? 0) + 1,
        resourceVersion: String(++this.resourceVersion),
      },
    };
    const problems = await applicationProblems(stored);
    if (this.checksSpecs) problems.push(...crdProblems(stored));
    if (!name) problems.unshift('/metadata must have required property name');
    if (problems.length)
      throw new InvalidApplicationError(name ?? '(no name)', problems);
    this.apps.set(key(namespace, name), stored);
    return stored;
  }

  /** Replaces the given top-level keys of an Application's status (null removes one). */
  async setStatus(
    name: string,
    patch: ApplicationStatus,
    options: { namespace?: string } = {},
  ): Promise<ArgoApplication> {
    const current = this.get(name, options);
    if (!current)
      throw new Error(
        `no Application "${name}" in ${options.namespace ?? 'argocd'}`,
      );
    const { metadata, ...rest } = current;
    return this.upsert({
      ...rest,
      metadata,
      status: mergeStatus(current.status, patch),
    });
  }

  remove(name: string, options: { namespace?: string } = {}): boolean {
    this.live.delete(key(options.namespace ?? 'argocd', name));
    return this.apps.delete(key(options.namespace ?? 'argocd', name));
  }

  /**
   * Sets the live object (as the cluster has it, status included) of one of an
   * Application's resources, e.g. its Deployment with status.replicas; null removes it.
   * The app must exist.
   */
  setLiveResource(
    appName: string,
    manifest: Record<string, any>,
    options: { namespace?: string; remove?: boolean } = {},
  ): void {
    const appKey = key(options.namespace ?? 'argocd', appName);
    if (!this.apps.has(appKey))
      throw new Error(
        `no Application "${appName}" in ${options.namespace ?? 'argocd'}`,
      );
    if (!manifest?.kind || !manifest?.metadata?.name)
      throw new Error('a live resource needs kind and metadata.name');
    const [group, version] = String(manifest.apiVersion ?? '').includes('/')
      ? String(manifest.apiVersion).split('/')
      : ['', String(manifest.apiVersion ?? 'v1')];
    const resources = this.live.get(appKey) ?? new Map();
    const k = resourceKey(
      group,
      manifest.kind,
      manifest.metadata.namespace ?? '',
      manifest.metadata.name,
    );
    if (options.remove) resources.delete(k);
    else resources.set(k, { ...structuredClone(manifest), _version: version });
    this.live.set(appKey, resources);
  }

  get(
    name: string,
    options: { namespace?: string } = {},
  ): ArgoApplication | undefined {
    return this.apps.get(key(options.namespace ?? 'argocd', name));
  }

  list(): ArgoApplication[] {
    return [...this.apps.values()].sort((a, b) =>
      a.metadata.name.localeCompare(b.metadata.name),
    );
  }

  clear(): void {
    this.apps.clear();
    this.live.clear();
  }

  // ---------------------------------------------------------------------------------
  // Faults and calls

  /** Adds a fault; e.g. `{ route: 'applications/list', status: 503 }`, `{ kind: 'hang' }`. */
  addFault(spec: ArgoFaultSpec): void {
    this.faults.add(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  countCalls(route?: ArgoRoute): number {
    return this.callLog.count(route);
  }

  resetCalls(): void {
    this.callLog.reset();
  }

  /** Stops at once: open connections (hanging requests too) are destroyed. */
  stop(): Promise<void> {
    return this.listener.stop();
  }

  // ---------------------------------------------------------------------------------
  // HTTP

  private send(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  private session(req: http.IncomingMessage): string | undefined {
    const auth = req.headers.authorization;
    if (auth) {
      const m = /^Bearer\s+(\S.*)$/i.exec(auth);
      return m ? m[1].trim() : auth;
    }
    const cookie = req.headers.cookie ?? '';
    const m = /(?:^|;\s*)argocd\.token=([^;]+)/.exec(cookie);
    return m ? decodeURIComponent(m[1]) : undefined;
  }

  private async onRequest(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/_local/')) {
      await this.control(req, res, url);
      return;
    }
    let route: ArgoRoute | undefined;
    let name: string | undefined;
    if (method === 'GET' && url.pathname === '/api/version') route = 'version';
    else if (method === 'GET' && url.pathname === '/api/v1/applications')
      route = 'applications/list';
    else {
      const m = /^\/api\/v1\/applications\/([^/]+)(\/resource)?$/.exec(
        url.pathname,
      );
      if (method === 'GET' && m) {
        route = m[2] ? 'applications/resource' : 'applications/get';
        name = decodeURIComponent(m[1]);
      }
    }
    const path = url.pathname + url.search;
    if (!route) {
      this.violations.push(`not implemented: ${method} ${path}`);
      this.callLog.record({ method, path, status: 404 });
      this.send(res, 404, errorBody('Not Found', GRPC.notFound));
      return;
    }

    const fault = this.faults.take(route);
    if (fault?.kind === 'drop') {
      this.callLog.record({ method, path, route, status: 0, fault: 'drop' });
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') {
      this.callLog.record({ method, path, route, status: 0, fault: 'hang' });
      return; // the socket is destroyed by stop()
    }
    if (fault?.kind === 'status') {
      const status = fault.spec.status ?? 503;
      this.callLog.record({ method, path, route, status, fault: 'status' });
      this.send(
        res,
        status,
        fault.spec.body ??
          errorBody(
            status === 503 ? 'service unavailable' : `error ${status}`,
            GRPC.unknown,
          ),
        fault.spec.headers,
      );
      return;
    }

    const answer = (status: number, body: unknown) => {
      this.callLog.record({ method, path, route, status });
      // What Argo CD's API description says this answer must look like.
      if (this.checksSpecs)
        for (const p of responseProblems(route!, status, body))
          this.violations.push(`response to ${method} ${path}: ${p}`);
      this.send(res, status, body);
    };
    if (this.checksSpecs)
      for (const p of queryProblems(route, url.searchParams))
        this.violations.push(`request ${method} ${path}: ${p}`);

    if (route === 'version') {
      answer(200, { Version: this.options.version });
      return;
    }
    if (this.options.tokens.length > 0) {
      const token = this.session(req);
      if (!token) {
        answer(401, errorBody('no session information', GRPC.unauthenticated));
        return;
      }
      if (!this.options.tokens.includes(token)) {
        answer(
          401,
          errorBody(
            'invalid session: token signature is invalid',
            GRPC.unauthenticated,
          ),
        );
        return;
      }
    }

    const q = url.searchParams;
    const appNamespace = q.get('appNamespace') || 'argocd';
    if (route === 'applications/get' || route === 'applications/resource') {
      const project = q.get('project') || undefined;
      const app = this.apps.get(key(appNamespace, name!));
      if (!app || (project && app.spec?.project !== project)) {
        if (project) {
          const message = `applications.argoproj.io "${name}" not found`;
          answer(404, errorBody(message, GRPC.notFound));
        } else {
          answer(403, errorBody('permission denied', GRPC.permissionDenied));
        }
        return;
      }
      if (route === 'applications/resource') {
        const group = q.get('group') ?? '';
        const kind = q.get('kind') ?? '';
        const resourceName = q.get('resourceName') ?? '';
        const found = this.live
          .get(key(appNamespace, name!))
          ?.get(
            resourceKey(group, kind, q.get('namespace') ?? '', resourceName),
          );
        if (!found) {
          // argocd-server: the node is looked up in the app's resource tree
          const message = `${kind} ${group} ${resourceName} not found as part of application ${name}`;
          answer(400, errorBody(message, GRPC.invalidArgument));
          return;
        }
        const { _version, ...manifest } = found;
        answer(200, { manifest: JSON.stringify(manifest) });
        return;
      }
      answer(200, served(app));
      return;
    }

    // applications/list
    let requirements;
    try {
      requirements = parseSelector(q.get('selector') ?? '');
    } catch (error) {
      if (!(error instanceof SelectorError)) throw error;
      const message = `error parsing the selector ${error.message}`;
      answer(500, errorBody(message, GRPC.unknown));
      return;
    }
    const projects = [...q.getAll('projects'), ...q.getAll('project')].filter(
      Boolean,
    );
    const wantedName = q.get('name') || undefined;
    const repo = q.get('repo') || undefined;
    const items = this.list().filter(
      app =>
        (app.metadata.namespace ?? 'argocd') === appNamespace &&
        (!wantedName || app.metadata.name === wantedName) &&
        (!projects.length || projects.includes(app.spec?.project)) &&
        (!repo ||
          app.spec?.source?.repoURL === repo ||
          (app.spec?.sources ?? []).some(
            (s: { repoURL?: string }) => s?.repoURL === repo,
          )) &&
        matchesSelector(requirements, app.metadata.labels),
    );
    answer(200, {
      metadata: { resourceVersion: String(this.resourceVersion) },
      items: items.map(served),
    });
  }

  /** /_local/...: the control endpoints for tests in other processes (no authentication). */
  private async control(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const body = async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      return text ? JSON.parse(text) : undefined;
    };
    const parts = url.pathname.split('/').filter(Boolean).slice(1);
    const namespace = url.searchParams.get('namespace') ?? undefined;
    try {
      if (parts[0] === 'applications' && parts.length === 1) {
        if (method === 'GET') return this.send(res, 200, this.list());
        if (method === 'DELETE') {
          this.clear();
          return this.send(res, 200, {});
        }
        if (method === 'POST')
          return this.send(res, 200, await this.upsert(await body()));
      }
      if (parts[0] === 'applications' && parts.length >= 2) {
        const name = decodeURIComponent(parts[1]);
        if (parts.length === 2 && method === 'PUT') {
          const app = await body();
          if (app?.metadata?.name !== name)
            return this.send(res, 400, {
              message: `metadata.name must be "${name}"`,
            });
          return this.send(res, 200, await this.upsert(app));
        }
        if (parts.length === 2 && method === 'DELETE') {
          return this.send(
            res,
            this.remove(name, { namespace }) ? 200 : 404,
            {},
          );
        }
        if (
          parts.length === 3 &&
          parts[2] === 'resources' &&
          method === 'PUT'
        ) {
          if (!this.get(name, { namespace }))
            return this.send(res, 404, { message: `no Application "${name}"` });
          this.setLiveResource(name, await body(), { namespace });
          return this.send(res, 200, {});
        }
        if (parts.length === 3 && parts[2] === 'status' && method === 'PATCH') {
          if (!this.get(name, { namespace }))
            return this.send(res, 404, { message: `no Application "${name}"` });
          return this.send(
            res,
            200,
            await this.setStatus(name, await body(), { namespace }),
          );
        }
      }
      if (parts[0] === 'faults' && parts.length === 1) {
        if (method === 'POST') {
          this.addFault(await body());
          return this.send(res, 200, {});
        }
        if (method === 'DELETE') {
          this.clearFaults();
          return this.send(res, 200, {});
        }
      }
      if (parts[0] === 'calls' && parts.length === 1) {
        if (method === 'GET') return this.send(res, 200, this.calls);
        if (method === 'DELETE') {
          this.resetCalls();
          return this.send(res, 200, {});
        }
      }
      if (parts[0] === 'violations' && method === 'GET')
        return this.send(res, 200, this.violations);
      return this.send(res, 404, {
        message: `no control endpoint ${method} ${url.pathname}`,
      });
    } catch (error) {
      const status = error instanceof InvalidApplicationError ? 422 : 400;
      return this.send(res, status, {
        message: (error as Error).message,
        ...(error instanceof InvalidApplicationError
          ? { problems: error.problems }
          : {}),
      });
    }
  }
}
