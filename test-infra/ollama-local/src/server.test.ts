import { KNOWN_MODELS, ollamaName } from './models';
import { LocalOllama } from './server';
import { parseArgs, startFromOptions } from './cli';

describe('LocalOllama', () => {
  let ollama: LocalOllama;
  const get = (path: string, init?: RequestInit) =>
    fetch(`${ollama.url}${path}`, init);

  beforeEach(async () => {
    ollama = await LocalOllama.start();
  });
  afterEach(async () => {
    await ollama.stop();
  });

  it('answers /, /api/version, and empty /api/tags and /api/ps like a fresh server', async () => {
    const root = await get('/');
    expect(await root.text()).toBe('Ollama is running');
    expect((await get('/', { method: 'HEAD' })).status).toBe(200);
    expect(await (await get('/api/version')).json()).toEqual({
      version: '0.12.3',
    });
    expect(await (await get('/api/tags')).json()).toEqual({ models: [] });
    expect(await (await get('/api/ps')).json()).toEqual({ models: [] });
  });

  it('lists pulled models in /api/tags with the library sizes and details, newest first', async () => {
    ollama.pull({ name: 'phi', modifiedAt: new Date('2026-11-01T00:00:00Z') });
    ollama.pull({
      name: 'registry.ollama.ai/library/llama3.2:3b',
      modifiedAt: new Date('2026-11-02T00:00:00Z'),
    });
    ollama.pull({ name: 'acme/support-bot', size: 123 });
    const { models } = await (await get('/api/tags')).json();
    expect(models.map((m: { name: string }) => m.name)).toEqual([
      'acme/support-bot:latest',
      'llama3.2:3b',
      'phi:latest',
    ]);
    expect(models[2]).toEqual({
      name: 'phi:latest',
      model: 'phi:latest',
      modified_at: '2026-11-01T00:00:00.000000000Z',
      size: KNOWN_MODELS['phi:latest'].size,
      digest: KNOWN_MODELS['phi:latest'].digest,
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'phi2',
        families: ['phi2'],
        parameter_size: '3B',
        quantization_level: 'Q4_0',
      },
    });
    expect(models[0].size).toBe(123);
    expect(models[0].digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers /api/show with details and model_info in the shape of Ollama's documented API", async () => {
    ollama.pull('llama3.1:8b');
    const show = (body: unknown) =>
      get('/api/show', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const res = await show({ model: 'llama3.1:8b' });
    expect(res.status).toBe(200);
    const body = await res.json();
    // The response fields of docs/api.md "Show Model Information" (ollama/ollama v0.18.2)
    expect(Object.keys(body).sort()).toEqual([
      'capabilities',
      'details',
      'model_info',
      'modelfile',
      'modified_at',
      'template',
    ]);
    expect(body.details).toEqual(KNOWN_MODELS['llama3.1:8b'].details);
    expect(body.capabilities).toEqual(['completion']);
    // the documented example's model_info keys, with llama3.1:8b's published numbers
    expect(body.model_info).toMatchObject({
      'general.architecture': 'llama',
      'general.parameter_count': 8030261248,
      'llama.block_count': 32,
      'llama.attention.head_count': 32,
      'llama.attention.head_count_kv': 8,
      'llama.context_length': 131072,
      'llama.embedding_length': 4096,
      'llama.vocab_size': 128256,
      'tokenizer.ggml.tokens': null,
    });
    // the deprecated "name" works too; a model not pulled is 404, no model 400, as Ollama answers
    expect((await show({ name: 'llama3.1:8b' })).status).toBe(200);
    const missing = await show({ model: 'phi' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "model 'phi' not found" });
    const none = await show({});
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({ error: 'model is required' });
    // an embedding model says so; a test may give a model its own model_info
    ollama.pull('nomic-embed-text:v1.5');
    ollama.pull({
      name: 'acme/coder:7b',
      modelInfo: { 'general.architecture': 'qwen2', 'qwen2.block_count': 28 },
    });
    expect(
      (await (await show({ model: 'nomic-embed-text:v1.5' })).json())
        .capabilities,
    ).toEqual(['embedding']);
    expect(
      (await (await show({ model: 'acme/coder:7b' })).json()).model_info,
    ).toEqual({ 'general.architecture': 'qwen2', 'qwen2.block_count': 28 });
  });

  it('lists loaded models in /api/ps; loading needs a pulled model; rm unloads', async () => {
    ollama.pull('phi:latest');
    ollama.pull('mistral:7b');
    const entry = ollama.load('phi', { keepAliveMs: 60_000 });
    const { models } = await (await get('/api/ps')).json();
    expect(models).toEqual([entry]);
    expect(entry).toMatchObject({
      name: 'phi:latest',
      digest: KNOWN_MODELS['phi:latest'].digest,
      context_length: 4096,
    });
    expect(entry.size_vram).toBeGreaterThan(KNOWN_MODELS['phi:latest'].size);
    expect(Date.parse(entry.expires_at)).toBeGreaterThan(Date.now());
    expect(() => ollama.load('llama3.1:8b')).toThrow(
      'model "llama3.1:8b" not found, try pulling it first',
    );
    expect(ollama.remove('phi:latest')).toBe(true);
    expect(ollama.ps).toEqual([]);
    expect(ollama.tags.map(m => m.name)).toEqual(['mistral:7b']);
    expect(ollama.unload('mistral:7b')).toBe(false);
  });

  it('answers unknown routes as Ollama does and records them', async () => {
    const res = await get('/api/chat', { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('404 page not found');
    expect(ollama.violations).toEqual(['not implemented: POST /api/chat']);
  });

  const post = (path: string, body: unknown) =>
    get(path, { method: 'POST', body: JSON.stringify(body) });

  it('loads a model with an empty generate request for keep_alive, and unloads it with keep_alive 0', async () => {
    ollama.pull('phi');
    const load = await post('/api/generate', {
      model: 'phi',
      keep_alive: '10m',
    });
    expect(load.status).toBe(200);
    // the fields of Ollama's GenerateResponse for a load (docs/api.md, "Load a model")
    expect(await load.json()).toEqual({
      model: 'phi',
      created_at: expect.any(String),
      response: '',
      done: true,
      done_reason: 'load',
    });
    const [entry] = (await (await get('/api/ps')).json()).models;
    expect(entry.name).toBe('phi:latest');
    const left = Date.parse(entry.expires_at) - Date.now();
    expect(left).toBeGreaterThan(9 * 60_000);
    expect(left).toBeLessThanOrEqual(10 * 60_000);
    const unload = await post('/api/generate', {
      model: 'phi:latest',
      keep_alive: 0,
    });
    expect((await unload.json()).done_reason).toBe('unload');
    expect((await (await get('/api/ps')).json()).models).toEqual([]);
  });

  it('reads keep_alive as api.Duration does: seconds as a number, negative forever, a string needs a unit', async () => {
    ollama.pull('phi');
    await post('/api/generate', { model: 'phi', keep_alive: -1 });
    const [forever] = ollama.ps;
    // math.MaxInt64 nanoseconds from now: about 292 years
    expect(new Date(forever.expires_at).getUTCFullYear()).toBeGreaterThan(
      new Date().getUTCFullYear() + 290,
    );
    await post('/api/generate', { model: 'phi', keep_alive: 120 });
    expect(
      Date.parse(ollama.ps[0].expires_at) - Date.now(),
    ).toBeLessThanOrEqual(120_000);
    await post('/api/generate', { model: 'phi', keep_alive: '-1m' });
    expect(new Date(ollama.ps[0].expires_at).getUTCFullYear()).toBeGreaterThan(
      2300,
    );
    const refused = await post('/api/generate', {
      model: 'phi',
      keep_alive: '-1',
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: 'time: missing unit in duration "-1"',
    });
  });

  it('uses the server default keep-alive when the request has none, and drops expired models from /api/ps', async () => {
    await ollama.stop();
    ollama = await LocalOllama.start({
      models: [{ name: 'phi' }],
      keepAliveMs: 300,
    });
    await post('/api/generate', { model: 'phi' });
    expect(ollama.ps.map(m => m.name)).toEqual(['phi:latest']);
    await new Promise(r => setTimeout(r, 400));
    expect((await (await get('/api/ps')).json()).models).toEqual([]);
  });

  it('loads an embedding model through an empty embed request; generate refuses it', async () => {
    ollama.pull('nomic-embed-text:v1.5');
    const generate = await post('/api/generate', {
      model: 'nomic-embed-text:v1.5',
    });
    expect(generate.status).toBe(400);
    expect(await generate.json()).toEqual({
      error: '"nomic-embed-text:v1.5" does not support generate',
    });
    const embed = await post('/api/embed', {
      model: 'nomic-embed-text:v1.5',
      keep_alive: -1,
    });
    expect(await embed.json()).toEqual({
      model: 'nomic-embed-text:v1.5',
      embeddings: [],
    });
    expect(ollama.ps.map(m => m.name)).toEqual(['nomic-embed-text:v1.5']);
  });

  it('answers load requests for unknown models and bad bodies as Ollama does; generation itself is not implemented', async () => {
    const missing = await post('/api/generate', { model: 'mistral:7b' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: 'model "mistral:7b" not found, try pulling it first',
    });
    const noModel = await post('/api/embed', {});
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toEqual({ error: 'model is required' });
    ollama.pull('phi');
    const prompt = await post('/api/generate', { model: 'phi', prompt: 'hi' });
    expect(prompt.status).toBe(404);
    expect(ollama.violations).toEqual([
      'not implemented: POST /api/generate with a prompt (only loading)',
    ]);
    expect(ollama.ps).toEqual([]);
  });

  it('injects faults per route: status (text or JSON), dropped connections, hangs', async () => {
    ollama.addFault({
      route: 'tags',
      status: 500,
      body: { error: 'disk full' },
    });
    ollama.addFault({ route: 'ps', status: 502, body: 'Bad Gateway' });
    const tags = await get('/api/tags');
    expect(tags.status).toBe(500);
    expect(await tags.json()).toEqual({ error: 'disk full' });
    const ps = await get('/api/ps');
    expect(ps.status).toBe(502);
    expect(await ps.text()).toBe('Bad Gateway');
    expect((await get('/api/tags')).status).toBe(200);

    ollama.addFault({ route: 'version', kind: 'drop' });
    await expect(get('/api/version')).rejects.toThrow('fetch failed');
    ollama.addFault({ kind: 'hang', after: 1 });
    expect((await get('/api/ps')).status).toBe(200);
    await expect(
      get('/api/ps', { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow(/aborted|timeout/i);
    expect(ollama.calls.map(c => [c.route, c.status, c.fault ?? ''])).toEqual([
      ['tags', 500, 'status'],
      ['ps', 502, 'status'],
      ['tags', 200, ''],
      ['version', 0, 'drop'],
      ['ps', 200, ''],
      ['ps', 0, 'hang'],
    ]);
    expect(ollama.countCalls('ps')).toBe(3);
    ollama.clearFaults();
    ollama.resetCalls();
    expect(ollama.countCalls()).toBe(0);
  });

  it('is scripted by other processes through /_local control endpoints', async () => {
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${ollama.url}/_local${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const state = await control('PUT', '/models', {
      pulled: ['phi', { name: 'llama3.2:3b' }],
      loaded: ['phi'],
    });
    expect(state.status).toBe(200);
    expect(
      (await state.json()).ps.map((m: { name: string }) => m.name),
    ).toEqual(['phi:latest']);
    expect(
      (await control('POST', '/pull', { name: 'mistral:7b' })).status,
    ).toBe(200);
    expect(
      (await control('POST', '/load', { name: 'mistral:7b' })).status,
    ).toBe(200);
    expect((await control('POST', '/load', { name: 'nope' })).status).toBe(400);
    expect((await control('POST', '/unload', { name: 'phi' })).status).toBe(
      200,
    );
    expect((await control('POST', '/unload', { name: 'phi' })).status).toBe(
      404,
    );
    expect(
      (await control('POST', '/remove', { name: 'llama3.2:3b' })).status,
    ).toBe(200);
    const now = await (await control('GET', '/models')).json();
    expect(now.tags.map((m: { name: string }) => m.name).sort()).toEqual([
      'mistral:7b',
      'phi:latest',
    ]);
    expect(now.ps.map((m: { name: string }) => m.name)).toEqual(['mistral:7b']);
    expect(
      (await control('POST', '/faults', { route: 'tags', status: 503 })).status,
    ).toBe(200);
    expect((await get('/api/tags')).status).toBe(503);
    expect((await control('DELETE', '/faults')).status).toBe(200);
    expect((await control('GET', '/calls')).status).toBe(200);
    expect((await control('DELETE', '/calls')).status).toBe(200);
    expect(await (await control('GET', '/violations')).json()).toEqual([]);
    expect((await control('GET', '/what')).status).toBe(404);
    expect(
      (await fetch(`${ollama.url}/_local/pull`, { method: 'POST', body: '{' }))
        .status,
    ).toBe(400);
  });
});

describe('ollamaName', () => {
  it.each([
    ['phi', 'phi:latest'],
    ['phi:latest', 'phi:latest'],
    ['library/phi:2.7b', 'phi:2.7b'],
    ['registry.ollama.ai/library/phi', 'phi:latest'],
    ['registry.ollama.ai/acme/bot:v1', 'acme/bot:v1'],
    [
      'registry.example.com:5000/ml/model',
      'registry.example.com:5000/ml/model:latest',
    ],
    [`phi:latest@sha256:${'a'.repeat(64)}`, 'phi:latest'],
  ])('%s is listed as %s', (ref, name) => {
    expect(ollamaName(ref)).toBe(name);
  });
});

describe('ollama-local command line', () => {
  it('parses options and starts with models pulled and loaded', async () => {
    expect(() => parseArgs(['--port=-1'])).toThrow('--port must be');
    expect(() => parseArgs(['--port', '-1'])).toThrow(
      '--port needs a value (one that starts with "-" is written --port=VALUE)',
    );
    expect(() => parseArgs(['--model'])).toThrow('--model needs a value');
    expect(() => parseArgs(['--x', '1'])).toThrow('unknown option --x');
    expect(parseArgs(['-h'])).toBe('help');
    const opts = parseArgs([
      '--port',
      '0',
      '--model',
      'phi',
      '--model',
      'mistral:7b',
      '--loaded',
      'phi',
      '--quiet',
    ]);
    if (opts === 'help') throw new Error('unexpected');
    const server = await startFromOptions(opts);
    try {
      const ps = await (await fetch(`${server.url}/api/ps`)).json();
      expect(ps.models.map((m: { name: string }) => m.name)).toEqual([
        'phi:latest',
      ]);
      expect(server.tags).toHaveLength(2);
    } finally {
      await server.stop();
    }
  });
});
