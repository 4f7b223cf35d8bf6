import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake Ollama server answers on /api/tags, chosen per request by the test. */
export type TagsBehaviour =
  | { kind: 'json'; body: unknown; status?: number }
  | { kind: 'text'; body: string; status?: number }
  | { kind: 'hang' };

/**
 * A local Ollama API server on 127.0.0.1 that counts calls to /api/tags, and answers
 * POST /api/show for the models in `show` (their /api/show bodies) as Ollama does: 404
 * `{"error": "model 'x' not found"}` for the others.
 */
export async function startFakeOllama(
  initial: TagsBehaviour,
  show: Record<string, unknown> = {},
) {
  let behaviour = initial;
  let calls = 0;
  const shown: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/api/show') {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const model = JSON.parse(
          Buffer.concat(chunks).toString() || '{}',
        ).model;
        shown.push(model);
        const body = show[model];
        res
          .writeHead(body ? 200 : 404, { 'content-type': 'application/json' })
          .end(JSON.stringify(body ?? { error: `model '${model}' not found` }));
      });
      return;
    }
    if (req.method !== 'GET' || req.url !== '/api/tags') {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('404 page not found');
      return;
    }
    calls++;
    const b = behaviour;
    if (b.kind === 'hang') return; // never answers
    if (b.kind === 'text') {
      res
        .writeHead(b.status ?? 200, { 'content-type': 'text/plain' })
        .end(b.body);
      return;
    }
    res
      .writeHead(b.status ?? 200, { 'content-type': 'application/json' })
      .end(JSON.stringify(b.body));
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get calls() {
      return calls;
    },
    /** The models /api/show was asked about, in order. */
    shown,
    set(next: TagsBehaviour) {
      behaviour = next;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/** A real /api/tags answer (shape from an Ollama 0.5 server). */
export const TAGS_BODY = {
  models: [
    {
      name: 'llama3.1:8b',
      model: 'llama3.1:8b',
      modified_at: '2024-11-20T10:00:00.000000000Z',
      size: 4920753328,
      digest:
        '46e0c10c039e019119339687c3c1757cc81b9da49709a3b3924863ba87ca666e',
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'llama',
        families: ['llama'],
        parameter_size: '8.0B',
        quantization_level: 'Q4_K_M',
      },
    },
    {
      name: 'phi:latest',
      model: 'phi:latest',
      modified_at: '2024-11-19T10:00:00.000000000Z',
      size: 1602463378,
      digest:
        'e2fd6321a5fe6bb3ac8a4e6f1cf04477fd2dea2924cf53237a995387e152ee9c',
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'phi2',
        families: ['phi2'],
        parameter_size: '3B',
        quantization_level: 'Q4_0',
      },
    },
    {
      name: 'qwen2.5:72b',
      model: 'qwen2.5:72b',
      modified_at: '2024-11-18T10:00:00.000000000Z',
      size: 47415724835,
      digest:
        '424bad2cc13f4d3a1d0c1e1d4b5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f',
      details: {
        format: 'gguf',
        family: 'qwen2',
        parameter_size: '72.7B',
        quantization_level: 'Q4_K_M',
      },
    },
  ],
};
