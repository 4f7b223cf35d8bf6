// Validates Kubernetes manifests offline against the Kubernetes 1.35 OpenAPI schemas, the
// HTTPScaledObject CRD file (crdSchema.mjs) and the
// CRD schemas (kubernetes-models and @kubernetes-models/*, which are ES modules only: this runs
// as a separate Node process, see validateManifests in ./validate.ts).
// stdin: a JSON array of manifests. stdout: a JSON array of {index, ref, errors}.
const MODULES = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'gateway.networking.k8s.io/v1':
    '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1',
  'gateway.networking.k8s.io/v1beta1':
    '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1',
  'cert-manager.io/v1': '@kubernetes-models/cert-manager/cert-manager.io/v1',
  'external-secrets.io/v1':
    '@kubernetes-models/external-secrets/external-secrets.io/v1',
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
  'monitoring.coreos.com/v1':
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};
import { crdValidator } from './crdSchema.mjs';

const ARGO = {
  Rollout: '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1',
  Application: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1',
  ApplicationSet: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1',
  AppProject: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1',
};

async function modelFor(apiVersion, kind) {
  const base =
    apiVersion === 'argoproj.io/v1alpha1' ? ARGO[kind] : MODULES[apiVersion];
  if (!base || !/^[A-Z][A-Za-z]+$/.test(kind)) return undefined;
  try {
    const mod = await import(`${base}/${kind}`);
    return mod[kind];
  } catch {
    return undefined;
  }
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const docs = JSON.parse(input);
const out = [];
for (const [index, doc] of docs.entries()) {
  const ref = `${doc?.kind}/${doc?.metadata?.name} (${doc?.apiVersion})`;
  // CRDs no kubernetes-models package carries: a validator from the CRD file (crdSchema.mjs)
  const fromCrd = crdValidator(doc?.apiVersion, doc?.kind);
  if (fromCrd) {
    out.push({ index, ref, errors: fromCrd(doc) });
    continue;
  }
  const Model = await modelFor(doc?.apiVersion, doc?.kind);
  if (!Model) {
    out.push({
      index,
      ref,
      errors: [`no schema for apiVersion ${doc?.apiVersion} kind ${doc?.kind}`],
    });
    continue;
  }
  try {
    new Model(doc).validate();
    out.push({ index, ref, errors: [] });
  } catch (error) {
    const details = error?.errors?.map(
      e =>
        `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params ?? {})}`,
    );
    out.push({
      index,
      ref,
      errors: details?.length ? details : [String(error?.message ?? error)],
    });
  }
}
process.stdout.write(JSON.stringify(out));
