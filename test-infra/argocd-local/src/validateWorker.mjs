/*
 * Validates Application objects against Argo CD's schema (@kubernetes-models/argo-cd) in a
 * worker thread: the models are ES modules with import-only exports, which neither
 * CommonJS nor Jest's module loader can load; a worker runs them on Node's own loader.
 * Messages: { id, object } in, { id, errors: string[] } out.
 */
import { parentPort } from 'node:worker_threads';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';

parentPort.on('message', ({ id, object }) => {
  let errors = [];
  try {
    new Application(object).validate();
  } catch (error) {
    errors = Array.isArray(error?.errors)
      ? error.errors.map(e => `${e.instancePath || '/'} ${e.message}`)
      : [String(error?.message ?? error)];
  }
  parentPort.postMessage({ id, errors });
});
