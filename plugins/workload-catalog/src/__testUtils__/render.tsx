import { TestApiProvider } from '@backstage/test-utils';
import { act, render } from '@testing-library/react';
import { type ReactElement } from 'react';
import { workloadCatalogApiRef, type WorkloadCatalogApi } from '../api';

/** Renders with the WorkloadCatalogApi provided (or without any API, when `api` is null). */
export function renderWithApi(
  ui: ReactElement,
  api: WorkloadCatalogApi | null,
) {
  if (api === null)
    return render(<TestApiProvider apis={[]}>{ui}</TestApiProvider>);
  return render(
    <TestApiProvider apis={[[workloadCatalogApiRef, api]]}>
      {ui}
    </TestApiProvider>,
  );
}

/**
 * renderWithApi, then lets the API's promises settle inside act(): the form's first answers
 * from the backend are in the DOM and React logs no "not wrapped in act" warnings.
 */
export async function renderLoaded(
  ui: ReactElement,
  api: WorkloadCatalogApi | null,
) {
  let result: ReturnType<typeof renderWithApi> | undefined;
  await act(async () => {
    result = renderWithApi(ui, api);
  });
  return result!;
}
