import { LocalTgi } from './server';

describe('LocalTgi', () => {
  let tgi: LocalTgi;
  afterEach(() => tgi?.stop());

  it('answers /info and /health as TGI does, as the test scripts them', async () => {
    tgi = await LocalTgi.start({
      modelId: 'meta-llama/Llama-3.1-8B-Instruct',
      modelSha: '0e9e39f249a16976918f6564b8830bc894c89659',
      healthy: false,
    });
    const info = await (await fetch(`${tgi.url}/info`)).json();
    expect(info).toMatchObject({
      model_id: 'meta-llama/Llama-3.1-8B-Instruct',
      model_sha: '0e9e39f249a16976918f6564b8830bc894c89659',
      router: 'text-generation-router',
    });
    const sick = await fetch(`${tgi.url}/health`);
    expect(sick.status).toBe(503);
    expect(await sick.json()).toEqual({
      error: 'unhealthy',
      error_type: 'healthcheck',
    });
    tgi.setHealthy(true);
    const ok = await fetch(`${tgi.url}/health`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    tgi.serve('org/other', null);
    expect(await (await fetch(`${tgi.url}/info`)).json()).toMatchObject({
      model_id: 'org/other',
      model_sha: null,
    });
    expect((await fetch(`${tgi.url}/generate_nope`)).status).toBe(404);
    expect(tgi.countCalls('info')).toBe(2);
    expect(tgi.countCalls('health')).toBe(2);
    expect(tgi.countCalls()).toBe(5);
  });
});
