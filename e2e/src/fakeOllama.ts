/*
 * A local Ollama API (the /api/tags route the model picker's backend reads), so the e2e run
 * shows what an Ollama server reports, with real model sizes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const GB = 1e9;

/** Models with the sizes Ollama's library reports for them. */
export const OLLAMA_MODELS = [
  {
    name: 'llama3.2:3b',
    size: 2.0 * GB,
    family: 'llama',
    parameter_size: '3.2B',
    quantization_level: 'Q4_K_M',
  },
  {
    name: 'llama3.1:8b',
    size: 4.9 * GB,
    family: 'llama',
    parameter_size: '8.0B',
    quantization_level: 'Q4_K_M',
  },
  {
    name: 'qwen2.5:32b',
    size: 19.9 * GB,
    family: 'qwen2',
    parameter_size: '32.8B',
    quantization_level: 'Q4_K_M',
  },
];

export async function startFakeOllama(): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/api/tags') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          models: OLLAMA_MODELS.map(m => ({
            name: m.name,
            model: m.name,
            modified_at: '2026-11-20T10:00:00Z',
            size: Math.round(m.size),
            digest:
              'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
            details: {
              format: 'gguf',
              family: m.family,
              families: [m.family],
              parameter_size: m.parameter_size,
              quantization_level: m.quantization_level,
            },
          })),
        }),
      );
      return;
    }
    res
      .writeHead(404, { 'content-type': 'text/plain' })
      .end('404 page not found');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
