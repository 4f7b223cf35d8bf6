/*
 * The Ollama chart: each of the five defects of the first chart, fixed, checked in the
 * rendered manifests; and the model script of the init container and the probes run for real
 * (bash) against a fake Ollama server.
 */
import {
  OLLAMA_ENVIRONMENT,
  RESOURCE_PRESETS,
  ollamaPullName,
} from '@workload-catalog/plugin-workload-catalog-common';
import { template, type Manifest } from '../helm';
import { container, envOf, one } from '../manifests';
import {
  chart,
  seed,
  assistant,
  DIGEST_LLAMA,
  DIGEST_OTHER,
  DIGEST_NOMIC,
  render,
  podOf,
  configOf,
} from './fixtures';
import { runModelScript, startFakeServer, writeConfig } from './runScript';

// helm runs real processes; on a busy 2-core machine a test may take a while
jest.setTimeout(180_000);

describe('defect 1: no sleep; models are pulled once the server answers, and a failed pull fails the pod', () => {
  it('pulls in an init container that runs the model script, with no sleep anywhere', async () => {
    const docs = await render(seed);
    const pod = podOf(docs);
    expect(pod.initContainers.map((c: Manifest) => c.name)).toEqual(['models']);
    const init = container(pod, 'models');
    expect(init.command).toEqual([
      '/bin/bash',
      '/opt/workload-catalog/ollama-models.sh',
      'prepare',
    ]);
    expect(init.image).toBe(container(pod, 'ollama').image);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(JSON.stringify([c.command, c.args])).not.toMatch(/sleep/);
      expect(c.lifecycle).toBeUndefined();
    }
    const script = configOf(docs, seed).data['ollama-models.sh'];
    expect(script).toContain('/api/version');
    expect(script).not.toMatch(/sleep [0-9]*[2-9][0-9]*|sleep [0-9]{2,}/);
  });

  it('waits for /api/version, pulls with progress in the log, then stops the server', async () => {
    const docs = await render(seed);
    const run = await runModelScript(
      writeConfig(configOf(docs, seed)),
      'prepare',
      {
        startDelayMs: 1500,
        registry: {
          'phi:latest': { digest: DIGEST_OTHER, size: 1_600_000_000 },
        },
      },
    );
    expect(run.output).toMatch(
      /ollama server 0\.0\.0-fake answers on 127\.0\.0\.1:[0-9]+ after [0-9]+s/,
    );
    expect(run.code).toBe(0);
    expect(run.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /api/version',
      'GET /api/tags',
      'POST /api/pull',
      'GET /api/tags',
      'GET /api/tags',
    ]);
    expect(run.requests[2].body).toEqual({ model: 'phi:latest', stream: true });
    expect(run.output).toContain('phi:latest: pulling manifest');
    expect(run.output).toMatch(
      /phi:latest: pulling 0a8c26691023 50% \(7[0-9]{2} of 1525 MiB\)/,
    );
    expect(run.output).toContain(
      'phi:latest: pulling 0a8c26691023 100% (1525 of 1525 MiB)',
    );
    expect(run.output).toContain('phi:latest: success');
    expect(run.stopped).toBe(true);
    expect(run.serverAlive).toBe(false);
  });

  it('fails visibly when a pull fails', async () => {
    const docs = await render(seed);
    const run = await runModelScript(
      writeConfig(configOf(docs, seed)),
      'prepare',
      { registry: {} },
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      'FAILED: phi:latest: pull model manifest: file does not exist',
    );
    expect(run.serverAlive).toBe(false);
  });

  it('fails visibly when the server does not start', async () => {
    const docs = await render(seed);
    const run = await runModelScript(
      writeConfig(configOf(docs, seed)),
      'prepare',
      { crash: true },
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      'FAILED: ollama serve exited with status 1 before answering',
    );
    expect(run.output).toContain('permission denied');
  });
});

describe('defect 2: persistent model storage', () => {
  it('keeps an emptyDir only when the leaf asks for no storage', async () => {
    const pod = podOf(await render(seed));
    expect(pod.volumes.find((v: Manifest) => v.name === 'models')).toEqual({
      name: 'models',
      emptyDir: {},
    });
    expect(container(pod, 'ollama').volumeMounts).toContainEqual({
      name: 'models',
      mountPath: '/models',
    });
    expect(envOf(container(pod, 'ollama')).OLLAMA_MODELS.value).toBe('/models');
    expect(envOf(container(pod, 'models')).OLLAMA_MODELS.value).toBe('/models');
  });

  it('gives each replica its own ReadWriteOnce volume (StatefulSet volume claim templates)', async () => {
    const docs = await render(assistant);
    const sts = one(docs, 'StatefulSet', 'support-assistant');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.volumeClaimTemplates).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'models' }),
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'fast-ssd',
          resources: { requests: { storage: '40Gi' } },
        },
      }),
    ]);
    expect(
      sts.spec.template.spec.volumes.map((v: Manifest) => v.name),
    ).not.toContain('models');
    expect(sts.spec.serviceName).toBe(
      one(docs, 'Service', 'support-assistant-headless').metadata.name,
    );
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
    });
  });

  it('shares one ReadWriteMany claim between replicas, and Argo CD never deletes it', async () => {
    const docs = await render({
      ...seed,
      container: { ...seed.container, replicas: 3 },
      modelStorage: { size: '30Gi', accessMode: 'ReadWriteMany' },
    });
    const pvc = one(docs, 'PersistentVolumeClaim', 'ollama-phi-models');
    expect(pvc.spec).toEqual({
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '30Gi' } },
    });
    expect(pvc.metadata.annotations['argocd.argoproj.io/sync-options']).toBe(
      'Delete=false',
    );
    const deploy = one(docs, 'Deployment', 'ollama-phi');
    expect(deploy.spec.strategy.type).toBe('RollingUpdate');
    expect(deploy.spec.template.spec.volumes).toContainEqual({
      name: 'models',
      persistentVolumeClaim: { claimName: 'ollama-phi-models' },
    });
  });

  it('uses an existing claim; with ReadWriteOnce and several replicas they share one node and are replaced, not rolled', async () => {
    const docs = await render({
      ...seed,
      container: { ...seed.container, replicas: 2 },
      modelStorage: { existingClaim: 'ollama-cache' },
    });
    const deploy = one(docs, 'Deployment', 'ollama-phi');
    expect(deploy.spec.template.spec.volumes).toContainEqual({
      name: 'models',
      persistentVolumeClaim: { claimName: 'ollama-cache' },
    });
    expect(deploy.spec.strategy.type).toBe('Recreate');
    const term =
      deploy.spec.template.spec.affinity.podAffinity
        .requiredDuringSchedulingIgnoredDuringExecution[0];
    expect(term.topologyKey).toBe('kubernetes.io/hostname');
    expect(term.labelSelector.matchLabels).toEqual(
      deploy.spec.selector.matchLabels,
    );
    expect(docs.filter(d => d.kind === 'PersistentVolumeClaim')).toEqual([]);
  });

  it('does not pull again what is already on the volume (unless the platform asks to refresh)', async () => {
    const docs = await render(assistant);
    const config = writeConfig(configOf(docs, assistant));
    const local = {
      'llama3.2:3b': DIGEST_LLAMA,
      'nomic-embed-text:v1.5': DIGEST_NOMIC,
    };
    const registry = {
      'llama3.2:3b': { digest: DIGEST_LLAMA },
      'nomic-embed-text:v1.5': { digest: DIGEST_NOMIC },
    };
    const again = await runModelScript(config, 'prepare', { local, registry });
    expect(again.code).toBe(0);
    expect(again.requests.filter(r => r.path === '/api/pull')).toEqual([]);
    expect(again.output).toContain(
      'llama3.2:3b: already on the model volume (digest a80c4f17acd5), not pulled again',
    );
    const refresh = await runModelScript(
      config,
      'prepare',
      { local, registry },
      { env: { WC_OLLAMA_REFRESH: 'true' } },
    );
    expect(refresh.code).toBe(0);
    expect(
      refresh.requests
        .filter(r => r.path === '/api/pull')
        .map(r => r.body.model),
    ).toEqual(['llama3.2:3b', 'nomic-embed-text:v1.5']);
  });
});

describe('defect 3: several models, and custom models from Modelfile data created after the pull', () => {
  it('renders every model and each custom model request', async () => {
    const docs = await render(assistant);
    const data = configOf(docs, assistant).data;
    expect(data.models.trim().split('\n')).toEqual([
      `llama3.2:3b ${DIGEST_LLAMA}`,
      'nomic-embed-text:v1.5 -',
      'llama3.2:3b -',
    ]);
    expect(data['custom-models'].trim()).toBe(
      'support-bot:latest custom-1.json',
    );
    expect(JSON.parse(data['custom-1.json'])).toEqual({
      model: 'support-bot:latest',
      from: 'llama3.2:3b',
      system: assistant.customModels[0].system,
      parameters: { temperature: 0.2, num_ctx: 8192, stop: ['<|eot_id|>'] },
      stream: true,
    });
    expect(data['custom-1.Modelfile'].split('\n')).toEqual([
      'FROM llama3.2:3b',
      `SYSTEM """${assistant.customModels[0].system}"""`.split('\n')[0],
      '"""',
      'PARAMETER num_ctx 8192',
      'PARAMETER stop "<|eot_id|>"',
      'PARAMETER temperature 0.2',
    ]);
  });

  it('creates the custom model only after every pull, and checks that all models are there', async () => {
    const docs = await render(assistant);
    const run = await runModelScript(
      writeConfig(configOf(docs, assistant)),
      'prepare',
      {
        registry: {
          'llama3.2:3b': { digest: DIGEST_LLAMA },
          'nomic-embed-text:v1.5': { digest: DIGEST_NOMIC },
        },
      },
    );
    expect(run.code).toBe(0);
    const calls = run.requests
      .filter(r => r.method === 'POST')
      .map(r => `${r.path} ${r.body.model}`);
    expect(calls).toEqual([
      '/api/pull llama3.2:3b',
      '/api/pull nomic-embed-text:v1.5',
      '/api/create support-bot:latest',
    ]);
    expect(run.requests.find(r => r.path === '/api/create')!.body).toEqual(
      JSON.parse(configOf(docs, assistant).data['custom-1.json']),
    );
    expect(run.output).toContain(
      'support-bot:latest: creating from its Modelfile data',
    );
    expect(run.output).toMatch(/all 3 local models ready/);
  });

  it('normalises model references the way the CLI does (ollamaPullName)', async () => {
    const refs = [
      'Phi',
      'registry.ollama.ai/library/mistral:7B',
      'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M',
      'myteam/coder',
      'localhost:5000/team/model:v1@sha256:ABCDEF012345',
      'qwen2.5:0.5b',
    ];
    const docs = await render({
      ...seed,
      model: refs[0],
      additionalModels: refs.slice(1),
    });
    const lines = configOf(docs, seed).data.models.trim().split('\n');
    expect(lines.map((l: string) => l.split(' ')[0])).toEqual(
      refs.map(ollamaPullName),
    );
    expect(lines[4]).toBe('localhost:5000/team/model:v1 abcdef012345');
  });
});

describe('defect 4: pinning a mutable tag by digest', () => {
  it('passes when the pulled digest starts with the pin', async () => {
    const docs = await render(assistant);
    const run = await runModelScript(
      writeConfig(configOf(docs, assistant)),
      'prepare',
      {
        registry: {
          'llama3.2:3b': { digest: DIGEST_LLAMA },
          'nomic-embed-text:v1.5': { digest: DIGEST_NOMIC },
        },
      },
    );
    expect(run.code).toBe(0);
    expect(run.output).toContain(
      'llama3.2:3b: digest sha256:a80c4f17acd5... matches the pin',
    );
  });

  it('fails the pod when the tag has moved to another digest', async () => {
    const docs = await render(assistant);
    const run = await runModelScript(
      writeConfig(configOf(docs, assistant)),
      'prepare',
      {
        registry: {
          'llama3.2:3b': { digest: DIGEST_OTHER },
          'nomic-embed-text:v1.5': { digest: DIGEST_NOMIC },
        },
      },
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      `FAILED: llama3.2:3b: digest ${DIGEST_OTHER} does not match the pinned sha256:${DIGEST_LLAMA}`,
    );
    expect(run.requests.filter(r => r.path === '/api/create')).toEqual([]);
  });

  it('pulls again a model on the volume whose digest is not the pinned one', async () => {
    const docs = await render(assistant);
    const run = await runModelScript(
      writeConfig(configOf(docs, assistant)),
      'prepare',
      {
        local: {
          'llama3.2:3b': DIGEST_OTHER,
          'nomic-embed-text:v1.5': DIGEST_NOMIC,
        },
        registry: {
          'llama3.2:3b': { digest: DIGEST_LLAMA },
          'nomic-embed-text:v1.5': { digest: DIGEST_NOMIC },
        },
      },
    );
    expect(run.code).toBe(0);
    expect(
      run.requests.filter(r => r.path === '/api/pull').map(r => r.body.model),
    ).toEqual(['llama3.2:3b']);
  });
});

describe('defect 5: ready means every declared model is present, loaded, and the server answers', () => {
  it('probes the model list, not "/"; sizes the startup probe and the progress deadline for long pulls', async () => {
    const docs = await render(seed);
    const deploy = one(docs, 'Deployment', 'ollama-phi');
    const server = container(deploy.spec.template.spec, 'ollama');
    const check = [
      '/bin/bash',
      '/opt/workload-catalog/ollama-models.sh',
      'ready',
    ];
    expect(server.readinessProbe.exec.command).toEqual(check);
    expect(server.startupProbe.exec.command).toEqual(check);
    expect(JSON.stringify(server)).not.toMatch(/"path":"\/"/);
    expect(server.livenessProbe.httpGet).toEqual({
      path: '/api/version',
      port: 'http',
    });
    expect(
      server.startupProbe.periodSeconds * server.startupProbe.failureThreshold,
    ).toBeGreaterThanOrEqual(600);
    expect(deploy.spec.progressDeadlineSeconds).toBeGreaterThanOrEqual(3600);
    expect(server.volumeMounts).toContainEqual({
      name: 'config',
      mountPath: '/opt/workload-catalog',
      readOnly: true,
    });
  });

  it('the probe passes only when the server answers and lists every declared model', async () => {
    const docs = await render(assistant);
    const config = writeConfig(configOf(docs, assistant));
    const all = {
      'llama3.2:3b': DIGEST_LLAMA,
      'nomic-embed-text:v1.5': DIGEST_NOMIC,
      'support-bot:latest': DIGEST_OTHER,
    };
    const server = await startFakeServer({ local: all });
    try {
      const notLoaded = await runModelScript(
        config,
        'ready',
        {},
        { port: server.port },
      );
      expect(notLoaded.code).toBe(1);
      expect(notLoaded.output.trim()).toBe(
        'models not loaded yet: nomic-embed-text:v1.5 support-bot:latest (the loader container loads them)',
      );
      const load = await runModelScript(
        config,
        'load',
        {},
        { port: server.port },
      );
      expect(load.code).toBe(0);
      const ok = await runModelScript(
        config,
        'ready',
        {},
        { port: server.port },
      );
      expect(ok.output.trim()).toBe(
        'ready: 4 declared models present, 2 loaded',
      );
      expect(ok.code).toBe(0);
    } finally {
      server.stop();
    }
    const partial = await startFakeServer({
      local: { 'llama3.2:3b': DIGEST_LLAMA },
    });
    try {
      const missing = await runModelScript(
        config,
        'ready',
        {},
        { port: partial.port },
      );
      expect(missing.code).toBe(1);
      expect(missing.output.trim()).toBe(
        'models not present: nomic-embed-text:v1.5 support-bot:latest',
      );
    } finally {
      partial.stop();
    }
    const down = await runModelScript(config, 'ready', { crash: true });
    expect(down.code).toBe(1);
    expect(down.output).toContain('ollama does not answer /api/tags');
  });
});

describe('GPU, presets, runtime settings and security', () => {
  it('asks for gpu.count GPUs and schedules on GPU nodes', async () => {
    const docs = await render({
      ...assistant,
      gpu: { count: 2, product: 'NVIDIA-L4' },
    });
    const pod = podOf(docs);
    expect(container(pod, 'ollama').resources.limits['nvidia.com/gpu']).toBe(
      '2',
    );
    expect(
      container(pod, 'models').resources.limits['nvidia.com/gpu'],
    ).toBeUndefined();
    expect(pod.runtimeClassName).toBe('nvidia');
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-L4' });
    expect(pod.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  it('runs on CPU without GPU scheduling when gpu.count is 0', async () => {
    const pod = podOf(await render({ ...seed, gpu: { count: 0 } }));
    expect(
      container(pod, 'ollama').resources.limits['nvidia.com/gpu'],
    ).toBeUndefined();
    expect(pod.runtimeClassName).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
  });

  it('takes resources from the preset table', async () => {
    const pod = podOf(await render(assistant));
    const { requests, limits } = RESOURCE_PRESETS.small;
    expect(container(pod, 'ollama').resources).toEqual({
      requests,
      limits: { ...limits, 'nvidia.com/gpu': '1' },
    });
  });

  it('sets the Ollama runtime defaults (OLLAMA_ENVIRONMENT chartDefault), which the leaf overrides', async () => {
    const seedEnv = envOf(container(podOf(await render(seed)), 'ollama'));
    const defaults = Object.entries(OLLAMA_ENVIRONMENT).filter(
      ([, s]) => s.chartDefault !== undefined,
    );
    expect(defaults.map(([n]) => n).sort()).toEqual([
      'OLLAMA_KEEP_ALIVE',
      'OLLAMA_MAX_QUEUE',
      'OLLAMA_NUM_PARALLEL',
    ]);
    for (const [name, setting] of defaults)
      expect(seedEnv[name]).toEqual({ name, value: setting.chartDefault });
    expect(seedEnv.OLLAMA_HOST.value).toBe('0.0.0.0:11434');
    const env = (
      container(podOf(await render(assistant)), 'ollama').env as Manifest[]
    ).map(e => e.name);
    expect(env.filter(n => n === 'OLLAMA_NUM_PARALLEL')).toHaveLength(1);
    expect(
      envOf(container(podOf(await render(assistant)), 'ollama'))
        .OLLAMA_NUM_PARALLEL.value,
    ).toBe('8');
  });

  it('runs as non-root with a writable model directory, seccomp RuntimeDefault, no escalation, no capabilities', async () => {
    const pod = podOf(await render(seed));
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      fsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    for (const c of [container(pod, 'models'), container(pod, 'ollama')]) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      const models = c.volumeMounts.find((m: Manifest) => m.name === 'models');
      expect(models.readOnly).toBeUndefined();
      expect(envOf(c).HOME.value).toBe('/home/ollama');
      expect(c.volumeMounts).toContainEqual({
        name: 'home',
        mountPath: '/home/ollama',
      });
    }
  });
});

describe('the Service: port 80, forwarding to the container port 11434 (the seed architecture)', () => {
  it('listens on 80 with targetPort the named container port, which is 11434', async () => {
    const docs = await render(seed);
    const service = one(docs, 'Service', 'ollama-phi');
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
    ]);
    expect(container(podOf(docs), 'ollama').ports).toEqual([
      expect.objectContaining({ name: 'http', containerPort: 11434 }),
    ]);
  });

  it('routes the HTTPRoute and the Ingress to port 80 of the Service', async () => {
    const route = one(await render(seed), 'HTTPRoute', 'ollama-phi');
    expect(route.spec.rules[0].backendRefs).toEqual([
      { name: 'ollama-phi', port: 80 },
    ]);
    const result = await template(chart, seed, {
      setJson: { platform: { ingress: { mode: 'ingress' } } },
    });
    expect(result.stderr).toBe('');
    const ingress = one(result.docs, 'Ingress', 'ollama-phi');
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({
      service: { name: 'ollama-phi', port: { number: 80 } },
    });
  });

  it('keeps the headless Service of a StatefulSet on 11434: it does not proxy, clients reach the pods directly', async () => {
    const docs = await render(assistant);
    expect(
      one(docs, 'Service', 'support-assistant-headless').spec.ports,
    ).toEqual([
      { name: 'http', port: 11434, targetPort: 'http', protocol: 'TCP' },
    ]);
    expect(one(docs, 'Service', 'support-assistant').spec.ports[0].port).toBe(
      80,
    );
  });
});
