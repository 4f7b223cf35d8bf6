/*
 * A stand-in for the `ollama` binary in tests: `ollama serve` answers the parts of Ollama's
 * HTTP API that the chart's init container, loader and probes use (/api/version, /api/tags,
 * /api/pull, /api/create, /api/ps, /api/generate and /api/embed (an empty request loads the
 * model; keep_alive 0 unloads it), /api/show (capabilities), /api/copy, /api/delete), with
 * their NDJSON or JSON answers as Ollama's api/types.go shapes them. `ollama rm NAME` and
 * `ollama cp SOURCE DESTINATION` are clients of the server at $OLLAMA_HOST, as Ollama's CLI is.
 * What the "registry" holds and what is already on the model volume comes from the JSON file
 * $FAKE_OLLAMA_STATE; the models on the volume are kept in $OLLAMA_MODELS/fake-manifests.json
 * (read at every request), so two servers on one volume see each other's pulls. Every
 * request is appended to $FAKE_OLLAMA_LOG, and the process id to $FAKE_OLLAMA_PID.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const [hostEnv, portEnv] = (process.env.OLLAMA_HOST ?? '127.0.0.1:11434').split(
  ':',
);

/** `ollama rm` / `ollama cp`: one request to the server, its error as the CLI prints it. */
function client(method, urlPath, body, done) {
  const payload = JSON.stringify(body);
  const req = http.request(
    {
      host: hostEnv,
      port: Number(portEnv),
      method,
      path: urlPath,
      // a DELETE is not sent chunked: its body needs a length
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      },
    },
    res => {
      let text = '';
      res.on('data', c => (text += c));
      res.on('end', () => {
        if (res.statusCode !== 200) {
          let message = text;
          try {
            message = JSON.parse(text).error;
          } catch {
            /* text */
          }
          process.stderr.write(`Error: ${message}\n`);
          process.exit(1);
        }
        process.stdout.write(`${done}\n`);
        process.exit(0);
      });
    },
  );
  req.on('error', e => {
    process.stderr.write(`Error: ${e.message}\n`);
    process.exit(1);
  });
  req.end(payload);
}

if (process.argv[2] === 'rm' && process.argv[3]) {
  client(
    'DELETE',
    '/api/delete',
    { model: process.argv[3] },
    `deleted '${process.argv[3]}'`,
  );
  return;
}
if (process.argv[2] === 'cp' && process.argv[4]) {
  client(
    'POST',
    '/api/copy',
    { source: process.argv[3], destination: process.argv[4] },
    `copied '${process.argv[3]}' to '${process.argv[4]}'`,
  );
  return;
}
if (process.argv[2] !== 'serve') {
  process.stderr.write(
    `fake ollama: only "serve", "rm" and "cp" are implemented, got ${process.argv.slice(2).join(' ')}\n`,
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
const registry = state.registry ?? {}; // name -> {digest, size}
const [host, port] = [hostEnv, portEnv];
fs.writeFileSync(process.env.FAKE_OLLAMA_PID, String(process.pid));

// The models on the volume: name -> digest, in $OLLAMA_MODELS/fake-manifests.json.
const modelsDir = process.env.OLLAMA_MODELS;
const manifests = modelsDir
  ? path.join(modelsDir, 'fake-manifests.json')
  : undefined;
let memory = {};
function readLocal() {
  if (manifests && fs.existsSync(manifests))
    memory = JSON.parse(fs.readFileSync(manifests, 'utf8'));
  return new Map(Object.entries(memory));
}
function writeLocal(map) {
  memory = Object.fromEntries(map);
  if (manifests) {
    fs.writeFileSync(`${manifests}.tmp`, JSON.stringify(memory));
    fs.renameSync(`${manifests}.tmp`, manifests);
  }
}
if (modelsDir) fs.mkdirSync(modelsDir, { recursive: true });
if (state.local)
  writeLocal(new Map([...readLocal(), ...Object.entries(state.local)]));
let local = readLocal();

// Loaded models: name -> expiry (ms since the epoch, Infinity for forever).
const loaded = new Map();
const FOREVER_ISO = '2318-08-07T12:00:00.000000000Z';
const embedding = name =>
  (state.embedding ?? []).includes(name) || /embed/.test(name);

/** keep_alive as Ollama's api.Duration reads it: a number of seconds, or a Go duration. */
function keepAliveMs(value) {
  if (value === undefined) {
    const env = process.env.OLLAMA_KEEP_ALIVE;
    if (env === undefined) return 5 * 60_000;
    return /^-?[0-9]+$/.test(env) ? keepAliveMs(Number(env)) : keepAliveMs(env);
  }
  if (typeof value === 'number') return value < 0 ? Infinity : value * 1000;
  const m = /^(-?)([0-9.]+)(ms|s|m|h)$/.exec(value);
  if (!m) throw new Error(`time: missing unit in duration "${value}"`);
  if (m[1]) return Infinity;
  return Number(m[2]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[3]];
}

function ps() {
  const now = Date.now();
  for (const [name, until] of loaded) if (until <= now) loaded.delete(name);
  return {
    models: [...loaded.entries()].map(([name, until]) => ({
      name,
      model: name,
      size: 2_400_000_000,
      digest: local.get(name) ?? '',
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'llama',
        families: ['llama'],
        parameter_size: '3B',
        quantization_level: 'Q4_K_M',
      },
      expires_at:
        until === Infinity ? FOREVER_ISO : new Date(until).toISOString(),
      size_vram: 2_400_000_000,
      context_length: 4096,
    })),
  };
}

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
    local = readLocal();
    record({
      method: req.method,
      path: req.url,
      body: json,
      httpVersion: req.httpVersion,
    });
    const send = (status, value) => {
      res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
      });
      res.end(JSON.stringify(value));
    };
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
      const finish = () => {
        local = readLocal();
        local.set(json.model, entry.digest);
        writeLocal(local);
        lines(progress);
      };
      if (state.pullDelayMs) setTimeout(finish, state.pullDelayMs);
      else finish();
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
      writeLocal(local);
      lines([
        { status: 'using existing layer' },
        { status: 'creating new layer' },
        { status: 'writing manifest' },
        { status: 'success' },
      ]);
    } else if (req.method === 'GET' && req.url === '/api/ps') {
      send(200, ps());
    } else if (req.method === 'POST' && req.url === '/api/show') {
      if (!local.has(json.model)) {
        send(404, { error: `model '${json.model}' not found` });
        return;
      }
      send(200, {
        modelfile: `FROM ${json.model}`,
        template: '{{ .Prompt }}',
        details: { format: 'gguf', family: 'llama' },
        model_info: {},
        capabilities: embedding(json.model) ? ['embedding'] : ['completion'],
        modified_at: '2026-11-27T10:00:00Z',
      });
    } else if (
      req.method === 'POST' &&
      (req.url === '/api/generate' || req.url === '/api/embed')
    ) {
      const name = json.model;
      if (!local.has(name)) {
        send(404, { error: `model "${name}" not found, try pulling it first` });
        return;
      }
      if (req.url === '/api/generate' && embedding(name)) {
        send(400, { error: `"${name}" does not support generate` });
        return;
      }
      const failure = (state.loadFails ?? {})[name];
      if (failure) {
        send(500, { error: failure });
        return;
      }
      let ms;
      try {
        ms = keepAliveMs(json.keep_alive);
      } catch (e) {
        send(400, { error: e.message });
        return;
      }
      const created_at = new Date().toISOString();
      setTimeout(() => {
        if (ms === 0) loaded.delete(name);
        else loaded.set(name, Date.now() + ms);
        if (req.url === '/api/embed')
          send(200, { model: name, embeddings: [] });
        else
          send(200, {
            model: name,
            created_at,
            response: '',
            done: true,
            done_reason: ms === 0 ? 'unload' : 'load',
          });
      }, state.loadDelayMs ?? 0);
    } else if (req.method === 'POST' && req.url === '/api/copy') {
      if (!local.has(json.source)) {
        send(404, { error: `model '${json.source}' not found` });
        return;
      }
      local.set(json.destination, local.get(json.source));
      writeLocal(local);
      send(200, {});
    } else if (req.method === 'DELETE' && req.url === '/api/delete') {
      if (!local.has(json.model)) {
        send(404, { error: `model '${json.model}' not found` });
        return;
      }
      local.delete(json.model);
      loaded.delete(json.model);
      writeLocal(local);
      send(200, {});
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
