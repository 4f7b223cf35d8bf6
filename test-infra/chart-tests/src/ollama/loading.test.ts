/*
 * The Ollama chart, issue 13: ready means loaded (the loader container, the readiness probe
 * on /api/ps, reloading a model that left memory), rendered with helm and validated, and
 * the model script run with bash against the fake Ollama server.
 */
import { template, type Manifest } from '../helm';
import { manifestErrors } from '../k8s/validate';
import { container, envOf, workload } from '../manifests';
import { restrictedViolations } from '../podSecurity';
import {
  chart,
  seed,
  assistant,
  DIGEST_LLAMA,
  DIGEST_OTHER,
  DIGEST_NOMIC,
  render,
  configOf,
} from './fixtures';
import { runModelScript, startFakeServer, writeConfig } from './runScript';

jest.setTimeout(180_000);

async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json();
}

describe('the pod: a loader container, and probes that wait for the loaded models', () => {
  it('renders the loader (restricted, read-only, only its ConfigMap) and valid manifests', async () => {
    const docs = await render(assistant);
    expect(await manifestErrors(docs)).toEqual([]);
    const pod = workload(docs).spec.template.spec;
    expect(pod.containers.map((c: Manifest) => c.name)).toEqual([
      'ollama',
      'loader',
    ]);
    const loader = container(pod, 'loader');
    expect(loader.command).toEqual([
      '/bin/bash',
      '/opt/workload-catalog/ollama-models.sh',
      'keep-loaded',
    ]);
    expect(loader.image).toBe(container(pod, 'ollama').image);
    expect(loader.volumeMounts).toEqual([
      { name: 'config', mountPath: '/opt/workload-catalog', readOnly: true },
    ]);
    expect(loader.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(loader.resources.limits.memory).toBe('64Mi');
    expect(envOf(loader).OLLAMA_HOST.value).toBe('127.0.0.1:11434');
    expect(envOf(loader).WC_OLLAMA_KEEP_ALIVE).toBeUndefined();
    expect(restrictedViolations(workload(docs))).toEqual([]);
  });

  it('loads every declared model but one per base weights, and not the ones in modelLoading.notLoaded', async () => {
    // support-bot is made from llama3.2:3b: Ollama runs one set of weights with one set of
    // options, so only the custom model is loaded
    const docs = await render(assistant);
    expect(configOf(docs, assistant).data.load.trim().split('\n')).toEqual([
      'nomic-embed-text:v1.5',
      'support-bot:latest',
    ]);
    const seedDocs = await render(seed);
    expect(configOf(seedDocs, seed).data.load.trim()).toBe('phi:latest');
    const skipped = await render({
      ...assistant,
      modelLoading: { notLoaded: ['nomic-embed-text:v1.5'] },
    });
    expect(configOf(skipped, assistant).data.load.trim()).toBe(
      'support-bot:latest',
    );
  });

  it('sizes the startup probe from modelLoading.timeoutSeconds for each model to load, and passes keepAlive', async () => {
    const docs = await render({
      ...assistant,
      modelLoading: { timeoutSeconds: 1800, keepAlive: '-1' },
    });
    const pod = workload(docs).spec.template.spec;
    const server = container(pod, 'ollama');
    // 120 s for the server to start, then 2 loads of up to 1800 s each
    expect(
      server.startupProbe.periodSeconds * server.startupProbe.failureThreshold,
    ).toBeGreaterThanOrEqual(120 + 2 * 1800);
    const loader = envOf(container(pod, 'loader'));
    expect(loader.WC_OLLAMA_LOAD_SECONDS.value).toBe('1800');
    expect(loader.WC_OLLAMA_KEEP_ALIVE.value).toBe('-1');
    const byDefault = container(
      workload(await render(seed)).spec.template.spec,
      'ollama',
    );
    expect(
      byDefault.startupProbe.periodSeconds *
        byDefault.startupProbe.failureThreshold,
    ).toBeGreaterThanOrEqual(120 + 900);
  });

  it.each([
    [
      { modelLoading: { notLoaded: ['mistral:7b'] } },
      'modelLoading.notLoaded.0: "mistral:7b" is not a model of this leaf; declared: phi:latest',
    ],
    [
      { modelLoading: { keepAlive: 'forever' } },
      'modelLoading.keepAlive: must be a duration such as "5m", "24h", "-1" (forever) or a number of seconds; got "forever"',
    ],
    [
      { modelPull: { insecureRegistries: ['registry.internal:5000'] } },
      'modelPull.insecureRegistries.0: "registry.internal:5000" is not the registry of any model of this leaf; registries: registry.ollama.ai',
    ],
  ])('refuses %j with a message naming the field', async (extra, message) => {
    const result = await template(chart, { ...seed, ...extra });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });
});

describe('the loader and the readiness probe, run against the fake Ollama server', () => {
  const all = {
    'llama3.2:3b': DIGEST_LLAMA,
    'nomic-embed-text:v1.5': DIGEST_NOMIC,
    'support-bot:latest': DIGEST_OTHER,
  };

  it('loads completion models with an empty generate request and embedding models (from /api/show) with an empty embed request', async () => {
    const config = writeConfig(configOf(await render(assistant), assistant));
    const server = await startFakeServer({ local: all });
    try {
      const run = await runModelScript(
        config,
        'load',
        {},
        { port: server.port, env: { WC_OLLAMA_KEEP_ALIVE: '-1' } },
      );
      expect(run.code).toBe(0);
      expect(run.output).toContain(
        'nomic-embed-text:v1.5: loaded into memory through /api/embed',
      );
      expect(run.output).toContain(
        'support-bot:latest: loaded into memory through /api/generate',
      );
      const ps = await (await fetch(`${server.url}/api/ps`)).json();
      expect(ps.models.map((m: any) => m.name).sort()).toEqual([
        'nomic-embed-text:v1.5',
        'support-bot:latest',
      ]);
      expect(ps.models[0].expires_at).toMatch(/^2318-/);
    } finally {
      server.stop();
    }
  });

  it('sends keep_alive as Ollama reads it: seconds as a number, a duration as a string', async () => {
    const config = writeConfig(configOf(await render(seed), seed));
    // the fake reads keep_alive as Ollama's api.Duration does: a string "-1" or "3600" is
    // refused there (time.ParseDuration wants a unit), so those must be sent as numbers
    for (const [keepAlive, expiresIn] of [
      ['-1', 'forever'],
      ['3600', 3600_000],
      ['30m', 1800_000],
    ] as const) {
      const server = await startFakeServer({
        local: { 'phi:latest': DIGEST_OTHER },
      });
      try {
        const run = await runModelScript(
          config,
          'load',
          {},
          { port: server.port, env: { WC_OLLAMA_KEEP_ALIVE: keepAlive } },
        );
        expect(run.code).toBe(0);
        const ps = await (await fetch(`${server.url}/api/ps`)).json();
        expect(ps.models).toHaveLength(1);
        const left = Date.parse(ps.models[0].expires_at) - Date.now();
        expect([
          expiresIn,
          left > 100 * 365 * 86_400_000
            ? 'forever'
            : Math.round(left / 60_000) * 60_000,
        ]).toEqual([expiresIn, expiresIn]);
      } finally {
        server.stop();
      }
    }
  });

  it('is unready again when a model leaves memory, and the loader loads it again', async () => {
    const config = writeConfig(configOf(await render(seed), seed));
    const server = await startFakeServer({
      local: { 'phi:latest': DIGEST_OTHER },
    });
    try {
      expect(
        (await runModelScript(config, 'load', {}, { port: server.port })).code,
      ).toBe(0);
      expect(
        (await runModelScript(config, 'ready', {}, { port: server.port }))
          .output,
      ).toContain('ready: 1 declared models present, 1 loaded');
      // keep_alive 0 unloads it (what an expired keep-alive or an eviction does)
      const unload = await post(`${server.url}/api/generate`, {
        model: 'phi:latest',
        keep_alive: 0,
      });
      expect(unload.done_reason).toBe('unload');
      const unready = await runModelScript(
        config,
        'ready',
        {},
        { port: server.port },
      );
      expect(unready.code).toBe(1);
      expect(unready.output.trim()).toBe(
        'models not loaded yet: phi:latest (the loader container loads them)',
      );
      // two passes of the loader: the first loads, then phi is unloaded, the second reloads
      const loader = runModelScript(
        config,
        'keep-loaded',
        {},
        {
          port: server.port,
          env: { WC_OLLAMA_LOOPS: '2', WC_OLLAMA_CHECK_SECONDS: '2' },
        },
      );
      await new Promise(r => setTimeout(r, 1000));
      await post(`${server.url}/api/generate`, {
        model: 'phi:latest',
        keep_alive: 0,
      });
      const run = await loader;
      expect(run.code).toBe(0);
      expect(run.output).toContain('phi:latest: loading');
      expect(run.output).toContain(
        'phi:latest: no longer loaded (its keep-alive expired or it was evicted): loading again',
      );
      expect(
        (await runModelScript(config, 'ready', {}, { port: server.port })).code,
      ).toBe(0);
    } finally {
      server.stop();
    }
  });

  it('logs why a load failed and exits 1 (the loader tries again at its next check)', async () => {
    const config = writeConfig(configOf(await render(seed), seed));
    const server = await startFakeServer({
      local: { 'phi:latest': DIGEST_OTHER },
      loadFails: {
        'phi:latest':
          'model requires more system memory (5.2 GiB) than is available (3.1 GiB)',
      },
    });
    try {
      const run = await runModelScript(
        config,
        'load',
        {},
        { port: server.port },
      );
      expect(run.code).toBe(1);
      expect(run.output).toContain(
        'phi:latest: loading failed: HTTP 500: model requires more system memory (5.2 GiB) than is available (3.1 GiB)',
      );
    } finally {
      server.stop();
    }
  });

  it('says so when the server does not answer /api/ps', async () => {
    const config = writeConfig(configOf(await render(seed), seed));
    const down = await runModelScript(config, 'load', { crash: true });
    expect(down.code).toBe(1);
    expect(down.output).toContain(
      'cannot read the loaded models: the ollama server does not answer',
    );
  });
});
