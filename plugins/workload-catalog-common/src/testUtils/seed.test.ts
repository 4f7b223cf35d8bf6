import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLeafFile } from '../leaf/leafFile';
import { SEED_LEAF_YAML, seedLeaf } from './seed';

describe('the seed leaf helper', () => {
  it('is the example catalog’s seed leaf, byte for byte', () => {
    expect(
      readFileSync(
        path.resolve(
          __dirname,
          '../../../../examples/catalog/valid/ml-inference/dev/ollama-phi.yaml',
        ),
        'utf8',
      ),
    ).toBe(SEED_LEAF_YAML);
  });

  it('is valid, and each call gives a new copy', () => {
    expect(parseLeafFile(SEED_LEAF_YAML).issues).toEqual([]);
    const a = seedLeaf();
    a.gpu.count = 4;
    expect(seedLeaf().gpu.count).toBe(1);
  });
});
