import http from 'node:http';
import { LocalHttpServer } from './http';

/** A GET that resolves with the status, or the error code when the connection ends. */
function get(url: string): Promise<number | string> {
  return new Promise(resolve => {
    const req = http.get(url, { agent: new http.Agent({ keepAlive: true }) });
    req.on('response', res => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code ?? error.message),
    );
  });
}

describe('LocalHttpServer', () => {
  it('listens on 127.0.0.1 on a free port by default', async () => {
    const server = await LocalHttpServer.listen();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(new URL(server.url).port).not.toBe('0');
      server.server.on('request', (_req, res) => {
        res.writeHead(204);
        res.end();
      });
      expect(await get(`${server.url}/x`)).toBe(204);
    } finally {
      await server.stop();
    }
  });

  it('stops at once with a request left hanging, ending its connection', async () => {
    const server = await LocalHttpServer.listen();
    const arrived = new Promise<void>(resolve =>
      server.server.on('request', () => resolve()),
    );
    const answer = get(`${server.url}/hang`);
    await arrived;
    expect(server.connections).toBe(1);
    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await answer).toBe('ECONNRESET');
    expect(server.server.listening).toBe(false);
  });

  it('rejects with EADDRINUSE when the port is taken', async () => {
    const first = await LocalHttpServer.listen();
    try {
      const port = Number(new URL(first.url).port);
      await expect(LocalHttpServer.listen({ port })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await first.stop();
    }
  });
});
