/*
 * The Ollama chart, issue 13: a shared model cache that is safe. Two runs of the init
 * container's script on one model volume (each with its own fake `ollama serve`): one pulls,
 * the other waits for the lock and verifies; clean removes only what this workload no longer
 * declares; insecure registries and the platform's registry mirror, with the pin checked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { template } from '../helm';
import { manifestErrors } from '../k8s/validate';
import { container, envOf, workload } from '../manifests';
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
import { runModelScript, writeConfig } from './runScript';

jest.setTimeout(180_000);

const volume = () => fs.mkdtempSync(path.join(os.tmpdir(), 'wc-ollama-vol-'));
/** The models on the volume (name -> digest), as the fake server keeps them. */
const onVolume = (dir: string) => {
  const file = path.join(dir, 'fake-manifests.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
};
const pulls = (run: { requests: any[] }) =>
  run.requests.filter(r => r.path === '/api/pull').map(r => r.body);

const shared = {
  ...assistant,
  modelStorage: { existingClaim: 'ollama-cache', accessMode: 'ReadWriteMany' },
};

describe('the init container on a shared volume', () => {
  it('names its pod and its workload for the lock and the owner records; no server prunes another pod’s download', async () => {
    const docs = await render(shared);
    expect(await manifestErrors(docs)).toEqual([]);
    const pod = workload(docs).spec.template.spec;
    const init = container(pod, 'models');
    const env = envOf(init);
    expect(env.WC_OLLAMA_POD.valueFrom).toEqual({
      fieldRef: { fieldPath: 'metadata.name' },
    });
    expect(env.WC_OLLAMA_WORKLOAD.value).toBe(
      `${assistant.namespace}.${assistant.serviceName}`,
    );
    expect(env.OLLAMA_NOPRUNE.value).toBe('true');
    expect(envOf(container(pod, 'ollama')).OLLAMA_NOPRUNE.value).toBe('true');
    // a volume of its own (StatefulSet claim per replica): no need
    const own = workload(await render(assistant)).spec.template.spec;
    expect(envOf(container(own, 'models')).OLLAMA_NOPRUNE).toBeUndefined();
  });
});

describe('OLLAMA_NOPRUNE on a shared volume', () => {
  const message =
    'must stay true with a shared model volume (modelStorage with ReadWriteMany or existingClaim): an Ollama server that starts prunes the files no model names, which includes the download of another replica in progress';

  it.each([
    [{ OLLAMA_NOPRUNE: 'false' }, 'container.environment.OLLAMA_NOPRUNE'],
    [[{ name: 'OLLAMA_NOPRUNE', value: '0' }], 'container.environment.0.value'],
  ])('refuses %j with a shared volume', async (environment, at) => {
    const result = await template(chart, {
      ...shared,
      container: { ...shared.container, environment },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${at}: ${message}`);
  });

  it('accepts it on a volume of its own', async () => {
    const docs = await render({
      ...assistant,
      container: {
        ...assistant.container,
        environment: { OLLAMA_NOPRUNE: 'false' },
      },
    });
    expect(
      envOf(container(workload(docs).spec.template.spec, 'ollama'))
        .OLLAMA_NOPRUNE.value,
    ).toBe('false');
  });
});

describe('the lock: one pod pulls at a time, the others wait and then verify', () => {
  it('two pods starting together on one volume: one pulls, the other waits, finds the models and checks the pin', async () => {
    const config = writeConfig(configOf(await render(shared), shared));
    const dir = volume();
    const state = {
      pullDelayMs: 700,
      registry: {
        'llama3.2:3b': { digest: DIGEST_LLAMA },
        'nomic-embed-text:v1.5': { digest: DIGEST_NOMIC },
      },
    };
    const [a, b] = await Promise.all([
      runModelScript(config, 'prepare', state, {
        modelsDir: dir,
        env: { WC_OLLAMA_POD: 'support-assistant-a' },
      }),
      runModelScript(config, 'prepare', state, {
        modelsDir: dir,
        env: { WC_OLLAMA_POD: 'support-assistant-b' },
      }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const [puller, waiter] = pulls(a).length ? [a, b] : [b, a];
    expect(pulls(puller).map(p => p.model)).toEqual([
      'llama3.2:3b',
      'nomic-embed-text:v1.5',
    ]);
    expect(pulls(waiter)).toEqual([]);
    const holder = puller === a ? 'support-assistant-a' : 'support-assistant-b';
    expect(waiter.output).toContain(
      `waiting for the model lock: ${holder} is preparing the models on the shared volume`,
    );
    expect(waiter.output).toMatch(/model lock taken after waiting [0-9]+s/);
    expect(waiter.output).toContain(
      'llama3.2:3b: already on the model volume (digest a80c4f17acd5), not pulled again',
    );
    expect(waiter.output).toContain(
      'llama3.2:3b: digest sha256:a80c4f17acd5... matches the pin',
    );
    expect(fs.existsSync(path.join(dir, '.workload-catalog', 'lock'))).toBe(
      false,
    );
  });

  it('a model found on the volume is still checked against the pin', async () => {
    const config = writeConfig(configOf(await render(shared), shared));
    const dir = volume();
    // another workload left llama3.2:3b at another digest; the registry now serves that one
    const run = await runModelScript(
      config,
      'prepare',
      {
        local: {
          'llama3.2:3b': DIGEST_OTHER,
          'nomic-embed-text:v1.5': DIGEST_NOMIC,
        },
        registry: {
          'llama3.2:3b': { digest: DIGEST_OTHER },
          'nomic-embed-text:v1.5': { digest: DIGEST_NOMIC },
        },
      },
      { modelsDir: dir },
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      `FAILED: llama3.2:3b: digest ${DIGEST_OTHER} does not match the pinned sha256:${DIGEST_LLAMA}`,
    );
    // the lock is released on failure
    expect(fs.existsSync(path.join(dir, '.workload-catalog', 'lock'))).toBe(
      false,
    );
  });

  it('takes over a lock whose heartbeat stopped (its pod died), and one of its own pod name', async () => {
    const config = writeConfig(configOf(await render(seed), seed));
    const registry = { 'phi:latest': { digest: DIGEST_OTHER } };
    const dir = volume();
    const lock = path.join(dir, '.workload-catalog', 'lock');
    fs.mkdirSync(lock, { recursive: true });
    fs.writeFileSync(path.join(lock, 'holder'), 'ollama-phi-old');
    fs.writeFileSync(
      path.join(lock, 'heartbeat'),
      String(Math.floor(Date.now() / 1000) - 600),
    );
    const stale = await runModelScript(
      config,
      'prepare',
      { registry },
      { modelsDir: dir, env: { WC_OLLAMA_POD: 'ollama-phi-new' } },
    );
    expect(stale.code).toBe(0);
    expect(stale.output).toMatch(
      /the model lock of ollama-phi-old has had no heartbeat for 6[0-9]{2}s: taking it over/,
    );
    const again = volume();
    const mine = path.join(again, '.workload-catalog', 'lock');
    fs.mkdirSync(mine, { recursive: true });
    fs.writeFileSync(path.join(mine, 'holder'), 'ollama-phi-0');
    fs.writeFileSync(
      path.join(mine, 'heartbeat'),
      String(Math.floor(Date.now() / 1000)),
    );
    const restarted = await runModelScript(
      config,
      'prepare',
      { registry },
      { modelsDir: again, env: { WC_OLLAMA_POD: 'ollama-phi-0' } },
    );
    expect(restarted.code).toBe(0);
    expect(restarted.output).toContain(
      'the model lock is held by an earlier run of this pod (ollama-phi-0): taking it over',
    );
  });

  it('waits for a live lock of another pod as long as its heartbeat is fresh', async () => {
    const config = writeConfig(configOf(await render(seed), seed));
    const dir = volume();
    const lock = path.join(dir, '.workload-catalog', 'lock');
    fs.mkdirSync(lock, { recursive: true });
    fs.writeFileSync(path.join(lock, 'holder'), 'ollama-phi-other');
    fs.writeFileSync(
      path.join(lock, 'heartbeat'),
      String(Math.floor(Date.now() / 1000)),
    );
    const run = runModelScript(
      config,
      'prepare',
      { registry: { 'phi:latest': { digest: DIGEST_OTHER } } },
      { modelsDir: dir, env: { WC_OLLAMA_POD: 'ollama-phi-me' } },
    );
    await new Promise(r => setTimeout(r, 2500));
    // still waiting: nothing pulled yet
    expect(onVolume(dir)).toEqual({});
    fs.rmSync(lock, { recursive: true });
    const done = await run;
    expect(done.code).toBe(0);
    expect(done.output).toContain(
      'waiting for the model lock: ollama-phi-other is preparing the models',
    );
    expect(onVolume(dir)).toEqual({ 'phi:latest': DIGEST_OTHER });
  });
});

describe('clean: remove the models this workload no longer declares, and nothing else', () => {
  it('removes what the workload declared before, keeps models of other workloads and models nobody recorded', async () => {
    const dir = volume();
    const registry = {
      'llama3.2:3b': { digest: DIGEST_LLAMA },
      'nomic-embed-text:v1.5': { digest: DIGEST_NOMIC },
      'phi:latest': { digest: DIGEST_OTHER },
    };
    const env = { WC_OLLAMA_WORKLOAD: 'ml.support-assistant' };
    const cleanEnv = { ...env, WC_OLLAMA_CLEAN: 'true' };
    // first start: the assistant's three models, recorded as its own
    const before = await runModelScript(
      writeConfig(configOf(await render(shared), shared)),
      'prepare',
      { registry, local: { 'someone-else:latest': DIGEST_OTHER } },
      { modelsDir: dir, env },
    );
    expect(before.code).toBe(0);
    expect(
      fs
        .readFileSync(
          path.join(dir, '.workload-catalog/owners/ml.support-assistant'),
          'utf8',
        )
        .trim()
        .split('\n'),
    ).toEqual(['llama3.2:3b', 'nomic-embed-text:v1.5', 'support-bot:latest']);
    // another workload on the volume declares nomic-embed-text too
    fs.writeFileSync(
      path.join(dir, '.workload-catalog/owners/ml.search'),
      'nomic-embed-text:v1.5\n',
    );
    // the leaf now declares phi only, with clean
    const leaf = {
      ...shared,
      model: 'phi:latest',
      additionalModels: undefined,
      customModels: undefined,
      modelPull: { clean: true },
    };
    const docs = await render(leaf);
    expect(
      envOf(container(workload(docs).spec.template.spec, 'models'))
        .WC_OLLAMA_CLEAN.value,
    ).toBe('true');
    const after = await runModelScript(
      writeConfig(configOf(docs, leaf)),
      'prepare',
      { registry },
      { modelsDir: dir, env: cleanEnv },
    );
    expect(after.code).toBe(0);
    expect(
      after.requests
        .filter(r => r.path === '/api/delete')
        .map(r => r.body.model)
        .sort(),
    ).toEqual(['llama3.2:3b', 'support-bot:latest']);
    expect(after.output).toContain(
      'llama3.2:3b: removed (no longer declared by ml.support-assistant)',
    );
    expect(after.output).toContain(
      'nomic-embed-text:v1.5: no longer declared, kept: workload ml.search declares it',
    );
    expect(Object.keys(onVolume(dir)).sort()).toEqual([
      'nomic-embed-text:v1.5',
      'phi:latest',
      'someone-else:latest',
    ]);
  });

  it('removes nothing without clean (the record is still kept up to date)', async () => {
    const dir = volume();
    const env = { WC_OLLAMA_WORKLOAD: 'ml-workloads.ollama-phi' };
    fs.mkdirSync(path.join(dir, '.workload-catalog/owners'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(dir, '.workload-catalog/owners/ml-workloads.ollama-phi'),
      'mistral:7b\n',
    );
    const run = await runModelScript(
      writeConfig(configOf(await render(seed), seed)),
      'prepare',
      {
        registry: { 'phi:latest': { digest: DIGEST_OTHER } },
        local: { 'mistral:7b': DIGEST_LLAMA },
      },
      { modelsDir: dir, env },
    );
    expect(run.code).toBe(0);
    expect(run.requests.filter(r => r.path === '/api/delete')).toEqual([]);
    expect(Object.keys(onVolume(dir)).sort()).toEqual([
      'mistral:7b',
      'phi:latest',
    ]);
    expect(
      fs.readFileSync(
        path.join(dir, '.workload-catalog/owners/ml-workloads.ollama-phi'),
        'utf8',
      ),
    ).toBe('phi:latest\n');
  });
});

describe('internal registries: insecure pulls, and the platform’s registry mirror', () => {
  const internal = {
    ...seed,
    model: 'registry.internal:5000/team/coder:v1',
    modelPull: { insecureRegistries: ['Registry.Internal:5000'] },
  };

  it('pulls with insecure only from the registries the leaf lists', async () => {
    const leaf = { ...internal, additionalModels: ['phi:latest'] };
    const docs = await render(leaf);
    const env = envOf(container(workload(docs).spec.template.spec, 'models'));
    expect(env.WC_OLLAMA_INSECURE_REGISTRIES.value).toBe(
      'registry.internal:5000',
    );
    const run = await runModelScript(
      writeConfig(configOf(docs, leaf)),
      'prepare',
      {
        registry: {
          'registry.internal:5000/team/coder:v1': { digest: DIGEST_LLAMA },
          'phi:latest': { digest: DIGEST_OTHER },
        },
      },
      {
        env: {
          WC_OLLAMA_INSECURE_REGISTRIES:
            env.WC_OLLAMA_INSECURE_REGISTRIES.value,
        },
      },
    );
    expect(run.code).toBe(0);
    expect(pulls(run)).toEqual([
      {
        model: 'registry.internal:5000/team/coder:v1',
        insecure: true,
        stream: true,
      },
      { model: 'phi:latest', stream: true },
    ]);
    expect(run.output).toContain(
      'registry.internal:5000/team/coder:v1: pulling (insecure: plain HTTP or an unverified certificate)',
    );
  });

  const mirror = {
    platform: {
      ollama: {
        registryMirror: { host: 'mirror.internal:5000', insecure: true },
      },
    },
  };

  it('pulls registry.ollama.ai models from the mirror and names them as the leaf does', async () => {
    const leaf = {
      ...seed,
      additionalModels: ['myteam/coder:v2', 'hf.co/org/model:q4'],
    };
    const docs = await render(leaf, mirror);
    expect(await manifestErrors(docs)).toEqual([]);
    const dir = volume();
    const env = envOf(container(workload(docs).spec.template.spec, 'models'));
    expect(env.WC_OLLAMA_MIRROR.value).toBe('mirror.internal:5000');
    expect(env.WC_OLLAMA_MIRROR_INSECURE.value).toBe('true');
    const run = await runModelScript(
      writeConfig(configOf(docs, leaf)),
      'prepare',
      {
        registry: {
          'mirror.internal:5000/library/phi:latest': { digest: DIGEST_OTHER },
          'mirror.internal:5000/myteam/coder:v2': { digest: DIGEST_LLAMA },
          'hf.co/org/model:q4': { digest: DIGEST_NOMIC },
        },
      },
      {
        modelsDir: dir,
        env: {
          WC_OLLAMA_MIRROR: 'mirror.internal:5000',
          WC_OLLAMA_MIRROR_INSECURE: 'true',
        },
      },
    );
    expect(run.code).toBe(0);
    expect(pulls(run)).toEqual([
      {
        model: 'mirror.internal:5000/library/phi:latest',
        insecure: true,
        stream: true,
      },
      {
        model: 'mirror.internal:5000/myteam/coder:v2',
        insecure: true,
        stream: true,
      },
      // another registry's model is not rewritten
      { model: 'hf.co/org/model:q4', stream: true },
    ]);
    expect(
      run.requests.filter(r => r.path === '/api/copy').map(r => r.body),
    ).toEqual([
      {
        source: 'mirror.internal:5000/library/phi:latest',
        destination: 'phi:latest',
      },
      {
        source: 'mirror.internal:5000/myteam/coder:v2',
        destination: 'myteam/coder:v2',
      },
    ]);
    expect(run.output).toContain(
      'phi:latest: pulling from the registry mirror as mirror.internal:5000/library/phi:latest (insecure)',
    );
    // the mirror's names are removed after the copy
    expect(Object.keys(onVolume(dir)).sort()).toEqual([
      'hf.co/org/model:q4',
      'myteam/coder:v2',
      'phi:latest',
    ]);
  });

  it('fails when the mirror serves another digest than the pin, and leaves no model under the leaf’s name', async () => {
    const leaf = {
      ...seed,
      model: `llama3.2:3b@sha256:${DIGEST_LLAMA.slice(0, 16)}`,
    };
    const docs = await render(leaf, mirror);
    const dir = volume();
    const run = await runModelScript(
      writeConfig(configOf(docs, leaf)),
      'prepare',
      {
        registry: {
          'mirror.internal:5000/library/llama3.2:3b': { digest: DIGEST_OTHER },
        },
      },
      { modelsDir: dir, env: { WC_OLLAMA_MIRROR: 'mirror.internal:5000' } },
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      `FAILED: llama3.2:3b: digest ${DIGEST_OTHER} from the registry mirror mirror.internal:5000 does not match the pinned sha256:${DIGEST_LLAMA.slice(0, 16)}`,
    );
    expect(onVolume(dir)).toEqual({});
  });
});
