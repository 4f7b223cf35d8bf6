/*
 * An HTTP server on 127.0.0.1 that keeps its connections, so stop() ends at once even with
 * keep-alive connections open and requests left hanging (a `hang` fault).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ListenOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
}

export class LocalHttpServer {
  private constructor(
    /** The server; attach a `request` listener to answer. */
    readonly server: http.Server,
    /** e.g. http://127.0.0.1:7009 (an IPv6 address in brackets). */
    readonly url: string,
    private readonly sockets: Set<Socket>,
  ) {}

  /** Listens; rejects with the server's error (e.g. code EADDRINUSE) when it cannot. */
  static async listen(options: ListenOptions = {}): Promise<LocalHttpServer> {
    const server = http.createServer();
    const sockets = new Set<Socket>();
    server.on('connection', socket => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
        resolve(),
      );
    });
    const address = server.address() as AddressInfo;
    const host =
      address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return new LocalHttpServer(
      server,
      `http://${host}:${address.port}`,
      sockets,
    );
  }

  /** Connections open now. */
  get connections(): number {
    return this.sockets.size;
  }

  /** Destroys every open connection (hanging requests included), then closes the server. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}
