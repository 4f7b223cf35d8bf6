/*
 * LocalGitHub: the HTTP server. GitHub Enterprise's layout (REST under /api/v3, GraphQL at
 * /api/graphql, web pages at /), so clients use it exactly as they use GitHub Enterprise:
 * octokit with `baseUrl`, Backstage with an integration's `apiBaseUrl`.
 *
 * Every REST request is validated against GitHub's OpenAPI description before it is
 * handled, and every response before it is sent. A violation answers 422 (request) or 500
 * (response) and is kept in `violations`, so a test can fail on it.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CallLog, LocalHttpServer } from '@workload-catalog/local-server-kit';
import { FaultInjector, type Fault } from './faults';
import { renderPage } from './html';
import { ObjectBuilder } from './objects';
import { HttpError, RestApi, type RestResponse } from './rest';
import { GitHubApps, type LocalGitHubApp } from './apps';
import { GraphqlApi, graphqlOperationName } from './graphql';
import { isGitPath, serveGit } from './smartHttp';
import {
  APP_OPERATIONS,
  INSTALLATION_OPERATIONS,
  describeErrors,
  loadGitHubSpec,
  type GitHubSpec,
  type OperationId,
  type RepoOperationId,
} from './spec';
import { Store, type RepoState } from './store';

export interface LocalRepoSeed {
  owner: string;
  repo: string;
  defaultBranch?: string;
  /** Files of the first commit (path -> content); a README when not set. */
  files?: Record<string, string | Buffer>;
}

export interface LocalGitHubOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Where the git repositories live; a temporary folder (removed by stop()) when not set. */
  dataDir?: string;
  /** Tokens the API accepts (`Authorization: token X` or `Bearer X`). Default: ["local-dev-token"]. */
  tokens?: string[];
  /** Login of the user the tokens belong to. Default "workload-catalog-bot". */
  user?: string;
  /** Added to every API call before it is handled (for benchmarks). */
  latencyMs?: number;
  /** Repositories to create at start when missing. */
  repos?: LocalRepoSeed[];
  /** Receives one line per request (e.g. console.log). */
  log?: (line: string) => void;
  /**
   * GitHub Apps: each authenticates with a JWT signed by its key, and its installations get
   * access tokens that the repository API accepts (for their account and repositories).
   */
  apps?: LocalGitHubApp[];
}

export interface CallRecord {
  seq: number;
  method: string;
  /** Path as requested, e.g. /api/v3/repos/o/r/git/refs */
  path: string;
  /**
   * GitHub operationId; `graphql` (a query) or `graphql/<mutation>`; `smart-http/info-refs`
   * or `smart-http/git-upload-pack` (git clone and fetch); undefined for unknown routes.
   */
  operation?: string;
  /** Status sent; 0 when the connection was dropped. */
  status: number;
  /** The fault applied, if any. */
  fault?: Fault['kind'];
}

interface Route {
  operation: OperationId;
  method: string;
  regex: RegExp;
  names: string[];
  template: string;
}

/** Parameters that may contain slashes (GitHub accepts them raw or %2F-encoded). */
const GREEDY_PARAMS = new Set(['path', 'ref']);

function compileRoutes(spec: GitHubSpec): Route[] {
  return Object.entries(spec.routes).map(
    ([operation, { method, path: template }]) => {
      const names: string[] = [];
      // eslint-disable-next-line redos/no-vulnerable -- route templates written in this file
      const pattern = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
        names.push(name);
        return GREEDY_PARAMS.has(name) ? '(.+)' : '([^/]+)';
      });
      return {
        operation: operation as OperationId,
        method,
        regex: new RegExp(`^${pattern}$`),
        names,
        template,
      };
    },
  );
}

const DOCS = 'https://docs.github.com/rest';

/** Does an If-None-Match header name this ETag (weak comparison, as GitHub does)? */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const weak = (tag: string) => tag.trim().replace(/^W\//, '');
  return header
    .split(',')
    .some(tag => tag.trim() === '*' || weak(tag) === weak(etag));
}

/**
 * Conditional requests as GitHub answers them: every GET carries an ETag of its answer, and
 * a request whose If-None-Match names the current one gets 304 Not Modified without a body
 * (GitHub does not count those against the rate limit).
 */
function conditional(
  response: RestResponse,
  ifNoneMatch: string | undefined,
): RestResponse {
  const etag = `W/"${createHash('sha256')
    .update(JSON.stringify(response.body ?? null))
    .digest('hex')
    .slice(0, 40)}"`;
  const headers = {
    ...response.headers,
    etag,
    'cache-control': 'private, max-age=60, s-maxage=60',
    vary: 'Accept, Authorization, Cookie, X-GitHub-OTP',
  };
  if (etagMatches(ifNoneMatch, etag)) {
    // The client keeps what it had: the body and its Link header.
    const notModified: Record<string, string> = { ...headers };
    delete notModified.link;
    return { status: 304, headers: notModified };
  }
  return { ...response, headers };
}

export class LocalGitHub {
  readonly faults = new FaultInjector();
  private readonly callLog = new CallLog<CallRecord>({
    targetOf: call => call.operation,
    log: line => this.options.log?.(line),
    unanswered: 'dropped',
  });
  readonly calls: CallRecord[] = this.callLog.calls;
  /** Requests and responses that did not match GitHub's OpenAPI description. */
  readonly violations: string[] = [];
  private githubApps?: GitHubApps;

  private constructor(
    private readonly listener: LocalHttpServer,
    private readonly spec: GitHubSpec,
    private readonly routes: Route[],
    readonly store: Store,
    private readonly rest: RestApi,
    private readonly graphqlApi: GraphqlApi,
    private readonly options: Required<
      Pick<LocalGitHubOptions, 'tokens' | 'user' | 'latencyMs'>
    > &
      LocalGitHubOptions,
    private readonly ownsDataDir: boolean,
    readonly url: string,
  ) {}

  /** Starts a server; resolves when it listens. */
  static async start(options: LocalGitHubOptions = {}): Promise<LocalGitHub> {
    const spec = await loadGitHubSpec();
    const ownsDataDir = !options.dataDir;
    const dataDir =
      options.dataDir ??
      (await fs.mkdtemp(path.join(os.tmpdir(), 'github-local-')));
    await fs.mkdir(dataDir, { recursive: true });
    const store = new Store(dataDir);
    await store.load();

    const listener = await LocalHttpServer.listen(options);
    const url = listener.url;
    const objects = new ObjectBuilder(spec.examples, {
      api: `${url}/api/v3`,
      html: url,
    });
    const instance = new LocalGitHub(
      listener,
      spec,
      compileRoutes(spec),
      store,
      new RestApi(store, objects),
      new GraphqlApi(store, objects),
      {
        ...options,
        tokens: options.tokens ?? ['local-dev-token'],
        user: options.user ?? 'workload-catalog-bot',
        latencyMs: options.latencyMs ?? 0,
      },
      ownsDataDir,
      url,
    );
    listener.server.on('request', (req, res) => {
      instance.onRequest(req, res).catch(error => {
        instance.violations.push(`internal error: ${error?.stack ?? error}`);
        if (!res.headersSent) {
          res.writeHead(500, {
            'content-type': 'application/json; charset=utf-8',
          });
          res.end(
            JSON.stringify({
              message: `github-local internal error: ${error?.message ?? error}`,
              documentation_url: DOCS,
            }),
          );
        }
      });
    });
    if (options.apps?.length) {
      instance.githubApps = new GitHubApps(options.apps, {
        examples: spec.examples,
        apiUrl: `${url}/api/v3`,
        htmlUrl: url,
        user: (login, id) => objects.user(login, id),
        repository: (owner, name) => {
          const repo = store.get(owner, name);
          return (
            repo &&
            objects.repository(
              repo.owner,
              repo.name,
              repo.defaultBranch,
              repo.id,
            )
          );
        },
        repositories: owner =>
          store
            .list()
            .filter(r => r.owner.toLowerCase() === owner.toLowerCase())
            .map(r => r.name),
      });
    }
    for (const seed of options.repos ?? []) {
      await instance.createRepo(seed);
    }
    return instance;
  }

  /** REST base URL, as for GitHub Enterprise: http://127.0.0.1:PORT/api/v3 */
  get apiUrl(): string {
    return `${this.url}/api/v3`;
  }

  /** host:port, as used in Backstage's integrations config. */
  get host(): string {
    return new URL(this.url).host;
  }

  get dataDir(): string {
    return this.store.dataDir;
  }

  createRepo(seed: LocalRepoSeed): Promise<RepoState> {
    return this.store.create(seed.owner, seed.repo, {
      defaultBranch: seed.defaultBranch,
      files: seed.files,
    });
  }

  /** The repository's state (git repository and pull requests). */
  repo(owner: string, name: string): RepoState {
    const repo = this.store.get(owner, name);
    if (!repo) throw new Error(`no repository ${owner}/${name}`);
    return repo;
  }

  /** Changes the latency added to every API call (benchmarks set up without it). */
  setLatency(ms: number): void {
    this.options.latencyMs = ms;
  }

  /** Calls of one operation (or all), e.g. `countCalls('pulls/create')`. */
  countCalls(operation?: string): number {
    return this.callLog.count(operation);
  }

  resetCalls(): void {
    this.callLog.reset();
  }

  async stop(): Promise<void> {
    await this.listener.stop();
    if (this.ownsDataDir)
      await fs.rm(this.store.dataDir, { recursive: true, force: true });
  }

  // -------------------------------------------------------------------------------------

  private async readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > 10 * 1024 * 1024)
        throw new HttpError(413, 'Request body too large');
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private send(res: http.ServerResponse, response: RestResponse) {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const headers: Record<string, string> = {
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `LOCAL:${this.callLog.lastSeq}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-resource': 'core',
      ...response.headers,
    };
    if (response.body === undefined) {
      res.writeHead(response.status, headers);
      res.end();
      return;
    }
    headers['content-type'] = 'application/json; charset=utf-8';
    res.writeHead(response.status, headers);
    res.end(JSON.stringify(response.body));
  }

  /**
   * Who a request is: a configured token, an app (JWT, for the app's own operations) or an
   * app installation (a token this server issued); or the 401 GitHub would answer.
   */
  private authenticate(
    req: http.IncomingMessage,
    operation: string | undefined,
  ): {
    denied?: RestResponse;
    app?: LocalGitHubApp;
    installation?: ReturnType<GitHubApps['installationFor']>;
  } {
    const header = req.headers.authorization;
    const deny = (message: string) => ({
      denied: { status: 401, body: { message, documentation_url: DOCS } },
    });
    if (this.githubApps && APP_OPERATIONS.includes(operation as OperationId)) {
      try {
        return { app: this.githubApps.appFor(header) };
      } catch (error) {
        if (error instanceof HttpError)
          return { denied: { status: error.status, body: error.body() } };
        throw error;
      }
    }
    if (this.options.tokens.length === 0 && !this.githubApps) return {};
    if (!header) return deny('Requires authentication');
    const token = header.replace(/^(token|bearer)\s+/i, '');
    const installation = this.githubApps?.installationFor(token);
    if (installation) return { installation };
    if (
      INSTALLATION_OPERATIONS.includes(operation as OperationId) ||
      !this.options.tokens.includes(token)
    )
      return deny('Bad credentials');
    return {};
  }

  private async onRequest(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    if (
      url.pathname.startsWith('/api/v3/') ||
      url.pathname === '/api/graphql'
    ) {
      if (this.options.latencyMs > 0)
        await new Promise(r => setTimeout(r, this.options.latencyMs));
      await this.onApi(req, res, url, method);
      return;
    }
    if (url.pathname.startsWith('/_local/')) {
      await this.onControl(req, res, url, method);
      return;
    }
    if (isGitPath(url.pathname)) {
      const status = await serveGit(req, res, url, this.store, {
        check: (password, owner, name) => {
          if (this.options.tokens.length === 0 && !this.githubApps) return 'ok';
          if (!password) return 'unauthenticated';
          const installation = this.githubApps?.installationFor(password);
          if (installation)
            return GitHubApps.allows(installation, owner, name)
              ? 'ok'
              : 'not-found';
          return this.options.tokens.includes(password)
            ? 'ok'
            : 'bad-credentials';
        },
      });
      this.callLog.record({
        method,
        path: url.pathname + url.search,
        operation: url.pathname.endsWith('/info/refs')
          ? 'smart-http/info-refs'
          : `smart-http/${url.pathname.split('/').pop()}`,
        status,
      });
      return;
    }
    const page = await renderPage(
      { store: this.store, rest: this.rest, user: this.options.user },
      method,
      url,
      async () => this.readBody(req),
    );
    res.writeHead(page.status, {
      'content-type': page.contentType ?? 'text/html; charset=utf-8',
      ...page.headers,
    });
    res.end(page.body);
  }

  private async onApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    method: string,
  ): Promise<void> {
    const apiPath =
      url.pathname === '/api/graphql'
        ? '/graphql'
        : url.pathname.slice('/api/v3'.length);
    let route: Route | undefined;
    let match: RegExpExecArray | null = null;
    if (apiPath !== '/graphql') {
      for (const r of this.routes) {
        if (r.method !== method) continue;
        match = r.regex.exec(apiPath);
        if (match) {
          route = r;
          break;
        }
      }
    }
    // A GraphQL request is named by what it does (graphql, graphql/createCommitOnBranch):
    // its body is read first.
    let graphqlBody: unknown;
    let graphqlRaw: string | undefined;
    if (apiPath === '/graphql' && method === 'POST') {
      graphqlRaw = await this.readBody(req);
      try {
        graphqlBody = graphqlRaw ? JSON.parse(graphqlRaw) : undefined;
      } catch {
        graphqlBody = undefined;
      }
    }
    const operation =
      graphqlRaw !== undefined
        ? graphqlOperationName(graphqlBody)
        : route?.operation;
    const base = { method, path: url.pathname + url.search, operation };

    const auth = this.authenticate(req, operation);
    if (auth.denied) {
      this.send(res, auth.denied);
      this.callLog.record({ ...base, status: auth.denied.status });
      return;
    }
    if (!operation) {
      const response = {
        status: 404,
        body: {
          message: `Not Found (github-local does not implement ${method} ${apiPath})`,
          documentation_url: DOCS,
        },
      };
      this.violations.push(`unimplemented endpoint ${method} ${apiPath}`);
      this.send(res, response);
      this.callLog.record({ ...base, status: 404 });
      return;
    }

    const fault = this.faults.take(operation);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      this.callLog.record({ ...base, status: 0, fault: 'drop' });
      return;
    }
    if (fault?.kind === 'status') {
      const status = fault.spec.status ?? 500;
      this.send(res, {
        status,
        headers: fault.spec.headers,
        body: fault.spec.body ?? {
          message: http.STATUS_CODES[status] ?? 'Error',
          documentation_url: DOCS,
        },
      });
      this.callLog.record({ ...base, status, fault: 'status' });
      return;
    }

    let response: RestResponse;
    try {
      const raw = graphqlRaw ?? (await this.readBody(req));
      let body: any;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new HttpError(400, 'Problems parsing JSON');
        }
      }
      if (graphqlRaw !== undefined) {
        const installation = auth.installation;
        const result = await this.graphqlApi.handle(body, {
          user: this.options.user,
          allows: (owner, name) =>
            !installation || GitHubApps.allows(installation, owner, name),
        });
        for (const field of result.unimplemented)
          this.violations.push(
            `GraphQL field ${field} is not implemented by github-local`,
          );
        response = result.response;
      } else {
        const params: Record<string, string> = {};
        route!.names.forEach((name, i) => {
          params[name] = decodeURIComponent(match![i + 1]);
        });
        const query = Object.fromEntries(url.searchParams.entries());
        this.validateRequest(route!, params, query, req, body);
        const op = route!.operation;
        if (
          auth.installation &&
          params.owner !== undefined &&
          !GitHubApps.allows(auth.installation, params.owner, params.repo ?? '')
        ) {
          // GitHub does not tell an installation about repositories it cannot see.
          throw new HttpError(404, 'Not Found');
        }
        if (
          APP_OPERATIONS.includes(op) ||
          INSTALLATION_OPERATIONS.includes(op)
        ) {
          if (!this.githubApps) throw new HttpError(404, 'Not Found');
          response = this.githubApps.handle(op, params, auth, {
            query,
            url,
          });
        } else {
          response = await this.rest.handle(op as RepoOperationId, {
            params,
            query,
            body: body ?? {},
            user: this.options.user,
            url,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      response = { status: error.status, body: error.body() };
    }
    if (route) response = this.checkResponse(route, response);
    if (method === 'GET' && response.status === 200) {
      response = conditional(response, req.headers['if-none-match']);
    }
    if (fault?.kind === 'drop-after') {
      req.socket.destroy();
      this.callLog.record({ ...base, status: 0, fault: 'drop-after' });
      return;
    }
    this.send(res, response);
    this.callLog.record({ ...base, status: response.status });
  }

  private validateRequest(
    route: Route,
    params: Record<string, string>,
    query: Record<string, string>,
    req: http.IncomingMessage,
    body: unknown,
  ) {
    const operation = this.spec.api.getOperation(route.operation)!;
    const validationPath = route.template.replace(
      // eslint-disable-next-line redos/no-vulnerable -- route templates written in this file
      /\{([^}]+)\}/g,
      (_, name: string) => encodeURIComponent(params[name]),
    );
    const result = this.spec.api.validateRequest(
      {
        method: route.method.toLowerCase(),
        path: validationPath,
        query,
        headers: {
          ...(req.headers as Record<string, string>),
          'content-type': 'application/json',
        },
        body: body as any,
      },
      operation,
    );
    if (result.errors && result.errors.length > 0) {
      const detail = describeErrors(result.errors);
      this.violations.push(
        `request ${route.method} ${route.template} (${route.operation}) does not match GitHub's OpenAPI description: ${detail}`,
      );
      throw new HttpError(422, `Invalid request.\n\n${detail}`);
    }
  }

  private checkResponse(route: Route, response: RestResponse): RestResponse {
    const operation = this.spec.api.getOperation(route.operation)!;
    const documented = Object.keys(operation.responses ?? {}).includes(
      String(response.status),
    );
    let problem: string | undefined;
    if (documented) {
      if (response.body !== undefined) {
        const result = this.spec.api.validateResponse(
          response.body,
          operation,
          response.status,
        );
        if (result.errors && result.errors.length > 0)
          problem = describeErrors(result.errors);
      }
    } else if (response.status >= 400) {
      problem = this.spec.validateBasicError(response.body);
    } else {
      problem = `status ${response.status} is not one GitHub documents for this operation`;
    }
    if (!problem) return response;
    const line = `response ${response.status} of ${route.method} ${route.template} (${route.operation}) does not match GitHub's OpenAPI description: ${problem}`;
    this.violations.push(line);
    return {
      status: 500,
      body: { message: `github-local: ${line}`, documentation_url: DOCS },
    };
  }

  /** /_local/calls (GET, DELETE) and /_local/faults (POST a FaultSpec, DELETE all). */
  private async onControl(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    method: string,
  ) {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
      });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/_local/calls' && method === 'GET')
      return json(200, this.calls);
    if (url.pathname === '/_local/calls' && method === 'DELETE') {
      this.resetCalls();
      return json(200, {});
    }
    if (url.pathname === '/_local/faults' && method === 'POST') {
      const fault = this.faults.add(
        JSON.parse((await this.readBody(req)) || '{}'),
      );
      return json(201, {
        kind: fault.kind,
        after: fault.after,
        times: fault.times,
      });
    }
    if (url.pathname === '/_local/faults' && method === 'DELETE') {
      this.faults.clear();
      return json(200, {});
    }
    if (url.pathname === '/_local/violations' && method === 'GET')
      return json(200, this.violations);
    return json(404, { message: 'Not Found' });
  }
}
