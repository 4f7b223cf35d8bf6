import { LocalOllama } from '@workload-catalog/ollama-local';
import { readOllamaModels } from './ollama';
import { workloadServerUrl } from './serverUrl';

describe('Ollama models of a workload', () => {
  let ollama: LocalOllama;
  beforeEach(async () => {
    ollama = await LocalOllama.start();
  });
  afterEach(() => ollama.stop());

  it('matches declared models with /api/tags and /api/ps in the form Ollama lists them', async () => {
    ollama.pull({
      name: 'registry.ollama.ai/library/phi',
      modifiedAt: new Date('2026-11-20T08:00:00Z'),
    });
    ollama.pull('mistral:7b');
    ollama.load('mistral:7b');
    const { models, psProblem } = await readOllamaModels(
      ollama.url,
      ['phi:latest', 'mistral:7b', 'llama3.2:3b'],
      1000,
    );
    expect(psProblem).toBeUndefined();
    expect(models).toEqual([
      {
        ref: 'phi:latest',
        pulled: true,
        loaded: false,
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
        sizeBytes: 1602463378,
        pulledAt: '2026-11-20T08:00:00.000Z',
      },
      expect.objectContaining({
        ref: 'mistral:7b',
        pulled: true,
        loaded: true,
        expiresAt: expect.any(String),
      }),
      { ref: 'llama3.2:3b', pulled: false, loaded: false },
    ]);
  });

  it('tells pulled from loaded as the chart loads models (empty generate and embed requests, keep_alive), and sees an unload', async () => {
    ollama.pull('phi');
    ollama.pull('nomic-embed-text:v1.5');
    const post = (path: string, body: unknown) =>
      fetch(`${ollama.url}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
    const before = await readOllamaModels(
      ollama.url,
      ['phi:latest', 'nomic-embed-text:v1.5'],
      1000,
    );
    expect(before.models.map(m => [m.ref, m.pulled, m.loaded])).toEqual([
      ['phi:latest', true, false],
      ['nomic-embed-text:v1.5', true, false],
    ]);
    expect(
      (await post('/api/generate', { model: 'phi', keep_alive: -1 })).status,
    ).toBe(200);
    expect(
      (
        await post('/api/embed', {
          model: 'nomic-embed-text:v1.5',
          keep_alive: '30m',
        })
      ).status,
    ).toBe(200);
    const loaded = await readOllamaModels(
      ollama.url,
      ['phi:latest', 'nomic-embed-text:v1.5'],
      1000,
    );
    const [phi, nomic] = loaded.models;
    expect([phi.loaded, nomic.loaded]).toEqual([true, true]);
    // forever (a negative keep_alive) is an expiry centuries away; 30m is within the hour
    expect(new Date(phi.expiresAt!).getUTCFullYear()).toBeGreaterThan(2300);
    const left = Date.parse(nomic.expiresAt!) - Date.now();
    expect(left).toBeGreaterThan(29 * 60_000);
    expect(left).toBeLessThanOrEqual(30 * 60_000);
    await post('/api/generate', { model: 'phi', keep_alive: 0 });
    const after = await readOllamaModels(ollama.url, ['phi:latest'], 1000);
    expect(after.models[0]).toMatchObject({ pulled: true, loaded: false });
    expect(after.models[0].expiresAt).toBeUndefined();
  });

  it('fails with a reason when /api/tags does not give a model list', async () => {
    ollama.addFault({ route: 'tags', status: 200, body: 'Ollama is running' });
    await expect(readOllamaModels(ollama.url, ['phi'], 1000)).rejects.toThrow(
      `${ollama.url}/api/tags did not answer Ollama's model list`,
    );
    ollama.addFault({ route: 'tags', status: 404, body: '404 page not found' });
    await expect(readOllamaModels(ollama.url, ['phi'], 1000)).rejects.toThrow(
      `${ollama.url}/api/tags answered 404: 404 page not found`,
    );
  });

  it('fills the URL pattern with DNS labels only', () => {
    expect(
      workloadServerUrl('http://{serviceName}.{namespace}.svc:11434', {
        serviceName: 'phi',
        namespace: 'ml',
      }),
    ).toBe('http://phi.ml.svc:11434');
    expect(() => workloadServerUrl('http://{serviceName}', {})).toThrow(
      "cannot build the Ollama URL: the workload's serviceName is not known",
    );
    expect(() =>
      workloadServerUrl('http://{serviceName}', { serviceName: 'a.b' }, 'TGI'),
    ).toThrow(
      'cannot build the TGI URL: the workload\'s serviceName is "a.b", not a DNS label',
    );
  });
});
