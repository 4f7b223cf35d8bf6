import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_LEAF_PATH_PATTERN,
  leafPathGlob,
} from '@workload-catalog/plugin-workload-catalog-common';
import { main } from '../index';

const examples = path.resolve(__dirname, '../../../../examples/catalog');
const SEED = fs.readFileSync(
  path.join(examples, 'valid/ml-inference/dev/ollama-phi.yaml'),
  'utf8',
);

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: t => (out += t), err: t => (err += t) });
  return { code, out, err };
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-cli-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string) {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('workload-catalog validate', () => {
  it('exits 0 and prints nothing on stdout when every leaf is valid', async () => {
    const r = await run('validate', path.join(examples, 'valid'));
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const leaves = fs
      .readdirSync(path.join(examples, 'valid'), { recursive: true })
      .filter(f => String(f).endsWith('.yaml')).length;
    expect(leaves).toBeGreaterThan(5);
    expect(r.err).toBe(
      `${leaves} leaf files checked: ${leaves} valid, 0 invalid\n`,
    );
  });

  it('prints FILE:LINE:COLUMN: error: FIELD.PATH: message and exits 1', async () => {
    const file = write('leaf.yaml', SEED.replace('count: 1', 'count: 1.5'));
    const r = await run('validate', file);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `${file}:8:10: error: gpu.count: must be a whole number of GPUs; got 1.5\n`,
    );
    expect(r.err).toBe('1 leaf file checked: 0 valid, 1 invalid (1 problem)\n');
  });

  it('prints JSON with --format json', async () => {
    const good = write('a/good.yaml', SEED);
    const bad = write(
      'b/bad.yml',
      SEED.replace('serviceName: ollama-phi', 'serviceName: Bad_Name'),
    );
    const r = await run('validate', '--format', 'json', tmp);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual([
      { file: good, valid: true, errors: [] },
      {
        file: bad,
        valid: false,
        errors: [
          {
            path: 'serviceName',
            line: 2,
            column: 14,
            message: expect.stringContaining(
              'must be a DNS-1035 label (service name)',
            ),
          },
        ],
      },
    ]);
    expect(r.err).toBe('');
  });

  it('prints an empty JSON list for an empty folder', async () => {
    const r = await run('validate', '--format=json', tmp);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([]);
    expect(r.err).toContain('no *.yaml or *.yml files');
  });

  it('walks folders recursively in name order, hidden ones included (Argo CD reads them), skipping .git, node_modules and other files', async () => {
    write('z/leaf.yaml', 'x: 1\n');
    write('a/leaf.yml', 'x: 1\n');
    write('.hidden/dev/leaf.yaml', 'x: 1\n');
    write('a/.leaf.yaml', 'x: 1\n');
    write('.git/leaf.yaml', 'x: 1\n');
    write('node_modules/leaf.yaml', 'x: 1\n');
    write('README.md', 'x');
    const r = await run('validate', '--format', 'json', tmp);
    expect(
      JSON.parse(r.out).map((e: any) => path.relative(tmp, e.file)),
    ).toEqual([
      '.hidden/dev/leaf.yaml',
      'a/.leaf.yaml',
      'a/leaf.yml',
      'z/leaf.yaml',
    ]);
  });

  it('refuses a symbolic link as a leaf, wherever it points', async () => {
    const real = write('catalog/ml-inference/dev/ollama-phi.yaml', SEED);
    const link = path.join(tmp, 'catalog/ml-inference/prod/ollama-phi.yaml');
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(real, link);
    const r = await run('validate', path.join(tmp, 'catalog'));
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `${link}:1:1: error: (document): is a symbolic link; a leaf must be a regular file (Argo CD would deploy the content of its target under this path)\n`,
    );
  });

  it('refuses what is not a regular file without reading it (a device would never end)', async () => {
    const r = await run('validate', '/dev/zero');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      '/dev/zero:1:1: error: (document): is not a regular file\n',
    );
  });

  it('rejects two leaves with the same serviceName in one namespace, across catalogs and environments', async () => {
    const first = write('a.yaml', SEED);
    const second = write(
      'b.yaml',
      SEED.replace(
        'serviceCatalog: ml-inference',
        'serviceCatalog: other',
      ).replace('environment: dev', 'environment: prod'),
    );
    const r = await run('validate', tmp);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `${second}:2:14: error: serviceName: "ollama-phi" in namespace "ml-workloads" is already the workload of ${first}; the Kubernetes objects are named after serviceName, so it must be unique in its namespace across the whole catalog\n`,
    );
  });

  it('checks every file the ApplicationSet’s files generator reads (the same glob, hidden names included)', async () => {
    const appSet = fs.readFileSync(
      path.resolve(__dirname, '../../../../deploy/argocd/applicationset.yaml'),
      'utf8',
    );
    const glob = /- path: '([^']+)'/.exec(appSet)![1];
    expect(glob).toBe(leafPathGlob(DEFAULT_LEAF_PATH_PATTERN));
    for (const rel of [
      'catalog/a/dev/x.yaml',
      'catalog/.a/dev/x.yaml',
      'catalog/a/.dev/x.yaml',
      'catalog/a/dev/.x.yaml',
      'catalog/a/dev/..yaml',
    ])
      write(rel, 'x: 1\n');
    // What Argo CD reads: Go's filepath.Match, where * also matches a leading dot.
    const goGlob = new RegExp(
      `^${glob.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`,
    );
    const all = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap(e =>
          e.isDirectory()
            ? all(path.join(dir, e.name))
            : [path.relative(tmp, path.join(dir, e.name))],
        );
    const read = all(tmp).filter(f => goGlob.test(f));
    expect(read).toHaveLength(5);
    const r = await run(
      'validate',
      '--format',
      'json',
      path.join(tmp, 'catalog'),
    );
    const checked = JSON.parse(r.out).map((e: any) =>
      path.relative(tmp, e.file),
    );
    expect(checked.sort()).toEqual(read.sort());
  });

  describe('the platform policy', () => {
    const POLICY = `apiVersion: workload-catalog.dev/v1
kind: PlatformPolicy
environments: [dev, prod]
namespaces: [ml-workloads]
gpu: { maxPerReplica: 2, maxPerWorkload: 2 }
`;
    const cwd = process.cwd();
    afterEach(() => process.chdir(cwd));

    it('is read from .workload-catalog/policy.yaml of the current folder', async () => {
      write('.workload-catalog/policy.yaml', POLICY);
      const leaf = write(
        'catalog/ml-inference/dev/ollama-phi.yaml',
        SEED.replace('replicas: 1', 'replicas: 3'),
      );
      process.chdir(tmp);
      const r = await run('validate', 'catalog');
      expect(r.code).toBe(1);
      expect(r.out).toBe(
        `${path.relative(tmp, leaf)}:13:13: error: container.replicas: asks for 3 GPUs (1 per replica × 3 replicas); the platform allows at most 2 GPUs per workload, so at most 2 replicas of 1 GPUs\n`,
      );
    });

    it('denies system namespaces without a policy that lists them', async () => {
      const leaf = write(
        'x.yaml',
        SEED.replace('namespace: ml-workloads', 'namespace: kube-system'),
      );
      const r = await run('validate', leaf);
      expect(r.code).toBe(1);
      expect(r.out).toContain('namespace: "kube-system" is a system namespace');
    });

    it('may be narrowed by flags, never widened', async () => {
      const policy = write('p.yaml', POLICY);
      const leaf = write(
        'x.yaml',
        SEED.replace('environment: dev', 'environment: prod'),
      );
      expect((await run('validate', '--policy', policy, leaf)).code).toBe(0);
      const narrowed = await run(
        'validate',
        '--policy',
        policy,
        '--environments',
        'dev',
        leaf,
      );
      expect(narrowed.code).toBe(1);
      const widened = await run(
        'validate',
        '--policy',
        policy,
        '--namespaces',
        'ml-workloads,argocd',
        '--max-gpu',
        '8',
        leaf,
      );
      expect(widened.code).toBe(2);
      expect(widened.err).toContain(
        "--max-gpu is 8, above the platform policy's 2 (.workload-catalog/policy.yaml); config may only narrow the policy",
      );
      expect(widened.err).toContain(
        '--namespaces lists "argocd", which the platform policy (.workload-catalog/policy.yaml) does not allow',
      );
    });

    it('is a usage error when invalid, with its line', async () => {
      const policy = write(
        'p.yaml',
        POLICY.replace('maxPerReplica: 2', 'maxPerReplica: two'),
      );
      const r = await run('validate', '--policy', policy, tmp);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${policy}:5:1: error: gpu.maxPerReplica: `);
      expect(r.out).toBe('');
    });
  });

  it('checks an explicitly named file whatever its extension', async () => {
    const file = write('leaf.txt', SEED);
    expect((await run('validate', file)).code).toBe(0);
  });

  it('reports every invalid example with exactly its expected problems', async () => {
    const dir = path.join(examples, 'invalid');
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    const expected: string[] = [];
    const reported: string[] = [];
    for (const name of files) {
      const file = path.join(dir, name);
      const text = fs.readFileSync(file, 'utf8');
      const lines = text.split('\n');
      for (const m of text.matchAll(/^# expect: ([^:]+?): (.*)$/gm)) {
        expected.push(`${name} ${m[1]}: ${m[2]}`);
      }
      const r = await run('validate', '--format', 'json', file);
      const [entry] = JSON.parse(r.out);
      expect({ name, code: r.code, valid: entry.valid }).toEqual({
        name,
        code: 1,
        valid: false,
      });
      for (const error of entry.errors) {
        // the part of the message the expectation names, and the line the error points at
        const want = expected.find(e =>
          e.startsWith(`${name} ${error.path}: `),
        );
        const part = want ? want.slice(`${name} ${error.path}: `.length) : '';
        const key = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(error.path)?.[1];
        const onItsLine =
          !key ||
          error.message.includes('is required') ||
          lines[error.line - 1].includes(`${key}:`);
        reported.push(
          `${name} ${error.path}: ${error.message.includes(part) ? part : error.message}${onItsLine ? '' : ` (at line ${error.line})`}`,
        );
      }
    }
    expect(reported.sort()).toEqual(expected.sort());
  });

  it('applies --max-gpu, --environments and --namespaces', async () => {
    const file = write('leaf.yaml', SEED.replace('count: 1', 'count: 4'));
    expect((await run('validate', file)).code).toBe(0);
    const r = await run(
      'validate',
      '--max-gpu',
      '2',
      '--environments',
      'staging,prod',
      '--namespaces',
      'ml',
      file,
    );
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toEqual([
      `${file}:4:12: error: namespace: must be one of the namespaces this platform deploys to: ml; got "ml-workloads"`,
      `${file}:5:14: error: environment: must be one of staging, prod; got "dev"`,
      `${file}:8:10: error: gpu.count: must be at most 2 (the platform's GPU maximum per replica); got 4`,
    ]);
  });

  it('checks the repository layout with --layout', async () => {
    const good = write('catalog/ml-inference/dev/ollama-phi.yaml', SEED);
    const misplaced = write(
      'catalog/ml-inference/prod/other.yaml',
      SEED.replace('ollama-phi', 'ollama-mini'),
    );
    const r = await run(
      'validate',
      '--layout',
      'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
      tmp,
    );
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `${misplaced}:1:1: error: (leaf): leaf is at ${misplaced}, but its fields place it at catalog/ml-inference/dev/ollama-mini.yaml; move the file or fix serviceCatalog, environment or serviceName\n`,
    );
    expect(r.out).not.toContain(good);
  });

  it('rejects two leaves for the same service and environment', async () => {
    const first = write('a.yaml', SEED);
    const second = write(
      'b.yaml',
      SEED.replace(
        'serviceCatalog: ml-inference',
        'serviceCatalog: other',
      ).replace('namespace: ml-workloads', 'namespace: shop'),
    );
    const r = await run('validate', tmp);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `${second}:2:14: error: serviceName: "ollama-phi" is already deployed to environment "dev" by ${first}; service names are unique per environment\n`,
    );
  });

  it('reports a file too large to be a leaf without reading it', async () => {
    const file = write('big.yaml', `# ${'x'.repeat(300 * 1024)}\n`);
    const r = await run('validate', file);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `${file}:1:1: error: (document): file is 300.1 KiB; a leaf may be at most 256 KiB (262,144 bytes). Split what it holds, or raise the limit with --max-leaf-kib N\n`,
    );
  });

  it('refuses a huge file at once, and --max-leaf-kib sets the limit', async () => {
    const huge = write('huge.yaml', 'x'.repeat(64 * 1024 * 1024));
    const started = Date.now();
    const r = await run('validate', huge);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.out).toBe(
      `${huge}:1:1: error: (document): file is 65,536 KiB; a leaf may be at most 256 KiB (262,144 bytes). Split what it holds, or raise the limit with --max-leaf-kib N\n`,
    );
    const file = write('a/leaf.yaml', `${SEED}# ${'x'.repeat(2048)}\n`);
    const small = await run('validate', '--max-leaf-kib', '2', file);
    expect(small.code).toBe(1);
    expect(small.out).toContain(
      'a leaf may be at most 2 KiB (2,048 bytes). Split what it holds, or raise the limit with --max-leaf-kib N',
    );
    expect((await run('validate', '--max-leaf-kib', '8', file)).code).toBe(0);
  });

  it('reports bytes that are not UTF-8 at their line and column', async () => {
    const file = write('leaf.yaml', '');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('serviceName: caf\u00e9\nnamespace: ab'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('\n'),
      ]),
    );
    const r = await run('validate', file);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `${file}:2:14: error: (document): file is not valid UTF-8: byte 0xC3 (byte 33 of the file) is not part of a UTF-8 character; save the file as UTF-8\n`,
    );
  });

  it('still refuses a byte order mark (the decoder keeps it for the parser)', async () => {
    const file = write('leaf.yaml', `\ufeff${SEED}`);
    const r = await run('validate', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /leaf\.yaml:1:1: error: \(document\): a byte-order mark \(U\+FEFF\) at line 1, column 1: save the file as UTF-8 without a byte-order mark\n$/,
    );
  });

  it('prints at most 1,000 problems over all files, then counts the rest', async () => {
    // 30 files with 51 lines each (50 problems, then "... and N more")
    const bad = Array.from({ length: 60 }, (_, i) => `unknown${i}: 1`).join(
      '\n',
    );
    for (let i = 0; i < 30; i++) {
      write(`c/f${String(i).padStart(2, '0')}.yaml`, `${SEED}${bad}\n`);
    }
    const r = await run('validate', tmp);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1001);
    expect(lines[999]).toMatch(/f19\.yaml:/);
    expect(lines[1000]).toBe(
      '... and 530 more problems in 11 files (only the first 1,000 are shown)',
    );
    expect(r.err).toBe(
      '30 leaf files checked: 0 valid, 30 invalid (1530 problems)\n',
    );
    const json = JSON.parse(
      (await run('validate', '--format', 'json', tmp)).out,
    );
    expect(json).toHaveLength(30);
    expect(json[19].errors).toHaveLength(31);
    expect(json[19].omitted).toBe(20);
    expect(json[29]).toEqual({
      file: path.join(tmp, 'c/f29.yaml'),
      valid: false,
      errors: [],
      omitted: 51,
    });
  });

  it('reports a socket as invalid, not as a crash', async () => {
    // A Unix socket: it exists and is not a folder, but cannot be opened as a file.
    const file = path.join(tmp, 'leaf.yaml');
    const server = net.createServer();
    await new Promise<void>(resolve => server.listen(file, resolve));
    try {
      const r = await run('validate', file);
      expect(r.code).toBe(1);
      expect(r.out).toBe(
        `${file}:1:1: error: (document): is not a regular file\n`,
      );
    } finally {
      server.close();
    }
  });

  describe('usage errors exit 2', () => {
    it.each([
      [['validate'], 'no PATH given'],
      [
        ['validate', '--format', 'xml', 'x'],
        '--format must be "text" or "json"; got "xml"',
      ],
      [['validate', '--bogus', 'x'], "Unknown option '--bogus'"],
      [
        ['validate', '--max-gpu', 'many', 'x'],
        '--max-gpu must be a whole number from 0 to 16; got "many"',
      ],
      [
        ['validate', '--max-gpu', '17', 'x'],
        '--max-gpu must be a whole number from 0 to 16',
      ],
      [
        ['validate', '--environments', ',', 'x'],
        '--environments needs at least one name',
      ],
      [
        ['validate', '--layout', '{serviceCatalog}.yaml', 'x'],
        '--layout must contain {serviceName}',
      ],
      [
        ['validate', '--max-leaf-kib', '0', 'x'],
        '--max-leaf-kib must be a whole number of KiB from 1 to 1048576 (1 GiB); got "0"',
      ],
      [
        ['validate', '--max-leaf-kib', '1.5', 'x'],
        '--max-leaf-kib must be a whole number of KiB from 1 to 1048576 (1 GiB); got "1.5"',
      ],
      [
        ['validate', '/does/not/exist'],
        'no such file or folder: /does/not/exist',
      ],
      [[], 'missing command'],
      [['check'], 'unknown command "check"'],
    ])('%p', async (argv, message) => {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
      expect(r.out).toBe('');
    });
  });

  it('prints help with exit 0', async () => {
    const r = await run('validate', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'usage: workload-catalog validate [options] PATH...',
    );
    expect((await run('--help')).out).toContain('commands:');
  });
});

describe('the GitHub Actions problem matcher shipped for catalog repos', () => {
  const matcher = JSON.parse(
    fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../../examples/catalog-repo/.github/workflows/workload-catalog-matcher.json',
      ),
      'utf8',
    ),
  ).problemMatcher[0].pattern[0];

  it('reads every line the CLI prints for a problem', async () => {
    const file = write(
      'catalog/ml/dev/x.yaml',
      SEED.replace('count: 1', 'count: 1.5').replace('dev', 'Dev'),
    );
    const r = await run('validate', file);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const m = new RegExp(matcher.regexp).exec(line)!;
      expect(m).not.toBeNull();
      expect(m[matcher.file]).toBe(file);
      expect(Number(m[matcher.line])).toBeGreaterThan(0);
      expect(m[matcher.severity]).toBe('error');
      expect(m[matcher.message]).toMatch(/^(environment|gpu\.count): /);
    }
  });
});
