/**
 * Test helpers for the Helm charts and the Argo CD ApplicationSet.
 *
 * @packageDocumentation
 */
export * from './paths';
export * from './helm';
export * from './k8s/validate';
