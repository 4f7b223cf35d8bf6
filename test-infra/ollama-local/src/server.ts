/*
 * LocalOllama: the read side of Ollama's API, as an Ollama server answers it:
 *
 *   GET|HEAD /             "Ollama is running"
 *   GET /api/version       {"version": "0.12.3"}
 *   GET /api/tags          the pulled models
 *   GET /api/ps            the loaded models (with expires_at, size_vram); a model leaves
 *                          it when its keep-alive expires
 *   POST /api/show         a pulled model's details and model_info (its GGUF metadata)
 *   POST /api/generate     with no prompt: loads the model (keep_alive 0: unloads it), as
 *                          Ollama's GenerateHandler answers it (done_reason "load"/"unload");
 *                          refused for embedding models ("does not support generate")
 *   POST /api/embed        with no input: loads the model ({"model", "embeddings": []})
 *
 * Anything else answers Go's `404 page not found` (text/plain), as Ollama's router does.
 * Tests script which models are pulled and loaded (in process, or through /_local control
 * endpoints from another process) and inject faults.
 */
import type http from 'node:http';
import {
  CallLog,
  FaultRegistry,
  LocalHttpServer,
} from '@workload-catalog/local-server-kit';
import {
  ollamaName,
  psEntry,
  showEntry,
  tagsEntry,
  type ModelSpec,
  type PsModel,
  type TagsModel,
} from './models';

export type OllamaRoute =
  'root' | 'version' | 'tags' | 'ps' | 'show' | 'generate' | 'embed';

/** Ollama's default keep-alive (OLLAMA_KEEP_ALIVE unset): 5 minutes. */
export const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;
/** What Ollama's "forever" (a negative keep_alive) is: math.MaxInt64 nanoseconds. */
const FOREVER_MS = 9_223_372_036_854;

const GO_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * keep_alive as Ollama's api.Duration reads it (api/types.go UnmarshalJSON): a number of
 * seconds, or a string for Go's time.ParseDuration (which wants a unit: "-1" is refused);
 * negative means forever. Returns milliseconds, or an error message.
 */
export function parseKeepAlive(
  value: unknown,
  fallbackMs: number = DEFAULT_KEEP_ALIVE_MS,
): number | { error: string } {
  if (value === undefined || value === null) return fallbackMs;
  if (typeof value === 'number')
    return value < 0 ? FOREVER_MS : Math.floor(value) * 1000;
  if (typeof value !== 'string')
    return { error: `Unsupported type: '${typeof value}'` };
  const sign = value[0] === '-' || value[0] === '+' ? value[0] : '';
  const rest = value.slice(sign.length);
  const invalid = () => ({
    error: `time: ${/^[0-9.]+$/.test(rest) ? 'missing unit in duration' : 'invalid duration'} "${value}"`,
  });
  if (rest === '') return invalid();
  const unit = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)/y;
  let ms = 0;
  for (let pos = 0; pos < rest.length; pos = unit.lastIndex) {
    unit.lastIndex = pos;
    const m = unit.exec(rest);
    if (!m) return invalid();
    ms += Number(m[1]) * GO_UNITS[m[2]];
  }
  return sign === '-' && ms > 0 ? FOREVER_MS : ms;
}

export type OllamaFaultKind = 'status' | 'drop' | 'hang';

export interface OllamaFaultSpec {
  route?: OllamaRoute;
  after?: number;
  times?: number;
  kind?: OllamaFaultKind;
  status?: number;
  /** A string is sent as text/plain, anything else as JSON. */
  body?: unknown;
}

export interface OllamaCallRecord {
  seq: number;
  method: string;
  path: string;
  route?: OllamaRoute;
  status: number;
  fault?: OllamaFaultKind;
}

export interface LocalOllamaOptions {
  host?: string;
  port?: number;
  /** What /api/version reports. Default "0.12.3". */
  version?: string;
  /** Models pulled at start. */
  models?: ModelSpec[];
  /** Names of pulled models loaded at start. */
  loaded?: string[];
  /** The server's OLLAMA_KEEP_ALIVE in milliseconds (default 5 minutes). */
  keepAliveMs?: number;
  log?: (line: string) => void;
}

export class LocalOllama {
  readonly violations: string[] = [];
  private readonly pulled = new Map<string, TagsModel>();
  private readonly running = new Map<string, PsModel>();
  private readonly modelInfo = new Map<string, Record<string, unknown>>();
  private readonly faults = new FaultRegistry<OllamaFaultSpec, OllamaRoute>(
    spec => spec.route,
  );
  private readonly callLog = new CallLog<OllamaCallRecord, OllamaRoute>({
    targetOf: call => call.route,
    log: line => this.options.log?.(line),
  });
  readonly calls: OllamaCallRecord[] = this.callLog.calls;

  private constructor(
    private readonly listener: LocalHttpServer,
    readonly url: string,
    private readonly options: LocalOllamaOptions & { version: string },
  ) {}

  static async start(options: LocalOllamaOptions = {}): Promise<LocalOllama> {
    const listener = await LocalHttpServer.listen(options);
    const instance = new LocalOllama(listener, listener.url, {
      ...options,
      version: options.version ?? '0.12.3',
    });
    listener.server.on('request', (req, res) => {
      instance.onRequest(req, res).catch(error => {
        instance.violations.push(`internal error: ${error?.stack ?? error}`);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: String(error?.message ?? error) }));
        }
      });
    });
    for (const m of options.models ?? []) instance.pull(m);
    for (const name of options.loaded ?? []) instance.load(name);
    return instance;
  }

  // ---------------------------------------------------------------------------------
  // State

  /** Adds a model to /api/tags, as `ollama pull` does. Returns its entry. */
  pull(model: string | ModelSpec): TagsModel {
    const spec = typeof model === 'string' ? { name: model } : model;
    const entry = tagsEntry(spec);
    this.pulled.set(entry.name, entry);
    if (spec.modelInfo) this.modelInfo.set(entry.name, spec.modelInfo);
    else this.modelInfo.delete(entry.name);
    return entry;
  }

  /** Loads a pulled model (as a request or keep-alive does): it appears in /api/ps. */
  load(
    name: string,
    options: { keepAliveMs?: number; contextLength?: number } = {},
  ): PsModel {
    const model = this.pulled.get(ollamaName(name));
    if (!model)
      throw new Error(`model "${name}" not found, try pulling it first`);
    const entry = psEntry(model, options);
    this.running.set(model.name, entry);
    return entry;
  }

  unload(name: string): boolean {
    return this.running.delete(ollamaName(name));
  }

  /** Removes a model, as `ollama rm` does (it is unloaded too). */
  remove(name: string): boolean {
    this.running.delete(ollamaName(name));
    return this.pulled.delete(ollamaName(name));
  }

  clear(): void {
    this.modelInfo.clear();
    this.pulled.clear();
    this.running.clear();
  }

  get tags(): TagsModel[] {
    return [...this.pulled.values()].sort((a, b) =>
      b.modified_at.localeCompare(a.modified_at),
    );
  }

  get ps(): PsModel[] {
    const now = Date.now();
    for (const [name, entry] of this.running)
      if (Date.parse(entry.expires_at) <= now) this.running.delete(name);
    return [...this.running.values()];
  }

  addFault(spec: OllamaFaultSpec): void {
    this.faults.add(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  countCalls(route?: OllamaRoute): number {
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

  private sendJson(res: http.ServerResponse, status: number, body: unknown) {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
    });
    res.end(JSON.stringify(body));
  }

  private sendText(res: http.ServerResponse, status: number, body: string) {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(body);
  }

  private async onRequest(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const path = url.pathname + url.search;
    if (url.pathname.startsWith('/_local/')) {
      await this.control(req, res, url);
      return;
    }
    let route: OllamaRoute | undefined;
    if ((method === 'GET' || method === 'HEAD') && url.pathname === '/')
      route = 'root';
    else if (method === 'GET' && url.pathname === '/api/version')
      route = 'version';
    else if (method === 'GET' && url.pathname === '/api/tags') route = 'tags';
    else if (method === 'GET' && url.pathname === '/api/ps') route = 'ps';
    else if (method === 'POST' && url.pathname === '/api/show') route = 'show';
    else if (method === 'POST' && url.pathname === '/api/generate')
      route = 'generate';
    else if (method === 'POST' && url.pathname === '/api/embed')
      route = 'embed';
    if (!route) {
      this.violations.push(`not implemented: ${method} ${path}`);
      this.callLog.record({ method, path, status: 404 });
      this.sendText(res, 404, '404 page not found');
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
      return;
    }
    if (fault?.kind === 'status') {
      const status = fault.spec.status ?? 500;
      this.callLog.record({ method, path, route, status, fault: 'status' });
      const body = fault.spec.body ?? { error: `error ${status}` };
      if (typeof body === 'string') this.sendText(res, status, body);
      else this.sendJson(res, status, body);
      return;
    }
    this.callLog.record({ method, path, route, status: 200 });
    switch (route) {
      case 'root':
        this.sendText(res, 200, 'Ollama is running');
        return;
      case 'version':
        this.sendJson(res, 200, { version: this.options.version });
        return;
      case 'tags':
        this.sendJson(res, 200, { models: this.tags });
        return;
      case 'show':
        await this.show(req, res);
        return;
      case 'generate':
      case 'embed':
        await this.loadRequest(route, req, res, path);
        return;
      default:
        this.sendJson(res, 200, { models: this.ps });
    }
  }

  /** POST /api/show {model} (or the deprecated {name}), answered as Ollama's ShowHandler does. */
  private async show(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') {
      this.sendJson(res, 400, { error: 'missing request body' });
      return;
    }
    let body: { model?: unknown; name?: unknown };
    try {
      body = JSON.parse(text);
    } catch (error) {
      this.sendJson(res, 400, { error: (error as Error).message });
      return;
    }
    const requested =
      typeof body.model === 'string' && body.model !== ''
        ? body.model
        : body.name;
    if (typeof requested !== 'string' || requested === '') {
      this.sendJson(res, 400, { error: 'model is required' });
      return;
    }
    const model = this.pulled.get(ollamaName(requested));
    if (!model) {
      this.sendJson(res, 404, { error: `model '${requested}' not found` });
      return;
    }
    this.sendJson(res, 200, showEntry(model, this.modelInfo.get(model.name)));
  }

  /**
   * POST /api/generate with no prompt, POST /api/embed with no input: loads the model for
   * keep_alive (0 unloads it), as Ollama answers them. A prompt or an input (generation,
   * embeddings) is not implemented: a violation.
   */
  private async loadRequest(
    route: 'generate' | 'embed',
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    } catch (error) {
      this.sendJson(res, 400, { error: (error as Error).message });
      return;
    }
    if (!body || typeof body !== 'object') {
      this.sendJson(res, 400, { error: 'missing request body' });
      return;
    }
    const requested = body.model;
    if (typeof requested !== 'string' || requested === '') {
      this.sendJson(res, 400, { error: 'model is required' });
      return;
    }
    const work =
      route === 'generate'
        ? typeof body.prompt === 'string' && body.prompt !== ''
        : body.input !== undefined &&
          body.input !== '' &&
          !(Array.isArray(body.input) && body.input.length === 0);
    if (work) {
      this.violations.push(
        `not implemented: POST ${path} with a ${route === 'generate' ? 'prompt' : 'input'} (only loading)`,
      );
      this.sendText(res, 404, '404 page not found');
      return;
    }
    const model = this.pulled.get(ollamaName(requested));
    if (!model) {
      this.sendJson(res, 404, {
        error: `model "${requested}" not found, try pulling it first`,
      });
      return;
    }
    const embedding = showEntry(
      model,
      this.modelInfo.get(model.name),
    ).capabilities.includes('embedding');
    if (route === 'generate' && embedding) {
      this.sendJson(res, 400, {
        error: `"${requested}" does not support generate`,
      });
      return;
    }
    const keepAlive = parseKeepAlive(
      body.keep_alive,
      this.options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
    );
    if (typeof keepAlive !== 'number') {
      this.sendJson(res, 400, keepAlive);
      return;
    }
    if (keepAlive === 0) this.running.delete(model.name);
    else this.load(model.name, { keepAliveMs: keepAlive });
    if (route === 'embed') {
      this.sendJson(res, 200, { model: requested, embeddings: [] });
      return;
    }
    this.sendJson(res, 200, {
      model: requested,
      created_at: new Date().toISOString(),
      response: '',
      done: true,
      done_reason: keepAlive === 0 ? 'unload' : 'load',
    });
  }

  /** /_local/...: control endpoints for tests in other processes. */
  private async control(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    const parts = url.pathname.split('/').filter(Boolean).slice(1);
    try {
      const body = text ? JSON.parse(text) : {};
      const what = `${method} ${parts.join('/')}`;
      switch (what) {
        case 'GET models':
          return this.sendJson(res, 200, { tags: this.tags, ps: this.ps });
        case 'PUT models': {
          // { pulled: ModelSpec[] | string[], loaded?: string[] }: replaces the state
          this.clear();
          for (const m of body.pulled ?? []) this.pull(m);
          for (const name of body.loaded ?? []) this.load(name);
          return this.sendJson(res, 200, { tags: this.tags, ps: this.ps });
        }
        case 'POST pull':
          return this.sendJson(res, 200, this.pull(body));
        case 'POST load':
          return this.sendJson(res, 200, this.load(body.name, body));
        case 'POST unload':
          return this.sendJson(res, this.unload(body.name) ? 200 : 404, {});
        case 'POST remove':
          return this.sendJson(res, this.remove(body.name) ? 200 : 404, {});
        case 'POST faults':
          this.addFault(body);
          return this.sendJson(res, 200, {});
        case 'DELETE faults':
          this.clearFaults();
          return this.sendJson(res, 200, {});
        case 'GET calls':
          return this.sendJson(res, 200, this.calls);
        case 'DELETE calls':
          this.resetCalls();
          return this.sendJson(res, 200, {});
        case 'GET violations':
          return this.sendJson(res, 200, this.violations);
        default:
          return this.sendJson(res, 404, {
            message: `no control endpoint ${method} ${url.pathname}`,
          });
      }
    } catch (error) {
      return this.sendJson(res, 400, { message: (error as Error).message });
    }
  }
}
