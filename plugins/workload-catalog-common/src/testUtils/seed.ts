import { parse } from 'yaml';

/**
 * The seed leaf of the architecture document, byte for byte. It must stay valid,
 * unchanged, forever: this is the one copy the tests use (the example catalog's
 * `valid/ml-inference/dev/ollama-phi.yaml` is checked against it).
 */
export const SEED_LEAF_YAML = `workloadType: OLLAMA_INFERENCE_LOAD
serviceName: ollama-phi
serviceCatalog: ml-inference
namespace: ml-workloads
environment: dev
model: "phi:latest"
gpu:
  count: 1
ingress:
  enabled: true
  host: text.hypermedia.au
container:
  replicas: 1
  resources:
    requests: { cpu: "500m", memory: "2Gi" }
    limits: { cpu: "2", memory: "4Gi" }
`;

/** The seed leaf as an object (a new copy each call, so a test may change it). */
export function seedLeaf(): Record<string, any> {
  return parse(SEED_LEAF_YAML);
}
