/*
 * What each chart renders from a leaf: the workload kind, the container from the leaf, the
 * zod defaults (from the schema, through the generated template), ingress and TLS in both
 * modes, secret references, and the labels Backstage and Argo CD rely on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CANARY_STEPS } from '@workload-catalog/plugin-workload-catalog-common';
import { parse } from 'yaml';
import { template, type Manifest } from './helm';
import { container, envOf, kinds, one, workload } from './manifests';
import { chartOf, examplesDir } from './paths';

// helm runs real processes; on a busy 2-core machine a test may take a while
jest.setTimeout(180_000);

const example = (rel: string) =>
  parse(fs.readFileSync(path.join(examplesDir, 'valid', rel), 'utf8'));
const ordersApi = example('shop/dev/orders-api.yaml');
const ordersDb = example('shop/prod/orders-db.yaml');
const storefront = example('shop/prod/storefront.yaml');
const mistral = example('ml-inference/prod/mistral-tgi.yaml');

async function render(
  leaf: Record<string, any>,
  platform?: Record<string, unknown>,
): Promise<Manifest[]> {
  const result = await template(
    chartOf(leaf.workloadType),
    leaf,
    platform ? { setJson: { platform } } : {},
  );
  if (result.code !== 0) throw new Error(result.stderr);
  return result.docs;
}

describe('BASIC_CONTAINER_LOAD', () => {
  it('renders a Deployment of the leaf image behind a Service, routed by an HTTPRoute with a certificate', async () => {
    const docs = await render(ordersApi);
    expect(kinds(docs)).toEqual([
      'Certificate/orders-api-tls',
      'Deployment/orders-api',
      'HTTPRoute/orders-api',
      // the leaf runs 2 replicas: a disruption budget (docs/autoscaling.md)
      'PodDisruptionBudget/orders-api',
      'ReferenceGrant/orders-api-tls-gateway',
      'Service/orders-api',
    ]);
    const app = container(one(docs, 'Deployment').spec.template.spec, 'app');
    expect(app.image).toBe('ghcr.io/acme/orders-api:1.4.2');
    expect(app.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
    ]);
    expect(app.readinessProbe.httpGet).toEqual({
      path: '/healthz',
      port: 'http',
    });
    expect(envOf(app)).toEqual({
      LOG_LEVEL: { name: 'LOG_LEVEL', value: 'info' },
      DATABASE_PASSWORD: {
        name: 'DATABASE_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } },
      },
    });
    expect(one(docs, 'Deployment').spec.replicas).toBe(2);
    const route = one(docs, 'HTTPRoute');
    expect(route.spec.hostnames).toEqual(['orders.dev.example.com']);
    expect(route.spec.rules[0]).toEqual({
      matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
      backendRefs: [{ name: 'orders-api', port: 8080 }],
    });
    expect(route.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: 'platform-gateway',
        namespace: 'gateway-system',
      },
    ]);
    expect(one(docs, 'Certificate').spec).toEqual({
      secretName: 'orders-api-tls',
      dnsNames: ['orders.dev.example.com'],
      issuerRef: {
        group: 'cert-manager.io',
        kind: 'ClusterIssuer',
        name: 'letsencrypt',
      },
    });
  });

  it('applies the schema defaults the leaf leaves out (replicas, port, ingress path, TLS on)', async () => {
    const leaf = {
      workloadType: 'BASIC_CONTAINER_LOAD',
      serviceName: 'tiny',
      serviceCatalog: 'shop',
      namespace: 'shop',
      environment: 'dev',
      container: { image: 'nginx:1.27' },
      ingress: { enabled: true, host: 'tiny.example.com' },
    };
    const docs = await render(leaf);
    const deploy = one(docs, 'Deployment');
    expect(deploy.spec.replicas).toBe(1);
    expect(
      container(deploy.spec.template.spec, 'app').ports[0].containerPort,
    ).toBe(8080);
    expect(
      container(deploy.spec.template.spec, 'app').readinessProbe.tcpSocket,
    ).toEqual({ port: 'http' });
    expect(one(docs, 'HTTPRoute').spec.rules[0].matches[0].path.value).toBe(
      '/',
    );
    expect(one(docs, 'Certificate').spec.dnsNames).toEqual([
      'tiny.example.com',
    ]);
  });

  it('renders a classic Ingress where the platform configures it', async () => {
    const docs = await render(ordersApi, {
      ingress: { mode: 'ingress', className: 'nginx' },
    });
    expect(
      docs.filter(d => d.kind === 'HTTPRoute' || d.kind === 'ReferenceGrant'),
    ).toEqual([]);
    expect(one(docs, 'Ingress').spec).toEqual({
      ingressClassName: 'nginx',
      tls: [
        { hosts: ['orders.dev.example.com'], secretName: 'orders-api-tls' },
      ],
      rules: [
        {
          host: 'orders.dev.example.com',
          http: {
            paths: [
              {
                path: '/api',
                pathType: 'Prefix',
                backend: {
                  service: { name: 'orders-api', port: { number: 8080 } },
                },
              },
            ],
          },
        },
      ],
    });
    expect(one(docs, 'Certificate').spec.secretName).toBe('orders-api-tls');
  });

  it('uses an existing TLS Secret without a Certificate, and serves plain HTTP when TLS is off', async () => {
    const own = await render({
      ...ordersApi,
      ingress: { ...ordersApi.ingress, tls: { secretName: 'wildcard-tls' } },
    });
    expect(own.filter(d => d.kind === 'Certificate')).toEqual([]);
    expect(one(own, 'ReferenceGrant').spec.to).toEqual([
      { group: '', kind: 'Secret', name: 'wildcard-tls' },
    ]);
    const plain = await render(
      {
        ...ordersApi,
        ingress: { ...ordersApi.ingress, tls: { enabled: false } },
      },
      { ingress: { mode: 'ingress' } },
    );
    expect(plain.filter(d => d.kind === 'Certificate')).toEqual([]);
    expect(one(plain, 'Ingress').spec.tls).toBeUndefined();
    const none = await render({ ...ordersApi, ingress: undefined });
    expect(kinds(none)).toEqual([
      'Deployment/orders-api',
      'PodDisruptionBudget/orders-api',
      'Service/orders-api',
    ]);
  });

  it('labels every object for Backstage and Argo CD', async () => {
    for (const doc of await render(ordersApi)) {
      expect(doc.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'orders-api',
        'backstage.io/kubernetes-id': 'orders-api',
        'workload-catalog.dev/service-name': 'orders-api',
        'workload-catalog.dev/catalog': 'shop',
        'workload-catalog.dev/environment': 'dev',
        'workload-catalog.dev/workload-type': 'BASIC_CONTAINER_LOAD',
      });
      expect(doc.metadata.namespace).toBe('shop');
    }
  });
});

describe('STATEFUL_CONTAINER_LOAD', () => {
  it('renders a StatefulSet with a volume claim template per replica, mounted where the leaf says', async () => {
    const docs = await render(ordersDb);
    expect(kinds(docs)).toEqual([
      'Service/orders-db',
      'Service/orders-db-headless',
      'StatefulSet/orders-db',
    ]);
    const sts = one(docs, 'StatefulSet');
    expect(sts.spec.serviceName).toBe('orders-db-headless');
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast-ssd',
      resources: { requests: { storage: '20Gi' } },
    });
    const app = container(sts.spec.template.spec, 'app');
    expect(app.volumeMounts).toEqual([
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
    ]);
    expect(app.readinessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(one(docs, 'Service', 'orders-db-headless').spec.clusterIP).toBe(
      'None',
    );
    expect(sts.spec.template.spec.securityContext.fsGroup).toBe(1000);
  });
});

describe('BASIC_CONTAINER_ROLLOUT', () => {
  it('renders an Argo Rollouts Rollout with the leaf canary steps', async () => {
    const docs = await render(storefront);
    const rollout = one(docs, 'Rollout');
    expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(rollout.spec.strategy.canary.steps).toEqual(
      storefront.rollout.canary.steps,
    );
    expect(rollout.spec.replicas).toBe(4);
    expect(docs.filter(d => d.kind === 'Deployment')).toEqual([]);
  });

  it('takes the default canary steps from the schema when the leaf has no rollout', async () => {
    const rollout = one(
      await render({ ...storefront, rollout: undefined }),
      'Rollout',
    );
    expect(rollout.spec.strategy.canary.steps).toEqual(DEFAULT_CANARY_STEPS);
  });

  it('renders blue-green with an active and a preview Service', async () => {
    const docs = await render({ ...storefront, rollout: { blueGreen: {} } });
    expect(one(docs, 'Rollout').spec.strategy).toEqual({
      blueGreen: {
        activeService: 'storefront',
        previewService: 'storefront-preview',
        autoPromotionEnabled: false,
      },
    });
    expect(one(docs, 'Service', 'storefront-preview').spec.selector).toEqual(
      one(docs, 'Service', 'storefront').spec.selector,
    );
  });
});

describe('ML_INFERENCE_LOAD (Text Generation Inference)', () => {
  it('serves the model id at its pinned revision on the GPUs, with shared memory and the model cache', async () => {
    const docs = await render(mistral);
    const deploy = workload(docs);
    const pod = deploy.spec.template.spec;
    const tgi = container(pod, 'tgi');
    expect(tgi.image).toMatch(
      /^ghcr\.io\/huggingface\/text-generation-inference:[0-9]+\.[0-9]+\.[0-9]+$/,
    );
    const env = envOf(tgi);
    expect(env.MODEL_ID.value).toBe('mistralai/Mistral-7B-Instruct-v0.3');
    expect(env.REVISION.value).toBe('e0bc86c23ce5aae1db576c8cca6f06f1f73af2db');
    expect(env.NUM_SHARD.value).toBe('2');
    expect(env.HF_TOKEN.valueFrom.secretKeyRef).toEqual({
      name: 'mistral-tgi-vault',
      key: 'HF_TOKEN',
    });
    expect(tgi.resources.limits['nvidia.com/gpu']).toBe('2');
    expect(pod.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
    });
    expect(pod.volumes).toContainEqual({
      name: 'shm',
      emptyDir: { medium: 'Memory', sizeLimit: '2Gi' },
    });
    expect(pod.volumes).toContainEqual({
      name: 'models',
      persistentVolumeClaim: { claimName: 'hf-model-cache' },
    });
    expect(tgi.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'shm', mountPath: '/dev/shm' },
        { name: 'models', mountPath: '/data' },
      ]),
    );
    expect(tgi.readinessProbe.httpGet).toEqual({
      path: '/health',
      port: 'http',
    });
    expect(
      tgi.startupProbe.periodSeconds * tgi.startupProbe.failureThreshold,
    ).toBeGreaterThanOrEqual(3600);
    expect(deploy.spec.progressDeadlineSeconds).toBeGreaterThan(
      tgi.startupProbe.periodSeconds * tgi.startupProbe.failureThreshold,
    );
    expect(
      deploy.spec.template.metadata.annotations[
        'workload-catalog.dev/model-revision-pinned'
      ],
    ).toBe('true');
    const es = one(docs, 'ExternalSecret', 'mistral-tgi-vault');
    expect(es.spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
      target: { name: 'mistral-tgi-vault', creationPolicy: 'Owner' },
      data: [
        {
          secretKey: 'HF_TOKEN',
          remoteRef: { key: 'secret/data/ml/huggingface', property: 'token' },
        },
      ],
    });
  });

  it('defaults shared memory to the schema default; the model comes from the leaf', async () => {
    const leaf = {
      ...mistral,
      sharedMemory: undefined,
      model: { id: 'org/model' },
      container: {
        ...mistral.container,
        environment: { MAX_TOTAL_TOKENS: 4096 },
      },
    };
    const pod = workload(await render(leaf)).spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: 'shm',
      emptyDir: { medium: 'Memory', sizeLimit: '1Gi' },
    });
    const tgi = container(pod, 'tgi');
    expect(tgi.env.filter((e: Manifest) => e.name === 'MODEL_ID')).toEqual([
      { name: 'MODEL_ID', value: 'org/model' },
    ]);
    expect(envOf(tgi).REVISION.value).toBe('main');
    expect(
      workload(await render(leaf)).spec.template.metadata.annotations[
        'workload-catalog.dev/model-revision-pinned'
      ],
    ).toBe('false');
  });

  it('refuses a leaf that sets a variable the chart owns (MODEL_ID)', async () => {
    const result = await template(chartOf(mistral.workloadType), {
      ...mistral,
      container: {
        ...mistral.container,
        environment: { MODEL_ID: 'other/model' },
      },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("invalid propertyName 'MODEL_ID'");
  });
});
