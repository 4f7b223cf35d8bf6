/*
 * What the scaffolder registers for these fields is small: their names, `ui:options` schemas
 * and the thin wrappers below. The scaffolder loads every registered field before it shows
 * any template, so the components and validations themselves (./implementations: RJSF, MUI
 * v5, the leaf schemas, the YAML printer) load only when a field renders or validates, or,
 * after `preloadWhenIdle`, when the browser has nothing else to do. A template that does not
 * use these fields does not wait for them.
 */
import { Progress } from '@backstage/core-components';
import { lazy, Suspense, type ComponentType } from 'react';

type Implementations = typeof import('./implementations');

let loading: Promise<Implementations> | undefined;

/** The implementations' chunk, loaded once (a failed load is tried again next time). */
export function loadImplementations(): Promise<Implementations> {
  loading ??= import('./implementations').catch(e => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/** Loads the implementations when the browser is idle (the page waits on the backend). */
export function preloadWhenIdle(): void {
  if (typeof window === 'undefined' || loading) return;
  const load = () => {
    loadImplementations().catch(() => {
      // a field that renders later loads it again and shows the error there
    });
  };
  if (typeof window.requestIdleCallback === 'function')
    window.requestIdleCallback(load, { timeout: 2000 });
  else window.setTimeout(load, 0);
}

/** A component that renders the implementation `pick` chooses, with a progress bar until then. */
export function lazyComponent<P extends object>(
  pick: (m: Implementations) => ComponentType<P>,
): (props: P) => JSX.Element {
  const Lazy = lazy(() =>
    loadImplementations().then(m => ({ default: pick(m) })),
  ) as unknown as ComponentType<P>;
  return function LazyField(props: P) {
    return (
      <Suspense fallback={<Progress />}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}

/** A validation that runs the implementation `pick` chooses. */
export function lazyValidation<A extends unknown[]>(
  pick: (m: Implementations) => (...args: A) => void | Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const validate = pick(await loadImplementations());
    await validate(...args);
  };
}

export const LazyWorkloadConfigField = lazyComponent(
  m => m.WorkloadConfigField,
);
export const lazyWorkloadConfigValidation = lazyValidation(
  m => m.workloadConfigValidation,
);
export const LazyOllamaModelPickerField = lazyComponent(
  m => m.OllamaModelPickerField,
);
export const lazyOllamaModelPickerValidation = lazyValidation(
  m => m.ollamaModelPickerValidation,
);
export const LazyGpuCountPickerField = lazyComponent(
  m => m.GpuCountPickerField,
);
export const lazyGpuCountPickerValidation = lazyValidation(
  m => m.gpuCountPickerValidation,
);
