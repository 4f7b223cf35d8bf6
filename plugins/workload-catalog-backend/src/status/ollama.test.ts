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
