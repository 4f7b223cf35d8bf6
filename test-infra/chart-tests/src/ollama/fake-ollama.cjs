/*
 * A stand-in for the `ollama` binary in tests: `ollama serve` answers the parts of Ollama's
 * HTTP API that the chart's init container and probes use (/api/version, /api/tags,
 * /api/pull, /api/create), with their streaming NDJSON answers. What the "registry" holds
 * and what is already on the model volume comes from the JSON file $FAKE_OLLAMA_STATE;
 * every request is appended to $FAKE_OLLAMA_LOG, and the process id to $FAKE_OLLAMA_PID.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');

if (process.argv[2] !== 'serve') {
  process.stderr.write(
    `fake ollama: only "serve" is implemented, got ${process.argv.slice(2).join(' ')}\n`,
  );
  process.exit(2);
}
const state = JSON.parse(
  fs.readFileSync(process.env.FAKE_OLLAMA_STATE, 'utf8'),
);
if (state.crash) {
  process.stderr.write(
    'Error: could not create directory /models: permission denied\n',
  );
  process.exit(1);
}
const local = new Map(Object.entries(state.local ?? {})); // name -> digest
const registry = state.registry ?? {}; // name -> {digest, size}
const [host, port] = (process.env.OLLAMA_HOST ?? '127.0.0.1:11434').split(':');
fs.writeFileSync(process.env.FAKE_OLLAMA_PID, String(process.pid));

function record(entry) {
  fs.appendFileSync(process.env.FAKE_OLLAMA_LOG, `${JSON.stringify(entry)}\n`);
}

function tags() {
  return {
    models: [...local.entries()].map(([name, digest]) => ({
      name,
      model: name,
      modified_at: '2026-11-27T10:00:00Z',
      size: 1234,
      digest,
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'llama',
        families: ['llama'],
        parameter_size: '3B',
      },
    })),
  };
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', c => (body += c));
  req.on('end', () => {
    const json = body ? JSON.parse(body) : undefined;
    record({
      method: req.method,
      path: req.url,
      body: json,
      httpVersion: req.httpVersion,
    });
    const lines = items => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      for (const item of items) res.write(`${JSON.stringify(item)}\n`);
      res.end();
    };
    if (req.method === 'GET' && req.url === '/api/version') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ version: '0.0.0-fake' }));
    } else if (req.method === 'GET' && req.url === '/api/tags') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(tags()));
    } else if (req.method === 'POST' && req.url === '/api/pull') {
      const entry = registry[json.model];
      if (!entry) {
        lines([
          { status: 'pulling manifest' },
          { error: 'pull model manifest: file does not exist' },
        ]);
        return;
      }
      const total = entry.size ?? 2000000000;
      const progress = [{ status: 'pulling manifest' }];
      for (let done = 0; done <= total; done += Math.ceil(total / 40)) {
        progress.push({
          status: `pulling ${entry.digest.slice(0, 12)}`,
          digest: `sha256:${entry.digest}`,
          total,
          completed: done,
        });
      }
      progress.push({
        status: `pulling ${entry.digest.slice(0, 12)}`,
        digest: `sha256:${entry.digest}`,
        total,
        completed: total,
      });
      progress.push(
        { status: 'verifying sha256 digest' },
        { status: 'writing manifest' },
        { status: 'success' },
      );
      local.set(json.model, entry.digest);
      lines(progress);
    } else if (req.method === 'POST' && req.url === '/api/create') {
      if (!local.has(json.from)) {
        lines([
          { error: `model "${json.from}" not found, try pulling it first` },
        ]);
        return;
      }
      local.set(
        json.model,
        crypto.createHash('sha256').update(body).digest('hex'),
      );
      lines([
        { status: 'using existing layer' },
        { status: 'creating new layer' },
        { status: 'writing manifest' },
        { status: 'success' },
      ]);
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'not found' }));
    }
  });
});
process.on('SIGTERM', () => {
  record({ signal: 'SIGTERM' });
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 200).unref();
});
setTimeout(() => server.listen(Number(port), host), state.startDelayMs ?? 0);
