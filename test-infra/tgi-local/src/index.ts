/**
 * A local Text Generation Inference server for tests: /info and /health.
 *
 * @packageDocumentation
 */
export {
  LocalTgi,
  type LocalTgiOptions,
  type TgiInfo,
  type TgiCallRecord,
  type TgiRoute,
} from './server';
