import { WorkloadCatalogClient } from './WorkloadCatalogClient';

describe('WorkloadCatalogClient: workload status and configuration', () => {
  const entity = {
    kind: 'Component',
    namespace: 'default',
    name: 'ollama-phi-dev',
  };
  const setup = (response: () => Response) => {
    const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
      response(),
    );
    return {
      fetch,
      client: new WorkloadCatalogClient({
        discoveryApi: {
          getBaseUrl: async (id: string) => `http://backend/api/${id}`,
        },
        fetchApi: { fetch: fetch as any },
      }),
    };
  };
  const json =
    (body: unknown, status = 200) =>
    () =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });

  it('reads the status and the configuration of an entity', async () => {
    const { client, fetch } = setup(json({ summary: 'Ready' }));
    expect(await client.getWorkloadStatus(entity)).toEqual({
      summary: 'Ready',
    });
    await client.getWorkloadConfiguration(entity);
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      'http://backend/api/workload-catalog/workloads/default/Component/ollama-phi-dev/status',
      'http://backend/api/workload-catalog/workloads/default/Component/ollama-phi-dev/configuration',
    ]);
  });

  it('posts the changed leaf', async () => {
    const { client, fetch } = setup(json({ pullRequestNumber: 3 }, 201));
    expect(
      await client.proposeWorkloadConfiguration(entity, { gpu: { count: 2 } }),
    ).toEqual({
      pullRequestNumber: 3,
    });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      'http://backend/api/workload-catalog/workloads/default/Component/ollama-phi-dev/configuration',
    );
    expect(init).toMatchObject({
      method: 'POST',
      body: '{"leaf":{"gpu":{"count":2}}}',
    });
  });

  it("rejects with the backend's message", async () => {
    const { client } = setup(
      json(
        {
          error: {
            name: 'ConflictError',
            message: 'A pull request for x is already open',
          },
          response: { statusCode: 409 },
        },
        409,
      ),
    );
    await expect(
      client.proposeWorkloadConfiguration(entity, {}),
    ).rejects.toMatchObject({
      statusCode: 409,
      cause: { message: 'A pull request for x is already open' },
    });
  });
});
