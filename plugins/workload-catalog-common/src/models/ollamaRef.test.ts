import {
  formatOllamaRef,
  normalizeOllamaRef,
  ollamaPullName,
  parseOllamaRef,
} from './ollamaRef';

describe('parseOllamaRef', () => {
  it.each([
    [
      'phi',
      {
        host: 'registry.ollama.ai',
        namespace: 'library',
        name: 'phi',
        tag: 'latest',
      },
    ],
    [
      'phi:latest',
      {
        host: 'registry.ollama.ai',
        namespace: 'library',
        name: 'phi',
        tag: 'latest',
      },
    ],
    [
      'llama3.2:3b',
      {
        host: 'registry.ollama.ai',
        namespace: 'library',
        name: 'llama3.2',
        tag: '3b',
      },
    ],
    [
      'Jmorgan/Llama2:7B',
      {
        host: 'registry.ollama.ai',
        namespace: 'jmorgan',
        name: 'llama2',
        tag: '7b',
      },
    ],
    [
      'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M',
      {
        host: 'hf.co',
        namespace: 'bartowski',
        name: 'llama-3.2-1b-instruct-gguf',
        tag: 'q4_k_m',
      },
    ],
    [
      'registry.local:5000/team/model:v1',
      {
        host: 'registry.local:5000',
        namespace: 'team',
        name: 'model',
        tag: 'v1',
      },
    ],
    [
      'phi:latest@sha256:ABCDEF012345',
      {
        host: 'registry.ollama.ai',
        namespace: 'library',
        name: 'phi',
        tag: 'latest',
        digest: 'abcdef012345',
      },
    ],
  ])('%s', (input, ref) => {
    expect(parseOllamaRef(input)).toEqual({ ok: true, ref });
  });

  it.each([
    ['', 'must not be empty'],
    ['https://ollama.com/library/phi', 'not a URL'],
    ['phi latest', 'must be an Ollama model reference'],
    ['phi:', 'must be an Ollama model reference'],
    ['/phi', 'must be an Ollama model reference'],
    ['a/b/c/d', 'must be an Ollama model reference'],
    ['registry.local:5000/phi', 'must be an Ollama model reference'],
    ['phi@sha256:123', 'must be an Ollama model reference'],
    [`${'x'.repeat(81)}:latest`, 'model name must be at most 80 characters'],
    [`phi:${'t'.repeat(81)}`, 'model tag must be at most 80 characters'],
  ])('rejects %p', (input, message) => {
    const r = parseOllamaRef(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(message);
  });
});

describe('normal form', () => {
  it.each([
    ['phi', 'phi:latest'],
    ['PHI:Latest', 'phi:latest'],
    ['registry.ollama.ai/library/phi:2.7b', 'phi:2.7b'],
    ['library/phi', 'phi:latest'],
    ['jmorgan/llama2', 'jmorgan/llama2:latest'],
    ['hf.co/org/model', 'hf.co/org/model:latest'],
    ['phi@sha256:ABCDEF012345', 'phi:latest@sha256:abcdef012345'],
    ['not a ref', 'not a ref'],
  ])('%s -> %s', (input, normal) => {
    expect(normalizeOllamaRef(input)).toBe(normal);
  });

  it('is idempotent', () => {
    for (const s of [
      'phi',
      'hf.co/org/model:q4',
      'a/b:c@sha256:0123456789ab',
    ]) {
      expect(normalizeOllamaRef(normalizeOllamaRef(s))).toBe(
        normalizeOllamaRef(s),
      );
    }
  });

  it('drops the digest for pulling', () => {
    expect(ollamaPullName('phi:2.7b@sha256:0123456789ab')).toBe('phi:2.7b');
    const r = parseOllamaRef('phi@sha256:0123456789ab');
    expect(r.ok && formatOllamaRef(r.ref, { digest: false })).toBe(
      'phi:latest',
    );
  });
});
