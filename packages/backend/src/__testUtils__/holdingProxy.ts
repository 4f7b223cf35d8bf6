/*
 * A pass-through HTTP proxy in front of the local GitHub, one per backend replica, so a test
 * knows which replica made a call and can stop a replica in the middle of one: a hold keeps
 * the next matching call (before it reaches GitHub, or after GitHub made the change but
 * before the answer goes back) until the test kills the replica and drops the call.
 */
import http from 'node:http';
import type net from 'node:net';

export interface ProxiedCall {
  method: string;
  /** The path without the API prefix, e.g. `/repos/local/catalog/git/refs`. */
  path: string;
  /** A call that may change something: not a GET, and not a GraphQL query. */
  write: boolean;
  status?: number;
}

export interface HoldSpec {
  method: string;
  /** Matched against the path without the API prefix. */
  path: RegExp;
  /** Only calls that may change something (GraphQL mutations, not queries). */
  writesOnly?: boolean;
  /**
   * `request`: GitHub never sees the call. `response`: GitHub handles it (the change
   * happens) and the answer is kept from the replica.
   */
  when: 'request' | 'response';
  /**
   * With `response`: hold only a call after which this is true (checked when GitHub has
   * answered, e.g. "the branch now carries a commit"); other matching calls pass.
   */
  onlyIf?: () => Promise<boolean>;
}

export interface HeldCall extends ProxiedCall {
  /** The proxy (replica) that holds it. */
  proxy: string;
  /** Closes the replica's connection without an answer. */
  drop(): void;
}

interface PendingHold {
  spec: HoldSpec;
  resolve(call: HeldCall): void;
}

export class HoldingProxy {
  readonly calls: ProxiedCall[] = [];
  private holds: PendingHold[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    readonly name: string,
    private readonly server: http.Server,
    private readonly target: URL,
    private readonly apiPrefix: string,
  ) {}

  /** @param targetApiUrl - the local GitHub's REST base URL (`http://127.0.0.1:PORT/api/v3`) */
  static async start(
    name: string,
    targetApiUrl: string,
  ): Promise<HoldingProxy> {
    const target = new URL(targetApiUrl);
    const server = http.createServer();
    const proxy = new HoldingProxy(
      name,
      server,
      target,
      target.pathname.replace(/\/+$/, ''),
    );
    server.on('connection', socket => {
      proxy.sockets.add(socket);
      socket.on('close', () => proxy.sockets.delete(socket));
    });
    server.on('request', (req, res) => proxy.onRequest(req, res));
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    return proxy;
  }

  get url(): string {
    const { port } = this.server.address() as net.AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** host:port, for Backstage's integrations.github entry. */
  get host(): string {
    return new URL(this.url).host;
  }

  get apiUrl(): string {
    return `${this.url}${this.apiPrefix}`;
  }

  /** Holds the next call that matches; resolves when one arrives. */
  hold(spec: HoldSpec): Promise<HeldCall> {
    return new Promise(resolve => this.holds.push({ spec, resolve }));
  }

  clearHolds(): void {
    this.holds = [];
  }

  /** Calls that match `method` and `path` (e.g. `POST`, /\/git\/commits$/). */
  count(method: string, path: RegExp): number {
    return this.calls.filter(c => c.method === method && path.test(c.path))
      .length;
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise(resolve => this.server.close(resolve));
  }

  private takeHold(
    call: ProxiedCall,
    when: HoldSpec['when'],
  ): PendingHold | undefined {
    const index = this.holds.findIndex(
      h =>
        h.spec.when === when &&
        h.spec.method === call.method &&
        (!h.spec.writesOnly || call.write) &&
        h.spec.path.test(call.path),
    );
    if (index < 0) return undefined;
    return this.holds.splice(index, 1)[0];
  }

  /** A `response` hold that matches the call once GitHub has answered it. */
  private async responseHold(
    call: ProxiedCall,
  ): Promise<PendingHold | undefined> {
    for (const hold of [...this.holds]) {
      const { spec } = hold;
      if (spec.when !== 'response' || spec.method !== call.method) continue;
      if (!spec.path.test(call.path)) continue;
      if (spec.writesOnly && !call.write) continue;
      if (spec.onlyIf && !(await spec.onlyIf().catch(() => false))) continue;
      const index = this.holds.indexOf(hold);
      if (index < 0) continue; // taken by a concurrent call meanwhile
      this.holds.splice(index, 1);
      return hold;
    }
    return undefined;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => this.forward(req, res, Buffer.concat(chunks)));
  }

  private forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
  ) {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const path = url.startsWith(this.apiPrefix)
      ? url.slice(this.apiPrefix.length).split('?')[0]
      : url.split('?')[0];
    let write = method !== 'GET' && method !== 'HEAD';
    if (write && path.endsWith('/graphql')) {
      try {
        const query = String(JSON.parse(body.toString('utf8')).query ?? '');
        write = /^\s*mutation\b/.test(query);
      } catch {
        // not JSON: let it count as a write
      }
    }
    const call: ProxiedCall = { method, path, write };
    this.calls.push(call);
    const drop = () => {
      req.socket.destroy();
    };
    const held = this.takeHold(call, 'request');
    if (held) {
      // GitHub never sees it; the replica waits until the test drops it.
      held.resolve({ ...call, proxy: this.name, drop });
      return;
    }
    const upstream = http.request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: url,
        headers: { ...req.headers, host: this.target.host },
      },
      answer => {
        call.status = answer.statusCode;
        const chunks: Buffer[] = [];
        answer.on('data', chunk => chunks.push(chunk));
        answer.on('end', async () => {
          const hold = await this.responseHold(call);
          if (hold) {
            // The change happened on GitHub; the answer is kept from the replica.
            hold.resolve({ ...call, proxy: this.name, drop });
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    upstream.on('error', () => req.socket.destroy());
    upstream.end(body);
  }
}
