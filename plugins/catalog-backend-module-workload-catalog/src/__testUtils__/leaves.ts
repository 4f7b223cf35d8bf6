/** Leaves for the tests: the seed leaf (ARCHITECTURE.md), a container, and broken ones. */
import { SEED_LEAF_YAML } from '@workload-catalog/plugin-workload-catalog-common/testUtils';

export const SEED_LEAF = SEED_LEAF_YAML;

export const ORDERS_LEAF = `workloadType: BASIC_CONTAINER_LOAD
serviceName: orders-api
serviceCatalog: shop
namespace: shop
environment: prod
owner: group:default/shop-team
description: Orders API of the shop
container:
  image: ghcr.io/acme/orders-api:1.4.2
`;

/** gpu.count 1.5 and a typo'd field. */
export const BROKEN_LEAF = `workloadType: OLLAMA_INFERENCE_LOAD
serviceName: broken-llm
serviceCatalog: ml-inference
namespace: ml-workloads
environment: dev
model: "phi:latest"
gpu:
  count: 1.5
replica: 2
`;

export const leafText = (over: Record<string, string>) =>
  Object.entries(over).reduce(
    (text, [k, v]) => text.replace(new RegExp(`^${k}: .*$`, 'm'), `${k}: ${v}`),
    SEED_LEAF,
  );
