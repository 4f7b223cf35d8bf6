/**
 * Test helpers for Workload Catalog: fast-check arbitraries for valid leaves.
 *
 * @packageDocumentation
 */
export { arbitraryLeaf } from './arbitraries';
