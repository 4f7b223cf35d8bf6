import { WorkloadCatalogClient } from './WorkloadCatalogClient';
import { FORM_OPTIONS, SUGGESTIONS } from '../__testUtils__/fakeApi';

function client(responses: Array<() => Response>) {
  const fetch = jest.fn(async (_url: string) => responses.shift()!());
  return {
    fetch,
    client: new WorkloadCatalogClient({
      discoveryApi: {
        getBaseUrl: async (id: string) => `http://backend/api/${id}`,
      },
      fetchApi: { fetch: fetch as any },
    }),
  };
}
const json =
  (body: unknown, status = 200) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });

describe('WorkloadCatalogClient', () => {
  it('asks the workload-catalog backend through fetchApi', async () => {
    const { client: c, fetch } = client([
      json(SUGGESTIONS),
      json(FORM_OPTIONS),
    ]);
    expect(await c.getModelSuggestions()).toEqual(SUGGESTIONS);
    expect(await c.getFormOptions()).toEqual(FORM_OPTIONS);
    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      'http://backend/api/workload-catalog/models',
      'http://backend/api/workload-catalog/form-options',
    ]);
  });

  it('asks for the policy once, but again after a failure', async () => {
    const { client: c, fetch } = client([
      json(
        {
          error: { name: 'Error', message: 'boom' },
          response: { statusCode: 500 },
        },
        500,
      ),
      json(FORM_OPTIONS),
    ]);
    await expect(c.getFormOptions()).rejects.toThrow(/500/);
    expect(await c.getFormOptions()).toEqual(FORM_OPTIONS);
    expect(await c.getFormOptions()).toEqual(FORM_OPTIONS);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('turns an error answer into a ResponseError', async () => {
    const { client: c } = client([
      json({ error: { name: 'NotAllowedError', message: 'nope' } }, 403),
    ]);
    await expect(c.getModelSuggestions()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});
