/*
 * The CLI (the catalog repo's CI) applies the route rules of the platform policy: an
 * inference server's route carries only its inference endpoints unless the policy file's
 * ingress.extraPaths allows more for the catalog.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../index';

const SEED = fs.readFileSync(
  path.resolve(
    __dirname,
    '../../../../examples/catalog/valid/ml-inference/dev/ollama-phi.yaml',
  ),
  'utf8',
);
const WITH_PATHS = SEED.replace(
  '  host: text.hypermedia.au\n',
  '  host: text.hypermedia.au\n  paths:\n    - /v1/\n    - /api/pull\n',
);

async function run(...argv: string[]) {
  let out = '';
  const code = await main(argv, { out: t => (out += t), err: () => {} });
  return { code, out };
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-cli-exposure-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};

describe('workload-catalog validate: ingress.paths', () => {
  it('refuses /api/pull on an Ollama route, naming the item, its line and what is allowed', async () => {
    const leaf = write('leaf.yaml', WITH_PATHS);
    const r = await run('validate', leaf);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `${leaf}:14:7: error: ingress.paths[1]: "/api/pull" is a management endpoint of Ollama, which a route exposes only when the platform policy allows it for catalog "ml-inference" (ingress.extraPaths in .workload-catalog/policy.yaml); allowed: /api/generate, /api/chat, /api/embed, /api/embeddings, /api/tags, /api/show, /api/version, /v1/ (a path ending in "/" also allows the paths below it)\n`,
    );
  });

  it('accepts it when the policy file allows it for the catalog, and only for that catalog', async () => {
    const policy = write(
      'policy.yaml',
      [
        'apiVersion: workload-catalog.dev/v1',
        'kind: PlatformPolicy',
        'ingress:',
        '  extraPaths:',
        '    ml-inference: [/api/pull]',
        '',
      ].join('\n'),
    );
    const leaf = write('leaf.yaml', WITH_PATHS);
    expect((await run('validate', '--policy', policy, leaf)).code).toBe(0);
    const other = write(
      'other.yaml',
      WITH_PATHS.replace(
        'serviceCatalog: ml-inference',
        'serviceCatalog: shop',
      ),
    );
    const r = await run('validate', '--policy', policy, other);
    expect(r.code).toBe(1);
    expect(r.out).toContain('error: ingress.paths[1]: "/api/pull"');
  });
});
