/**
 * Test helpers for Workload Catalog: the seed leaf, and fast-check arbitraries for valid leaves.
 *
 * @packageDocumentation
 */
export { arbitraryLeaf } from './arbitraries';
export { SEED_LEAF_YAML, seedLeaf } from './seed';
