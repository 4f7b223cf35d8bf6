/*
 * OLLAMA_INFERENCE_LOAD's modelLoading and modelPull (issue 13): which models are kept in
 * memory and how long, insecure registries and clean. The chart applies the same rules
 * (test-infra/chart-tests/src/ollama/loading.test.ts).
 */
import { parse } from 'yaml';
import { validateLeaf, formatPath } from '../validation/validate';
import { SEED_LEAF_YAML as SEED } from '../testUtils/seed';

const seed = () => parse(SEED);
const problems = (leaf: unknown) =>
  validateLeaf(leaf).issues.map(i => `${formatPath(i.path)}: ${i.message}`);

describe('modelLoading', () => {
  it('accepts keepAlive as a duration or seconds, notLoaded naming declared models, a timeout', () => {
    for (const keepAlive of ['-1', '30m', '24h', 3600, -1]) {
      expect(
        problems({
          ...seed(),
          additionalModels: ['nomic-embed-text:v1.5'],
          modelLoading: {
            keepAlive,
            notLoaded: ['library/nomic-embed-text:V1.5'],
            timeoutSeconds: 1800,
          },
        }),
      ).toEqual([]);
    }
  });

  it('names a custom model in notLoaded', () => {
    expect(
      problems({
        ...seed(),
        customModels: [{ name: 'helper', from: 'phi:latest' }],
        modelLoading: { notLoaded: ['helper:latest'] },
      }),
    ).toEqual([]);
  });

  it.each([
    [
      { keepAlive: 'forever' },
      'modelLoading.keepAlive: must be a duration such as "5m", "24h", "-1" (forever) or a number of seconds; got "forever"',
    ],
    [
      { notLoaded: ['mistral:7b'] },
      'modelLoading.notLoaded[0]: "mistral:7b" is not a model of this leaf; declared: phi:latest',
    ],
    [
      { timeoutSeconds: 5 },
      'modelLoading.timeoutSeconds: must be at least 30; got 5',
    ],
    [{ preload: true }, 'modelLoading'],
  ])('refuses %j', (modelLoading, message) => {
    const found = problems({ ...seed(), modelLoading });
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toContain(message);
  });
});

describe('modelPull', () => {
  it('accepts the registry hosts of declared models (any case) and clean', () => {
    const result = validateLeaf({
      ...seed(),
      additionalModels: ['registry.internal:5000/team/coder:v1'],
      modelPull: {
        insecureRegistries: ['Registry.Internal:5000'],
        clean: true,
      },
    });
    expect(result.issues).toEqual([]);
  });

  it.each([
    [
      { insecureRegistries: ['registry.internal:5000'] },
      'modelPull.insecureRegistries[0]: "registry.internal:5000" is not the registry of any model of this leaf; registries: registry.ollama.ai',
    ],
    [
      { insecureRegistries: ['http://registry.internal'] },
      'modelPull.insecureRegistries[0]: must be a registry host[:port] such as "registry.internal:5000"; got "http://registry.internal"',
    ],
    [{ clean: 'yes' }, 'modelPull.clean'],
  ])('refuses %j', (modelPull, message) => {
    const found = problems({ ...seed(), modelPull });
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toContain(message);
  });
});

describe('OLLAMA_NOPRUNE with a shared model volume', () => {
  const message =
    'container.environment.OLLAMA_NOPRUNE: must stay true with a shared model volume (modelStorage with ReadWriteMany or existingClaim): an Ollama server that starts prunes the files no model names, which includes the download of another replica in progress';

  it.each([
    [{ existingClaim: 'ollama-cache' }],
    [{ size: '50Gi', accessMode: 'ReadWriteMany' }],
  ])('refuses OLLAMA_NOPRUNE=false with %j', modelStorage => {
    const leaf = seed();
    leaf.modelStorage = modelStorage;
    leaf.container.environment = { OLLAMA_NOPRUNE: 'false' };
    expect(problems(leaf)).toEqual([message]);
    leaf.container.environment = [{ name: 'OLLAMA_NOPRUNE', value: '0' }];
    expect(problems(leaf)).toEqual([message]);
  });

  it('accepts it with a volume per replica, and true anywhere', () => {
    const leaf = seed();
    leaf.modelStorage = { size: '50Gi' };
    leaf.container.environment = { OLLAMA_NOPRUNE: 'false' };
    expect(problems(leaf)).toEqual([]);
    leaf.modelStorage = { existingClaim: 'ollama-cache' };
    leaf.container.environment = { OLLAMA_NOPRUNE: 'true' };
    expect(problems(leaf)).toEqual([]);
  });
});
