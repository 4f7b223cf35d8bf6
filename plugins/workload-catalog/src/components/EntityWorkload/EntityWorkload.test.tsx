import type { Entity } from '@backstage/catalog-model';
import { getComponentData } from '@backstage/core-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { TestApiProvider } from '@backstage/test-utils';
import {
  act,
  fireEvent,
  render,
  screen,
  waitFor,
} from '@testing-library/react';
import {
  buildWorkloadStatus,
  type WorkloadStatusFacts,
} from '@workload-catalog/plugin-workload-catalog-common';
import type { ReactElement } from 'react';
import { workloadCatalogApiRef, type WorkloadCatalogApi } from '../../api';
import { fakeApi } from '../../__testUtils__/fakeApi';
import {
  workloadConfigureEntityContent,
  workloadStatusEntityCard,
} from '../../alpha';
import {
  EntityWorkloadConfigureContent as LegacyConfigure,
  EntityWorkloadStatusCard as LegacyCard,
} from '../../plugin';
import { EntityWorkloadConfigureContent } from './EntityWorkloadConfigureContent';
import { EntityWorkloadStatusCard } from './EntityWorkloadStatusCard';
import { isWorkloadEntity } from './isWorkloadEntity';

jest.setTimeout(30_000);

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ollama-phi-dev',
    namespace: 'default',
    annotations: {
      'workload-catalog.dev/leaf-path':
        'catalog/ml-inference/dev/ollama-phi.yaml',
    },
  },
  spec: {
    type: 'ollama-inference-load',
    owner: 'group:default/x',
    lifecycle: 'dev',
  },
};
const OTHER: Entity = {
  ...ENTITY,
  metadata: { name: 'web', namespace: 'default' },
};

const facts = (prState: 'open' | 'merged'): WorkloadStatusFacts => ({
  entityRef: 'component:default/ollama-phi-dev',
  workload: {
    workloadType: 'OLLAMA_INFERENCE_LOAD',
    serviceName: 'ollama-phi',
    serviceCatalog: 'ml-inference',
    environment: 'dev',
    namespace: 'ml-workloads',
    leafPath: 'catalog/ml-inference/dev/ollama-phi.yaml',
    source: prState === 'open' ? 'proposed' : 'merged',
    models: ['phi:latest'],
  },
  sources: {
    github: { state: 'ok' },
    argocd: { state: 'ok' },
    ollama: { state: 'ok' },
  },
  pullRequest: {
    number: 4,
    title: 'Update ollama-phi in dev: phi:latest on 2 GPUs',
    url: 'https://gh.example/pull/4',
    state: prState,
    draft: false,
    kind: 'update',
    createdAt: '2026-11-27T10:00:00Z',
    ...(prState === 'merged'
      ? { mergedAt: '2026-11-27T10:05:00Z', mergeCommitSha: 'a'.repeat(40) }
      : {}),
    reviews: [],
    requestedReviewers: [],
  },
  argocd: {
    name: 'ml-inference.dev.ollama-phi',
    namespace: 'argocd',
    syncStatus: 'Synced',
    revision: 'a'.repeat(40),
    healthStatus: 'Healthy',
    conditions: [],
    deploysPullRequest: true,
  },
  models: [{ ref: 'phi:latest', pulled: true, loaded: false }],
  generatedAt: '2026-11-27T10:10:00Z',
});
const READY = buildWorkloadStatus(facts('merged'));
const UPDATE_OPEN = buildWorkloadStatus(facts('open'));

const summaryIs = (text: string) =>
  waitFor(() =>
    expect(screen.getByTestId('workload-status-summary')).toHaveTextContent(
      text,
    ),
  );

function renderFor(ui: ReactElement, api: WorkloadCatalogApi, entity = ENTITY) {
  return render(
    <TestApiProvider apis={[[workloadCatalogApiRef, api]]}>
      <EntityProvider entity={entity}>{ui}</EntityProvider>
    </TestApiProvider>,
  );
}

describe('the entity page extensions', () => {
  it('are shown for workloads only', () => {
    expect(isWorkloadEntity(ENTITY)).toBe(true);
    expect(isWorkloadEntity(OTHER)).toBe(false);
  });

  it('status card: the status of the entity, refreshed on request', async () => {
    const { api, calls } = fakeApi({ status: [UPDATE_OPEN, READY] });
    const spy = jest.spyOn(api, 'getWorkloadStatus');
    renderFor(<EntityWorkloadStatusCard pollIntervalMs={0} />, api);
    await summaryIs('Update PR open');
    expect(spy).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'ollama-phi-dev',
    });
    fireEvent.click(screen.getByRole('button', { name: 'Refresh the status' }));
    await summaryIs('Ready');
    expect(calls.status).toBe(2);
  });

  it('status card: polls, and keeps the last status when a poll fails', async () => {
    const { api, calls } = fakeApi({
      status: [READY, new Error('backend down')],
    });
    renderFor(<EntityWorkloadStatusCard pollIntervalMs={20} />, api);
    await summaryIs('Ready');
    await waitFor(() => expect(calls.status).toBeGreaterThanOrEqual(2));
    expect(await screen.findByText('backend down')).toBeInTheDocument();
    await summaryIs('Ready');
  });

  it('Configure tab: opens the update pull request and the timeline beside it shows it', async () => {
    const propose = jest.fn().mockResolvedValue({
      pullRequestUrl: 'https://gh.example/pull/4',
      pullRequestNumber: 4,
      branch: 'b',
      leafPath: 'catalog/ml-inference/dev/ollama-phi.yaml',
      title: 'Update ollama-phi in dev: phi:latest on 2 GPUs',
    });
    const { api, calls } = fakeApi({
      status: [READY, UPDATE_OPEN],
      configuration: {
        leaf: {
          workloadType: 'OLLAMA_INFERENCE_LOAD',
          serviceName: 'ollama-phi',
          serviceCatalog: 'ml-inference',
          namespace: 'ml-workloads',
          environment: 'dev',
          model: 'phi:latest',
          gpu: { count: 1 },
        },
        yaml: '',
        leafPath: 'catalog/ml-inference/dev/ollama-phi.yaml',
        ref: 'main',
        canEdit: true,
      },
      propose,
    });
    await act(async () => {
      renderFor(<EntityWorkloadConfigureContent />, api);
    });
    await summaryIs('Ready');
    const gpus = await screen.findByRole('slider', { name: 'GPUs' });
    fireEvent.change(gpus, { target: { value: 2 } });
    const save = screen.getByRole('button', {
      name: 'Open update pull request',
    });
    await waitFor(() => expect(save).toBeEnabled());
    fireEvent.click(save);
    expect(
      await screen.findByText('Pull request #4 opened'),
    ).toBeInTheDocument();
    expect(propose).toHaveBeenCalledWith(
      expect.objectContaining({ gpu: { count: 2 } }),
    );
    await summaryIs('Update PR open');
    expect(calls.configuration).toBe(1);
  });

  it('Configure tab: says when the configuration cannot be loaded', async () => {
    const { api } = fakeApi({
      status: [READY],
      configuration: new Error('404: not on main'),
    });
    renderFor(<EntityWorkloadConfigureContent />, api);
    expect(
      await screen.findByText('The configuration could not be loaded'),
    ).toBeInTheDocument();
    expect(screen.getByText('404: not on main')).toBeInTheDocument();
  });

  it('are an entity card and an entity content tab of the new frontend system', () => {
    const card = createExtensionTester(workloadStatusEntityCard);
    const filter = card.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(ENTITY)).toBe(true);
    expect(filter(OTHER)).toBe(false);
    expect(card.get(EntityCardBlueprint.dataRefs.type)).toBe('info');
    const tab = createExtensionTester(workloadConfigureEntityContent);
    expect(tab.get(EntityContentBlueprint.dataRefs.title)).toBe('Configure');
    expect(
      tab.get(EntityContentBlueprint.dataRefs.filterFunction)!(OTHER),
    ).toBe(false);
  });

  it('are component extensions of the legacy frontend system', () => {
    expect(getComponentData(<LegacyCard />, 'core.extensionName')).toBe(
      'EntityWorkloadStatusCard',
    );
    expect(getComponentData(<LegacyConfigure />, 'core.extensionName')).toBe(
      'EntityWorkloadConfigureContent',
    );
  });
});
