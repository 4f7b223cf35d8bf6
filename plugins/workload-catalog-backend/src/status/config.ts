/*
 * Settings of the workload status (workloadCatalog.status in app-config.yaml), read and
 * checked at start: a wrong setting stops the backend with the key's name. Tokens stay here,
 * in the backend.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export interface StatusConfig {
  /** How long an answer of each source is reused. */
  cacheTtlMs: number;
  /** How long each call may take. */
  timeoutMs: number;
  argocd?: {
    baseUrl: string;
    token: string;
    /** Base URL of Argo CD's web UI, for links (default: baseUrl). */
    uiUrl: string;
    /** Namespace of the Applications (Argo CD's appNamespace), when not Argo CD's own. */
    appNamespace?: string;
  };
  ollama?: {
    /** URL of a workload's Ollama API, with `{serviceName}`, `{namespace}`, `{environment}`, `{serviceCatalog}`. */
    urlPattern: string;
  };
  tgi?: {
    /** URL of a workload's Text Generation Inference API, with the same placeholders. */
    urlPattern: string;
  };
}

/** In the cluster: the TGI chart's Service (named after the service, port 8080). */
export const DEFAULT_TGI_URL_PATTERN =
  'http://{serviceName}.{namespace}.svc:8080';

/**
 * In the cluster: the Ollama chart's Service (named after the service), which listens on
 * port 80 and forwards to the server's 11434.
 */
export const DEFAULT_OLLAMA_URL_PATTERN =
  'http://{serviceName}.{namespace}.svc';

const PLACEHOLDERS = [
  'serviceName',
  'namespace',
  'environment',
  'serviceCatalog',
];

function httpUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.replace(/\{\w+\}/g, 'x'));
  } catch {
    throw new InputError(`${key} must be an http(s) URL; got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InputError(`${key} must be an http(s) URL; got "${value}"`);
  // eslint-disable-next-line redos/no-vulnerable -- app-config value, set by the operator (not user input)
  return value.replace(/\/+$/, '');
}

export function readStatusConfig(config: Config): StatusConfig {
  const status = config.getOptionalConfig('workloadCatalog.status');
  const cacheTtlSeconds = status?.getOptionalNumber('cacheTtlSeconds') ?? 15;
  if (!(cacheTtlSeconds >= 0 && cacheTtlSeconds <= 3600)) {
    throw new InputError(
      `workloadCatalog.status.cacheTtlSeconds must be from 0 to 3600; got ${cacheTtlSeconds}`,
    );
  }
  const timeoutMs = status?.getOptionalNumber('timeoutMs') ?? 5000;
  if (!(timeoutMs > 0 && timeoutMs <= 60000)) {
    throw new InputError(
      `workloadCatalog.status.timeoutMs must be more than 0 and at most 60000; got ${timeoutMs}`,
    );
  }
  let argocd: StatusConfig['argocd'];
  const argo = status?.getOptionalConfig('argocd');
  const argoUrl = argo?.getOptionalString('baseUrl');
  if (argoUrl) {
    const baseUrl = httpUrl('workloadCatalog.status.argocd.baseUrl', argoUrl);
    const token = argo!.getOptionalString('token');
    if (!token) {
      throw new InputError(
        'workloadCatalog.status.argocd.token is required with baseUrl: an Argo CD API token (read access to the applications), e.g. ${ARGOCD_AUTH_TOKEN}',
      );
    }
    argocd = {
      baseUrl,
      token,
      uiUrl: httpUrl(
        'workloadCatalog.status.argocd.uiUrl',
        argo!.getOptionalString('uiUrl') ?? baseUrl,
      ),
      appNamespace: argo!.getOptionalString('appNamespace'),
    };
  }
  const serverPattern = (name: 'ollama' | 'tgi', fallback: string) => {
    const section = status?.getOptionalConfig(name);
    if (section?.getOptionalBoolean('enabled') === false) return undefined;
    const key = `workloadCatalog.status.${name}.urlPattern`;
    const pattern = httpUrl(
      key,
      section?.getOptionalString('urlPattern') ?? fallback,
    );
    for (const m of pattern.matchAll(/\{([^{}]*)\}/g)) {
      if (!PLACEHOLDERS.includes(m[1])) {
        throw new InputError(
          `${key}: unknown placeholder {${m[1]}}; allowed: ${PLACEHOLDERS.map(p => `{${p}}`).join(', ')}`,
        );
      }
    }
    return { urlPattern: pattern };
  };
  const ollama = serverPattern('ollama', DEFAULT_OLLAMA_URL_PATTERN);
  const tgi = serverPattern('tgi', DEFAULT_TGI_URL_PATTERN);
  return {
    cacheTtlMs: cacheTtlSeconds * 1000,
    timeoutMs,
    argocd,
    ollama,
    tgi,
  };
}
