import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_OLLAMA_URL_PATTERN,
  DEFAULT_TGI_URL_PATTERN,
  readStatusConfig,
} from './config';

const read = (status: object | undefined) =>
  readStatusConfig(
    new ConfigReader(status ? { workloadCatalog: { status } } : {}),
  );

describe('readStatusConfig', () => {
  it('has defaults: 15 s cache, 5 s timeout, no Argo CD, the in-cluster Ollama and TGI Services', () => {
    expect(read(undefined)).toEqual({
      cacheTtlMs: 15000,
      timeoutMs: 5000,
      argocd: undefined,
      ollama: { urlPattern: DEFAULT_OLLAMA_URL_PATTERN },
      tgi: { urlPattern: DEFAULT_TGI_URL_PATTERN },
    });
  });

  it('reads Argo CD, Ollama and TGI settings', () => {
    expect(
      read({
        cacheTtlSeconds: 2,
        timeoutMs: 800,
        argocd: {
          baseUrl: 'https://argocd.example.com/',
          token: 'secret',
          appNamespace: 'apps',
        },
        ollama: {
          urlPattern: 'https://{serviceName}.{environment}.ml.example.com',
        },
        tgi: { urlPattern: 'http://{serviceName}-{serviceCatalog}:80/' },
      }),
    ).toEqual({
      cacheTtlMs: 2000,
      timeoutMs: 800,
      argocd: {
        baseUrl: 'https://argocd.example.com',
        token: 'secret',
        uiUrl: 'https://argocd.example.com',
        appNamespace: 'apps',
      },
      ollama: {
        urlPattern: 'https://{serviceName}.{environment}.ml.example.com',
      },
      tgi: { urlPattern: 'http://{serviceName}-{serviceCatalog}:80' },
    });
    expect(read({ ollama: { enabled: false } }).ollama).toBeUndefined();
    expect(read({ tgi: { enabled: false } }).tgi).toBeUndefined();
  });

  it.each([
    [
      { cacheTtlSeconds: -1 },
      'workloadCatalog.status.cacheTtlSeconds must be from 0 to 3600; got -1',
    ],
    [
      { timeoutMs: 0 },
      'workloadCatalog.status.timeoutMs must be more than 0 and at most 60000; got 0',
    ],
    [
      { argocd: { baseUrl: 'ftp://x', token: 't' } },
      'workloadCatalog.status.argocd.baseUrl must be an http(s) URL; got "ftp://x"',
    ],
    [
      { argocd: { baseUrl: 'not a url', token: 't' } },
      'workloadCatalog.status.argocd.baseUrl must be an http(s) URL',
    ],
    [
      { argocd: { baseUrl: 'https://argocd' } },
      'workloadCatalog.status.argocd.token is required with baseUrl',
    ],
    [
      { argocd: { baseUrl: 'https://argocd', token: 't', uiUrl: 'x' } },
      'workloadCatalog.status.argocd.uiUrl must be an http(s) URL',
    ],
    [
      { ollama: { urlPattern: 'http://{service}:11434' } },
      'workloadCatalog.status.ollama.urlPattern: unknown placeholder {service}',
    ],
    [
      { tgi: { urlPattern: 'ftp://{serviceName}' } },
      'workloadCatalog.status.tgi.urlPattern must be an http(s) URL',
    ],
  ])('refuses %j', (status, message) => {
    expect(() => read(status)).toThrow(message);
  });
});
