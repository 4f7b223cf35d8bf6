import { ConfigReader } from '@backstage/config';
import { parseCatalogRepoUrl, readWorkloadCatalogConfig } from './config';

const base = { catalogRepo: { url: 'https://github.com/acme/gitops-catalog' } };
const read = (workloadCatalog: object) =>
  readWorkloadCatalogConfig(new ConfigReader({ workloadCatalog }));

describe('readWorkloadCatalogConfig', () => {
  it('applies the defaults', () => {
    expect(read(base)).toEqual({
      catalogRepo: {
        url: 'https://github.com/acme/gitops-catalog',
        host: 'github.com',
        owner: 'acme',
        repo: 'gitops-catalog',
        baseBranch: 'main',
        leafPathPattern:
          'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
        branchPrefix: 'workload-catalog',
      },
      policy: {
        maxGpuCount: undefined,
        environments: undefined,
        namespaces: undefined,
      },
      pullRequest: {
        labels: [],
        reviewers: [],
        teamReviewers: [],
        draft: false,
      },
      github: { timeoutMs: 60_000, maxRetries: 3 },
      appBaseUrl: undefined,
    });
  });

  it('reads GitHub Enterprise and local URLs with a port', () => {
    expect(parseCatalogRepoUrl('http://127.0.0.1:7008/local/catalog')).toEqual({
      url: 'http://127.0.0.1:7008/local/catalog',
      host: '127.0.0.1:7008',
      owner: 'local',
      repo: 'catalog',
    });
    expect(
      parseCatalogRepoUrl('https://ghe.example.com/platform/catalog.git/'),
    ).toMatchObject({ host: 'ghe.example.com', repo: 'catalog' });
  });

  it.each([
    [
      { catalogRepo: { url: 'github.com/acme' } },
      /workloadCatalog.catalogRepo.url must be a URL/,
    ],
    [
      { catalogRepo: { url: 'https://github.com/acme' } },
      /must be https:\/\/HOST\/OWNER\/REPO/,
    ],
    [
      {
        catalogRepo: {
          ...base.catalogRepo,
          leafPathPattern: 'catalog/{team}/{serviceName}.yaml',
        },
      },
      /leafPathPattern unknown placeholder \{team\}/,
    ],
    [
      {
        catalogRepo: {
          ...base.catalogRepo,
          leafPathPattern: '../{serviceName}.yaml',
        },
      },
      /leafPathPattern must not contain empty, "." or ".." segments/,
    ],
    [
      { catalogRepo: { ...base.catalogRepo, branchPrefix: 'bad prefix' } },
      /branchPrefix must be a branch name prefix/,
    ],
    [
      { ...base, maxGpuCount: 32 },
      /maxGpuCount must be a whole number from 0 to 16; got 32/,
    ],
    [
      { ...base, github: { timeoutSeconds: 0 } },
      /timeoutSeconds must be more than 0/,
    ],
    [
      { ...base, github: { maxRetries: 1.5 } },
      /maxRetries must be a whole number from 0 to 10/,
    ],
  ])('names the key of a mistake (%j)', (config, message) => {
    expect(() => read(config)).toThrow(message);
  });

  it('requires the catalog repo', () => {
    expect(() => readWorkloadCatalogConfig(new ConfigReader({}))).toThrow(
      /workloadCatalog/,
    );
  });
});
