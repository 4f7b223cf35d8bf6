/*
 * Autoscaling (leaf `autoscaling`) and disruption budgets, rendered with the real helm
 * binary and validated against the published schemas: KEDA's ScaledObject
 * (@kubernetes-models/keda), prometheus-operator's ServiceMonitor
 * (@kubernetes-models/prometheus-operator), the HTTP add-on's HTTPScaledObject (a validator
 * from its CRD file in ../shared/specs, k8s/crdSchema.mjs) and Kubernetes' own.
 */
import { parse } from 'yaml';
import { SEED_LEAF_YAML } from '@workload-catalog/plugin-workload-catalog-common/testUtils';
import { template, type Manifest } from './helm';
import { manifestErrors, validateManifests } from './k8s/validate';
import { kinds, one, workload } from './manifests';
import { chartOf } from './paths';

jest.setTimeout(180_000);

const OLLAMA = chartOf('OLLAMA_INFERENCE_LOAD');
const TGI = chartOf('ML_INFERENCE_LOAD');

const seed = (): Record<string, any> => parse(SEED_LEAF_YAML);
const tgiLeaf = (): Record<string, any> => ({
  workloadType: 'ML_INFERENCE_LOAD',
  serviceName: 'mistral',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'prod',
  model: { id: 'mistralai/Mistral-7B-Instruct-v0.3' },
});
const basicLeaf = (replicas?: number): Record<string, any> => ({
  workloadType: 'BASIC_CONTAINER_LOAD',
  serviceName: 'orders-api',
  serviceCatalog: 'shop',
  namespace: 'shop',
  environment: 'dev',
  container: {
    image: 'ghcr.io/acme/orders-api:1.4.2',
    ...(replicas === undefined ? {} : { replicas }),
  },
});

async function render(
  chart: string,
  leaf: Record<string, unknown>,
  setJson?: Record<string, unknown>,
): Promise<Manifest[]> {
  const r = await template(chart, leaf, {
    release: String(leaf.serviceName),
    setJson,
  });
  if (r.code !== 0) throw new Error(r.stderr);
  return r.docs;
}

describe('Ollama: KEDA HTTP add-on', () => {
  it('renders an HTTPScaledObject valid against the CRD, scaling to zero, and no spec.replicas', async () => {
    const leaf = {
      ...seed(),
      autoscaling: { minReplicas: 0, maxReplicas: 3, scaledownPeriod: 600 },
    };
    const docs = await render(OLLAMA, leaf);
    expect(await manifestErrors(docs)).toEqual([]);
    const hso = one(docs, 'HTTPScaledObject');
    expect(hso.apiVersion).toBe('http.keda.sh/v1alpha1');
    expect(hso.spec).toEqual({
      hosts: [
        'text.hypermedia.au',
        'ollama-phi.ml-workloads.svc.cluster.local',
      ],
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'ollama-phi',
        service: 'ollama-phi',
        port: 80,
      },
      replicas: { min: 0, max: 3 },
      scaledownPeriod: 600,
      scalingMetric: { concurrency: { targetValue: 4 } },
      timeouts: { conditionWait: '10m', responseHeader: '10m' },
    });
    expect(workload(docs).spec).not.toHaveProperty('replicas');
  });

  it('points the HTTPRoute at the interceptor (Gateway mode)', async () => {
    const docs = await render(OLLAMA, {
      ...seed(),
      autoscaling: { minReplicas: 0, maxReplicas: 2 },
    });
    const route = one(docs, 'HTTPRoute');
    for (const rule of route.spec.rules)
      expect(rule.backendRefs).toEqual([
        {
          name: 'keda-add-ons-http-interceptor-proxy',
          namespace: 'keda',
          port: 8080,
        },
      ]);
    // without autoscaling the route goes to the Service itself
    const plain = one(await render(OLLAMA, seed()), 'HTTPRoute');
    expect(plain.spec.rules[0].backendRefs).toEqual([
      { name: 'ollama-phi', port: 80 },
    ]);
  });

  it('points the Ingress at an ExternalName Service for the interceptor (Ingress mode)', async () => {
    const docs = await render(
      OLLAMA,
      { ...seed(), autoscaling: { minReplicas: 0, maxReplicas: 2 } },
      {
        'platform.ingress.mode': 'ingress',
        'platform.autoscaling.httpAddOn.interceptor': {
          name: 'interceptor',
          namespace: 'keda-http',
          port: 9000,
        },
      },
    );
    expect(await manifestErrors(docs)).toEqual([]);
    const svc = one(docs, 'Service', 'ollama-phi-interceptor');
    expect(svc.spec).toEqual({
      type: 'ExternalName',
      externalName: 'interceptor.keda-http.svc.cluster.local',
      ports: [{ name: 'http', port: 9000, protocol: 'TCP' }],
    });
    const ingress = one(docs, 'Ingress');
    for (const p of ingress.spec.rules[0].http.paths)
      expect(p.backend.service).toEqual({
        name: 'ollama-phi-interceptor',
        port: { number: 9000 },
      });
  });

  it('refuses with the CLI messages what JSON Schema cannot say', async () => {
    const bad = await template(OLLAMA, {
      ...seed(),
      autoscaling: { minReplicas: 3, maxReplicas: 2 },
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(
      'autoscaling.minReplicas: must be at most maxReplicas (2); got 3',
    );
    const leaf = seed();
    leaf.container.replicas = 4;
    const tooMany = await template(OLLAMA, {
      ...leaf,
      autoscaling: { maxReplicas: 2 },
    });
    expect(tooMany.stderr).toContain(
      'container.replicas: must be at most autoscaling.maxReplicas (2); got 4',
    );
  });

  it('the CRD validator finds what the HTTPScaledObject CRD refuses', async () => {
    const docs = await render(OLLAMA, {
      ...seed(),
      autoscaling: { minReplicas: 0, maxReplicas: 2 },
    });
    const hso = structuredClone(one(docs, 'HTTPScaledObject'));
    hso.spec.scaleTargetRef.portName = 'http'; // both port and portName: the CEL rule
    hso.spec.replicas.min = 'zero';
    hso.spec.scaleDownPeriod = 60; // not a field (scaledownPeriod is)
    const [result] = await validateManifests([hso]);
    expect(result.errors).toEqual(
      expect.arrayContaining([
        '/spec must NOT have additional properties ("scaleDownPeriod")',
        '/spec/replicas/min must be integer',
        '/spec/scaleTargetRef must match exactly one schema in oneOf',
      ]),
    );
  });
});

describe('TGI: KEDA ScaledObject on tgi_queue_size', () => {
  it('renders a ScaledObject and a ServiceMonitor valid against their CRDs', async () => {
    const docs = await render(
      TGI,
      {
        ...tgiLeaf(),
        autoscaling: { minReplicas: 1, maxReplicas: 4, targetQueueSize: 8 },
      },
      {
        'platform.autoscaling.prometheus': {
          serverAddress: 'http://prometheus.monitoring.svc:9090',
          serviceMonitorLabels: { release: 'kube-prometheus-stack' },
        },
      },
    );
    expect(await manifestErrors(docs)).toEqual([]);
    const so = one(docs, 'ScaledObject');
    expect(so.spec).toEqual({
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'mistral',
      },
      minReplicaCount: 1,
      maxReplicaCount: 4,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      },
      triggers: [
        {
          type: 'prometheus',
          metricType: 'AverageValue',
          metadata: {
            serverAddress: 'http://prometheus.monitoring.svc:9090',
            query:
              'sum(tgi_queue_size{namespace="ml-workloads",service="mistral"})',
            threshold: '8',
          },
        },
      ],
    });
    const sm = one(docs, 'ServiceMonitor');
    expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(sm.spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '15s' },
    ]);
    // the ServiceMonitor selects the Service the chart renders
    const service = one(docs, 'Service', 'mistral');
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels))
      expect(service.metadata.labels[k]).toBe(v);
    expect(workload(docs).spec).not.toHaveProperty('replicas');
  });

  it('refuses scale to zero with the CLI message (values.schema.json)', async () => {
    const r = await template(TGI, {
      ...tgiLeaf(),
      autoscaling: { minReplicas: 0, maxReplicas: 4 },
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("at '/autoscaling/minReplicas'");
  });

  it('renders none of it without autoscaling', async () => {
    const docs = await render(TGI, tgiLeaf());
    expect(
      kinds(docs).filter(k =>
        /ScaledObject|ServiceMonitor|PodDisruption/.test(k),
      ),
    ).toEqual([]);
    expect(workload(docs).spec.replicas).toBe(1);
  });
});

describe('PodDisruptionBudget (every chart)', () => {
  it('is rendered when the workload may run more than one replica', async () => {
    const three = await render(chartOf('BASIC_CONTAINER_LOAD'), basicLeaf(3));
    expect(await manifestErrors(three)).toEqual([]);
    const pdb = one(three, 'PodDisruptionBudget', 'orders-api');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: workload(three).spec.selector.matchLabels },
    });
    const one1 = await render(chartOf('BASIC_CONTAINER_LOAD'), basicLeaf(1));
    expect(kinds(one1).some(k => k.startsWith('PodDisruptionBudget/'))).toBe(
      false,
    );
  });

  it('counts autoscaling.maxReplicas, and is there for the stateful and rollout charts', async () => {
    const autoscaled = await render(OLLAMA, {
      ...seed(),
      autoscaling: { minReplicas: 0, maxReplicas: 2 },
    });
    expect(one(autoscaled, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    const stateful = await render(chartOf('STATEFUL_CONTAINER_LOAD'), {
      ...basicLeaf(2),
      workloadType: 'STATEFUL_CONTAINER_LOAD',
      storage: { size: '10Gi', mountPath: '/var/lib/data' },
    });
    const rollout = await render(chartOf('BASIC_CONTAINER_ROLLOUT'), {
      ...basicLeaf(2),
      workloadType: 'BASIC_CONTAINER_ROLLOUT',
    });
    for (const docs of [stateful, rollout]) {
      expect(await manifestErrors(docs)).toEqual([]);
      expect(
        one(docs, 'PodDisruptionBudget').spec.selector.matchLabels,
      ).toEqual(workload(docs).spec.selector.matchLabels);
    }
  });
});
