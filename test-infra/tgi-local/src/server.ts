/*
 * LocalTgi: the two read endpoints of Text Generation Inference's router, as TGI answers
 * them (its OpenAPI description, `docs/openapi.json` of huggingface/text-generation-inference):
 *
 *   GET /info    the served model (`model_id`, `model_sha`) and the router's limits
 *   GET /health  200 with an empty body once the model answers; 503 `{error, error_type}`
 *
 * TGI's router only listens once the model is loaded; `listening: false` plays the time
 * before that (connections are refused). Tests script the model and its health.
 */
import type http from 'node:http';
import { CallLog, LocalHttpServer } from '@workload-catalog/local-server-kit';

export type TgiRoute = 'info' | 'health';

export interface TgiCallRecord {
  seq: number;
  method: string;
  path: string;
  route?: TgiRoute;
  status: number;
}

/** TGI's `Info` (the fields every version since 2.0 sends). */
export interface TgiInfo {
  model_id: string;
  model_sha: string | null;
  model_pipeline_tag: string | null;
  max_concurrent_requests: number;
  max_best_of: number;
  max_stop_sequences: number;
  max_input_tokens: number;
  max_total_tokens: number;
  validation_workers: number;
  max_client_batch_size: number;
  router: string;
  version: string;
  sha: string | null;
  docker_label: string | null;
}

export interface LocalTgiOptions {
  host?: string;
  port?: number;
  /** The served model (TGI's MODEL_ID). */
  modelId: string;
  /** The commit of the model repository that was loaded (TGI's REVISION resolved). */
  modelSha?: string | null;
  /** Whether /health answers 200 (default true). */
  healthy?: boolean;
  log?: (line: string) => void;
}

export class LocalTgi {
  private readonly callLog: CallLog<TgiCallRecord, TgiRoute>;
  readonly calls: TgiCallRecord[];
  private info: TgiInfo;
  private healthy: boolean;

  private constructor(
    private readonly listener: LocalHttpServer,
    readonly url: string,
    options: LocalTgiOptions,
  ) {
    this.callLog = new CallLog<TgiCallRecord, TgiRoute>({
      targetOf: c => c.route,
      log: options.log,
    });
    this.calls = this.callLog.calls;
    this.healthy = options.healthy ?? true;
    this.info = {
      model_id: options.modelId,
      model_sha: options.modelSha ?? null,
      model_pipeline_tag: 'text-generation',
      max_concurrent_requests: 128,
      max_best_of: 2,
      max_stop_sequences: 4,
      max_input_tokens: 4095,
      max_total_tokens: 4096,
      validation_workers: 2,
      max_client_batch_size: 4,
      router: 'text-generation-router',
      version: '3.3.6',
      sha: null,
      docker_label: null,
    };
  }

  static async start(options: LocalTgiOptions): Promise<LocalTgi> {
    const listener = await LocalHttpServer.listen({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
    });
    const instance = new LocalTgi(listener, listener.url, options);
    listener.server.on('request', (req, res) => instance.handle(req, res));
    return instance;
  }

  /** Another model (or revision) served from now on, e.g. after a rollout. */
  serve(modelId: string, modelSha: string | null = null): void {
    this.info = { ...this.info, model_id: modelId, model_sha: modelSha };
  }

  setHealthy(healthy: boolean): void {
    this.healthy = healthy;
  }

  countCalls(route?: TgiRoute): number {
    return this.callLog.count(route);
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const send = (status: number, body?: unknown, route?: TgiRoute) => {
      this.callLog.record({ method, path, route, status });
      if (body === undefined) {
        res.writeHead(status).end();
        return;
      }
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify(body));
    };
    if (method === 'GET' && path === '/info') {
      send(200, this.info, 'info');
    } else if (method === 'GET' && path === '/health') {
      if (this.healthy) send(200, undefined, 'health');
      else
        send(503, { error: 'unhealthy', error_type: 'healthcheck' }, 'health');
    } else {
      // TGI's router (axum) answers unknown routes 404 with an empty body.
      send(404);
    }
  }
}
