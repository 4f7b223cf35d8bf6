import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { LocalGitHub } from '@workload-catalog/github-local';
import { BROKEN_LEAF, SEED_LEAF } from './__testUtils__/leaves';
import { readProviderConfig } from './config';
import { ConfigReader } from '@backstage/config';
import catalogModule from './index';

// Starts the local GitHub and a catalog backend (well over 5 s on a busy 2-core machine).
jest.setTimeout(60_000);

describe('catalogModuleWorkloadCatalog', () => {
  let gh: LocalGitHub;
  beforeAll(async () => {
    gh = await LocalGitHub.start({
      tokens: ['t'],
      repos: [
        {
          owner: 'local',
          repo: 'catalog',
          files: {
            'catalog/ml-inference/dev/ollama-phi.yaml': SEED_LEAF,
            'catalog/ml-inference/dev/broken-llm.yaml': BROKEN_LEAF,
          },
        },
      ],
    });
  });
  afterAll(() => gh.stop());

  const config = () => ({
    integrations: {
      github: [{ host: gh.host, apiBaseUrl: gh.apiUrl, token: 't' }],
    },
    workloadCatalog: { catalogRepo: { url: `${gh.url}/local/catalog` } },
    catalog: {
      providers: {
        workloadCatalog: {
          schedule: { frequency: { seconds: 1 }, timeout: { seconds: 30 } },
          lifecycles: { dev: 'experimental' },
        },
      },
    },
  });

  it('puts the leaves into the running catalog', async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModule,
        mockServices.rootConfig.factory({ data: config() }),
      ],
    });
    try {
      const url = `http://localhost:${backend.server.port()}/api/catalog/entities/by-name`;
      const fetchEntity = async (kind: string, name: string) => {
        for (;;) {
          const res = await fetch(`${url}/${kind}/default/${name}`, {
            headers: { authorization: 'Bearer mock-user-token' },
          });
          if (res.status === 200) return res.json();
          expect(res.status).toBe(404);
          await new Promise(r => setTimeout(r, 200));
        }
      };
      const phi = await fetchEntity('component', 'ollama-phi-dev');
      expect(phi.spec).toEqual({
        type: 'ollama-inference-load',
        lifecycle: 'experimental',
        owner: 'group:default/platform-team',
        system: 'ml-inference',
      });
      expect(phi.relations).toEqual(
        expect.arrayContaining([
          { type: 'partOf', targetRef: 'system:default/ml-inference' },
          { type: 'ownedBy', targetRef: 'group:default/platform-team' },
        ]),
      );
      const broken = await fetchEntity('component', 'broken-llm-dev');
      expect(
        broken.metadata.annotations['workload-catalog.dev/leaf-errors'],
      ).toContain('gpu.count');
      const system = await fetchEntity('system', 'ml-inference');
      expect(system.relations).toEqual(
        expect.arrayContaining([
          { type: 'hasPart', targetRef: 'component:default/ollama-phi-dev' },
        ]),
      );
    } finally {
      await backend.stop();
    }
  });

  it('checks its settings at start, naming the key', () => {
    const read = (own: object) =>
      readProviderConfig(
        new ConfigReader({
          ...config(),
          catalog: { providers: { workloadCatalog: own } },
        }),
      );
    expect(read({}).schedule).toMatchObject({ frequency: { seconds: 60 } });
    expect(read({}).entity.defaultOwner).toBe('group:default/platform-team');
    expect(read({}).includeProposed).toBe(true);
    // By default the Application is found by its labels (argocd/app-selector).
    expect(read({}).entity.argocd.appNameTemplate).toBeUndefined();
    expect(
      read({ argocd: { appName: true } }).entity.argocd.appNameTemplate,
    ).toBe('{serviceCatalog}.{environment}.{serviceName}');
    expect(
      read({
        argocd: { appName: false, appNameTemplate: '{serviceName}' },
      }).entity.argocd.appNameTemplate,
    ).toBeUndefined();
    expect(() => read({ defaultOwner: 'not an owner!' })).toThrow(
      'catalog.providers.workloadCatalog.defaultOwner must be an entity reference such as "group:default/platform-team"; got "not an owner!"',
    );
    expect(() =>
      read({ argocd: { appNameTemplate: '{service}-{environment}' } }),
    ).toThrow(
      'catalog.providers.workloadCatalog.argocd.appNameTemplate: unknown placeholder {service}; allowed: {serviceName}, {serviceCatalog}, {environment}, {namespace}',
    );
    expect(
      read({
        argocd: { appNameTemplate: '{serviceName}-{environment}' },
        includeProposed: false,
      }).entity.argocd.appNameTemplate,
    ).toBe('{serviceName}-{environment}');
    expect(() =>
      readProviderConfig(
        new ConfigReader({ workloadCatalog: { catalogRepo: { url: 'nope' } } }),
      ),
    ).toThrow('workloadCatalog.catalogRepo.url must be a URL');
  });
});
