import { TestApiProvider } from '@backstage/test-utils';
import { render } from '@testing-library/react';
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
