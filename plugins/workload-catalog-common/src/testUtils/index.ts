/**
 * Test helpers for Workload Catalog: the seed leaf, fast-check arbitraries for valid leaves, and
 * the seed workload's status facts.
 *
 * @packageDocumentation
 */
export { arbitraryLeaf } from './arbitraries';
export { SEED_LEAF_YAML, seedLeaf } from './seed';
export { workloadStatusFacts } from './status';
