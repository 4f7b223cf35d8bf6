import { ConfigReader } from '@backstage/config';
import {
  KNOWN_MODELS,
  modelNeeds,
} from '@workload-catalog/plugin-workload-catalog-common';
import {
  ModelSuggestionService,
  readSuggestionConfig,
} from './modelSuggestions';
import { startFakeOllama, TAGS_BODY } from '../__testUtils__/fakeOllama';

const GiB = 2 ** 30;

describe('readSuggestionConfig', () => {
  it('reads references and objects, normalises the references and estimates needs', () => {
    const settings = readSuggestionConfig(
      new ConfigReader({
        workloadCatalog: {
          suggestedModels: [
            'Phi',
            { ref: 'llama3.1:8b', size: '4.6Gi', description: 'General chat' },
          ],
        },
      }),
    );
    expect(settings.ollama).toBeUndefined();
    // The shipped table knows both models' architectures (and phi's size)
    const llama = KNOWN_MODELS['llama3.1:8b'];
    expect(settings.configured).toEqual([
      {
        ref: 'phi:latest',
        source: 'config',
        architecture: KNOWN_MODELS['phi:latest'].architecture,
        needs: modelNeeds('phi:latest', KNOWN_MODELS['phi:latest']),
      },
      {
        ref: 'llama3.1:8b',
        source: 'config',
        sizeBytes: 4.6 * GiB,
        description: 'General chat',
        architecture: llama.architecture,
        needs: modelNeeds('llama3.1:8b', { ...llama, sizeBytes: 4.6 * GiB }),
      },
    ]);
    expect(settings.configured[1].needs).toMatchObject({
      gpuCount: 1,
      fits: true,
      fit: 'fits on 1 GPU of 24 GiB',
      preset: 'medium',
      memoryRequest: '8Gi',
      memoryLimit: '16Gi',
    });
  });

  it.each([
    [
      ['http://ollama/phi'],
      'workloadCatalog.suggestedModels[0].ref must be an Ollama model reference [host/][namespace/]name[:tag], not a URL',
    ],
    [
      [{ ref: 'phi', size: 'big' }],
      'workloadCatalog.suggestedModels[0].size must be a size such as "2Gi" or a byte count; got "big"',
    ],
    [
      ['phi', 'phi:latest'],
      'workloadCatalog.suggestedModels[1]: "phi:latest" is listed twice',
    ],
    [
      [{ size: '2Gi' }],
      'workloadCatalog.suggestedModels[0] must be an Ollama reference or {ref, size, description}',
    ],
    [
      [{ ref: 'phi', description: 3 }],
      'workloadCatalog.suggestedModels[0].description must be a string',
    ],
  ])('rejects %j', (suggestedModels, message) => {
    expect(() =>
      readSuggestionConfig(
        new ConfigReader({ workloadCatalog: { suggestedModels } }),
      ),
    ).toThrow(message);
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() =>
      readSuggestionConfig(
        new ConfigReader({
          workloadCatalog: { ollama: { baseUrl: 'ftp://x' } },
        }),
      ),
    ).toThrow(
      'workloadCatalog.ollama.baseUrl must be an http(s) URL; got "ftp://x"',
    );
    expect(() =>
      readSuggestionConfig(
        new ConfigReader({
          workloadCatalog: { ollama: { baseUrl: 'not a url' } },
        }),
      ),
    ).toThrow(
      'workloadCatalog.ollama.baseUrl must be an http(s) URL; got "not a url"',
    );
  });
});

describe('ModelSuggestionService', () => {
  let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
  beforeEach(async () => {
    ollama = await startFakeOllama({ kind: 'json', body: TAGS_BODY });
  });
  afterEach(async () => {
    await ollama.close();
  });

  const service = (extra: Record<string, unknown> = {}, now?: () => number) =>
    new ModelSuggestionService(
      readSuggestionConfig(
        new ConfigReader({
          workloadCatalog: {
            suggestedModels: ['phi', { ref: 'mistral:7b', size: '4.1Gi' }],
            ollama: { baseUrl: `${ollama.baseUrl}/`, ...extra },
          },
        }),
      ),
      undefined,
      now,
    );

  it('lists the configured models first, then what the server has, with sizes and needs', async () => {
    const res = await service().list();
    expect(res.sources).toEqual({
      config: { status: 'ok' },
      ollama: { status: 'ok' },
    });
    expect(res.models.map(m => [m.ref, m.source, m.sizeBytes])).toEqual([
      ['phi:latest', 'config', 1602463378], // configured without a size: the server's size fills it in
      ['mistral:7b', 'config', 4.1 * GiB],
      ['llama3.1:8b', 'ollama', 4920753328],
      ['qwen2.5:72b', 'ollama', 47415724835],
    ]);
    const phi = res.models[0];
    expect(phi).toMatchObject({
      parameterSize: '3B',
      quantization: 'Q4_0',
      family: 'phi2',
      needs: {
        preset: 'small',
        gpuCount: 1,
        memoryRequest: '2Gi',
        memoryLimit: '6Gi',
      },
    });
    // 44 GiB of weights and a 40 GiB KV cache (32768 tokens × 4 slots): four 24 GiB GPUs;
    // no preset is large enough
    const qwen = res.models[3];
    expect(qwen.needs).toMatchObject({ gpuCount: 4, fits: true });
    expect(qwen.needs!.preset).toBeUndefined();
    // every model here is in the shipped table: the server is not asked for /api/show
    expect(ollama.shown).toEqual([]);
  });

  it("reads an unknown model's architecture from the server's /api/show", async () => {
    await ollama.close();
    const tags = {
      models: [
        {
          ...TAGS_BODY.models[0],
          name: 'acme/coder:7b',
          model: 'acme/coder:7b',
        },
        { ...TAGS_BODY.models[0], name: 'acme/other:1', model: 'acme/other:1' },
      ],
    };
    ollama = await startFakeOllama(
      { kind: 'json', body: tags },
      {
        'acme/coder:7b': {
          details: TAGS_BODY.models[0].details,
          model_info: {
            'general.architecture': 'qwen2',
            'general.parameter_count': 7615616512,
            'qwen2.block_count': 28,
            'qwen2.attention.head_count': 28,
            'qwen2.attention.head_count_kv': 4,
            'qwen2.embedding_length': 3584,
            'qwen2.context_length': 32768,
          },
        },
      },
    );
    const res = await service().list();
    const [coder, other] = res.models.slice(2);
    expect(coder.architecture).toMatchObject({
      architecture: 'qwen2',
      blockCount: 28,
      headCountKv: 4,
      keyLength: 128,
    });
    expect(coder.needs!.breakdown.architectureKnown).toBe(true);
    // the server had no /api/show for it (404): the KV cache stays an assumption
    expect(other.architecture).toBeUndefined();
    expect(other.needs!.breakdown.architectureKnown).toBe(false);
    expect(ollama.shown.sort()).toEqual(['acme/coder:7b', 'acme/other:1']);
  });

  it('says the server is unconfigured when there is no base URL', async () => {
    const s = new ModelSuggestionService(
      readSuggestionConfig(
        new ConfigReader({ workloadCatalog: { suggestedModels: ['phi'] } }),
      ),
    );
    const res = await s.list();
    expect(res.models.map(m => [m.ref, m.source, m.sizeBytes])).toEqual([
      ['phi:latest', 'config', undefined],
    ]);
    expect(res.sources).toEqual({
      config: { status: 'ok' },
      ollama: {
        status: 'unconfigured',
        message: 'workloadCatalog.ollama.baseUrl is not set',
      },
    });
  });

  it('keeps the configured list and explains when the server fails', async () => {
    ollama.set({ kind: 'text', status: 500, body: 'boom' });
    const res = await service().list();
    expect(res.models.map(m => m.ref)).toEqual(['phi:latest', 'mistral:7b']);
    expect(res.sources.ollama).toEqual({
      status: 'unavailable',
      message: `${ollama.baseUrl} is not reachable: ${ollama.baseUrl}/api/tags answered 500 Internal Server Error`,
    });
  });

  it('explains an answer that is not JSON', async () => {
    ollama.set({ kind: 'text', body: '<html>proxy login</html>' });
    const res = await service().list();
    expect(res.sources.ollama.message).toBe(
      `${ollama.baseUrl} is not reachable: ${ollama.baseUrl}/api/tags did not answer JSON`,
    );
  });

  it('explains an answer without a model list, and skips entries that are not models', async () => {
    ollama.set({ kind: 'json', body: { error: 'nope' } });
    expect((await service().list()).sources.ollama.message).toContain(
      'the answer of /api/tags has no "models" list',
    );
    ollama.set({
      kind: 'json',
      body: {
        models: [
          { name: 'http://bad' },
          { size: 3 },
          { name: 'gemma2:2b', size: -1 },
        ],
      },
    });
    const res = await service().list();
    expect(res.sources.ollama).toEqual({ status: 'ok' });
    expect(res.models.slice(2)).toEqual([
      { ref: 'gemma2:2b', source: 'ollama' },
    ]);
    // without a size there is no estimate, and nothing to ask /api/show for
    expect(ollama.shown).toEqual([]);
  });

  it('gives up after the timeout', async () => {
    ollama.set({ kind: 'hang' });
    const res = await service({ timeoutMs: 200 }).list();
    expect(res.sources.ollama).toEqual({
      status: 'unavailable',
      message: `${ollama.baseUrl} did not answer within 200 ms`,
    });
  });

  it('explains a server that is not running', async () => {
    const s = service();
    await ollama.close();
    const res = await s.list();
    expect(res.sources.ollama.status).toBe('unavailable');
    expect(res.sources.ollama.message).toMatch(
      /is not reachable: fetch failed \(ECONNREFUSED\)$/,
    );
    ollama = await startFakeOllama({ kind: 'json', body: TAGS_BODY }); // for afterEach
  });

  it('reuses an answer for cacheTtlMs and shares one request between concurrent callers', async () => {
    let t = 1000;
    const s = service({ cacheTtlMs: 5000 }, () => t);
    await Promise.all([s.list(), s.list(), s.list()]);
    expect(ollama.calls).toBe(1);
    t += 4999;
    await s.list();
    expect(ollama.calls).toBe(1);
    t += 2;
    await s.list();
    expect(ollama.calls).toBe(2);
  });

  it('does not cache a failure', async () => {
    const s = service();
    ollama.set({ kind: 'text', status: 503, body: 'starting' });
    expect((await s.list()).sources.ollama.status).toBe('unavailable');
    ollama.set({ kind: 'json', body: TAGS_BODY });
    expect((await s.list()).sources.ollama.status).toBe('ok');
    expect(ollama.calls).toBe(2);
  });
});
