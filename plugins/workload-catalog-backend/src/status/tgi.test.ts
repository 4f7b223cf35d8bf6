import { LocalTgi } from '@workload-catalog/tgi-local';
import { readTgiModel } from './tgi';

const SHA = '0e9e39f249a16976918f6564b8830bc894c89659';

describe('readTgiModel', () => {
  let tgi: LocalTgi;
  afterEach(() => tgi?.stop());

  it('says which model and revision the server runs and whether it answers', async () => {
    tgi = await LocalTgi.start({ modelId: 'microsoft/phi-2', modelSha: SHA });
    expect(
      await readTgiModel(tgi.url, `microsoft/phi-2@${SHA.slice(0, 10)}`, 1000),
    ).toEqual({
      ref: `microsoft/phi-2@${SHA.slice(0, 10)}`,
      pulled: true,
      loaded: true,
      digest: SHA,
      pinnedDigest: SHA.slice(0, 10),
    });
    // a branch is not a pin; /health failing means not loaded
    tgi.setHealthy(false);
    expect(await readTgiModel(tgi.url, 'microsoft/phi-2@main', 1000)).toEqual({
      ref: 'microsoft/phi-2@main',
      pulled: true,
      loaded: false,
      digest: SHA,
    });
    // another revision, another model
    tgi.setHealthy(true);
    expect(
      await readTgiModel(tgi.url, 'microsoft/phi-2@abcdef1234', 1000),
    ).toMatchObject({
      pulled: false,
      loaded: true,
      pinnedDigest: 'abcdef1234',
    });
    tgi.serve('org/old', null);
    expect(await readTgiModel(tgi.url, 'microsoft/phi-2', 1000)).toEqual({
      ref: 'microsoft/phi-2',
      pulled: false,
      loaded: false,
      servedModel: 'org/old',
    });
  });

  it('says why when the server cannot be read', async () => {
    tgi = await LocalTgi.start({ modelId: 'x/y' });
    const url = tgi.url;
    await tgi.stop();
    await expect(readTgiModel(url, 'x/y', 1000)).rejects.toThrow(`${url}/info`);
  });
});
