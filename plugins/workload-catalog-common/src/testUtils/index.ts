/**
 * Test helpers for Workload Catalog: fast-check arbitraries for valid leaves.
 *
 * @packageDocumentation
 */
export {
  arbitraryFor,
  arbitraryLeaf,
  repairLeaf,
  presetResources,
} from './arbitraries';
