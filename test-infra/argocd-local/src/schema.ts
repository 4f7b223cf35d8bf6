/*
 * The schema check of Application objects, run in a worker thread (see validateWorker.mjs).
 * One worker per process, started on first use; it does not keep the process alive.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { enumProblems, type ArgoApplication } from './applications';

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, (errors: string[]) => void>();

function getWorker(): Worker {
  if (worker) return worker;
  // eslint-disable-next-line no-restricted-syntax
  const w = new Worker(path.join(__dirname, 'validateWorker.mjs'));
  w.unref();
  w.on('message', ({ id, errors }: { id: number; errors: string[] }) => {
    pending.get(id)?.(errors);
    pending.delete(id);
  });
  const fail = (error: unknown) => {
    for (const resolve of pending.values())
      resolve([`schema check failed: ${(error as Error)?.message ?? error}`]);
    pending.clear();
    worker = undefined;
  };
  w.on('error', fail);
  w.on('exit', code => fail(new Error(`the schema worker exited (${code})`)));
  worker = w;
  return w;
}

/**
 * Everything Argo CD's schema and its status enums find wrong with an object; empty when
 * it is a valid Application.
 */
export async function applicationProblems(
  app: ArgoApplication,
): Promise<string[]> {
  const w = getWorker();
  const id = ++nextId;
  const schemaErrors = await new Promise<string[]>(resolve => {
    pending.set(id, resolve);
    w.ref();
    w.postMessage({ id, object: app });
  }).finally(() => {
    if (pending.size === 0) w.unref();
  });
  return [...schemaErrors, ...enumProblems(app)];
}

/** Stops the worker (tests call it in afterAll so Jest sees no open handle). */
export async function stopSchemaWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w) await w.terminate();
}
