import {
  parseLeafFile,
  parseWithPositions,
  textIssue,
  tooDeepAt,
  DEFAULT_MAX_LEAF_BYTES,
  MAX_ALIAS_COUNT,
  MAX_LEAF_ENTRIES,
  MAX_NESTING_DEPTH,
  MAX_REPORTED_ISSUES,
  NEEDS_FULL_PARSER,
} from './leafFile';
import { normalizeLeaf, printLeaf } from './printLeaf';
import { SEED_LEAF_YAML as SEED } from '../testUtils/seed';

describe('parseLeafFile', () => {
  it('accepts the seed leaf', () => {
    const r = parseLeafFile(SEED);
    expect(r.issues).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.leaf?.serviceName).toBe('ollama-phi');
  });

  it('gives the line and column of the offending value', () => {
    const text = SEED.replace('count: 1', 'count: 1.5').replace(
      'host: text.hypermedia.au',
      'host: http://x.example.com',
    );
    expect(parseLeafFile(text).issues).toEqual([
      {
        path: 'gpu.count',
        line: 8,
        column: 10,
        message: 'must be a whole number of GPUs; got 1.5',
      },
      {
        path: 'ingress.host',
        line: 11,
        column: 9,
        message:
          'must be a host name, not a URL: write "x.example.com" without scheme, port or path',
      },
    ]);
  });

  it('points at the key of an unknown field', () => {
    const r = parseLeafFile(
      SEED.replace('gpu:\n  count: 1', 'gpu:\n  count: 1\n  cuont: 2'),
    );
    expect(r.issues).toEqual([
      {
        path: 'gpu.cuont',
        line: 9,
        column: 3,
        message: 'unknown field "cuont"; did you mean "count"?',
      },
    ]);
  });

  it('points at the parent of a missing field', () => {
    const r = parseLeafFile(SEED.replace('serviceCatalog: ml-inference\n', ''));
    expect(r.issues).toEqual([
      { path: 'serviceCatalog', line: 1, column: 1, message: 'is required' },
    ]);
  });

  it('points into flow mappings', () => {
    const r = parseLeafFile(
      SEED.replace(
        'limits: { cpu: "2", memory: "4Gi" }',
        'limits: { cpu: "2", memory: "1Gi" }',
      ),
    );
    expect(r.issues).toEqual([
      {
        path: 'container.resources.limits.memory',
        line: 16,
        column: 33,
        message: 'must be at least the request ("2Gi"); got "1Gi"',
      },
    ]);
  });

  it('rejects duplicate keys at the second key', () => {
    const r = parseLeafFile(
      SEED.replace(
        'gpu:\n  count: 1\n',
        'gpu:\n  count: 1\ngpu:\n  count: 2\n',
      ),
    );
    expect(r.valid).toBe(false);
    expect(r.issues).toEqual([
      {
        path: 'gpu',
        line: 9,
        column: 1,
        message: 'duplicate key: each field may appear only once in a mapping',
      },
    ]);
  });

  it('rejects duplicate keys in nested mappings', () => {
    const r = parseLeafFile(
      SEED.replace('  enabled: true\n', '  enabled: true\n  enabled: false\n'),
    );
    expect(r.issues).toEqual([
      {
        path: 'ingress.enabled',
        line: 11,
        column: 3,
        message: 'duplicate key: each field may appear only once in a mapping',
      },
    ]);
  });

  it('rejects alias bombs quickly', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const r = parseLeafFile(bomb);
    expect(r.issues).toEqual([
      {
        path: '(document)',
        line: 1,
        column: 1,
        message: `too many alias expansions (more than ${MAX_ALIAS_COUNT}): a leaf must not use YAML aliases to build large documents`,
      },
    ]);
  });

  it('still allows a few aliases', () => {
    const text = SEED.replace(
      'requests: { cpu: "500m", memory: "2Gi" }',
      'requests: &r { cpu: "500m", memory: "2Gi" }',
    ).replace('limits: { cpu: "2", memory: "4Gi" }', 'limits: *r');
    expect(parseLeafFile(text).valid).toBe(true);
  });

  it.each([
    ['- a\n- b\n', 'a list'],
    ['just text\n', '"just text"'],
    ['42\n', '42'],
    ['', 'an empty document'],
    ['# only a comment\n', 'an empty document'],
  ])('rejects the non-mapping document %p', (text, got) => {
    expect(parseLeafFile(text).issues).toEqual([
      {
        path: '(leaf)',
        line: 1,
        column: 1,
        message: `a leaf must be a mapping of fields (workloadType, serviceName, ...); got ${got}`,
      },
    ]);
  });

  it('rejects several documents in one file', () => {
    const r = parseLeafFile(`${SEED}---\n${SEED}`);
    expect(r.issues).toEqual([
      expect.objectContaining({
        path: '(document)',
        line: 17,
        message:
          'a leaf file holds one YAML document; remove the "---" separator and put each leaf in its own file',
      }),
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const r = parseLeafFile(
      'workloadType: OLLAMA_INFERENCE_LOAD\nserviceName: "unclosed\n',
    );
    expect(r.valid).toBe(false);
    expect(r.issues[0]).toMatchObject({
      path: 'serviceName',
      line: 3,
      column: 1,
      message: expect.stringMatching(
        /^YAML syntax error: Missing closing "quote/,
      ),
    });
  });

  it('rejects tab indentation with advice', () => {
    const r = parseLeafFile('gpu:\n\tcount: 1\n');
    expect(r.valid).toBe(false);
    expect(r.issues[0].line).toBe(2);
    expect(r.issues[0].message).toMatch(/tab/i);
  });

  it('rejects files over the size limit before parsing them', () => {
    const big = `${SEED}# ${'x'.repeat(DEFAULT_MAX_LEAF_BYTES)}\n`;
    expect(parseLeafFile(big).issues).toEqual([
      {
        path: '(document)',
        line: 1,
        column: 1,
        message: `file is ${Math.ceil(big.length / 1024)} KiB; a leaf may be at most 256 KiB`,
      },
    ]);
    expect(parseLeafFile(SEED, { maxBytes: 100 }).issues[0].message).toBe(
      'file is 1 KiB; a leaf may be at most 0 KiB',
    );
  });

  it('counts bytes, not characters, against the limit', () => {
    const text = `${SEED}# ${'é'.repeat(600)}\n`;
    expect(parseLeafFile(text, { maxBytes: 1200 }).valid).toBe(false);
    expect(parseLeafFile(text, { maxBytes: 1800 }).valid).toBe(true);
  });

  it('applies the platform policy', () => {
    const r = parseLeafFile(SEED, { environments: ['staging', 'prod'] });
    expect(r.issues).toEqual([
      {
        path: 'environment',
        line: 5,
        column: 14,
        message: 'must be one of staging, prod; got "dev"',
      },
    ]);
  });
});

describe('printLeaf', () => {
  it('prints in the schema order whatever the input order', () => {
    const leaf = normalizeLeaf({
      container: {
        resources: { limits: { memory: '4Gi', cpu: '2' } },
        replicas: 1,
      },
      gpu: { count: 1 },
      model: 'phi',
      environment: 'dev',
      namespace: 'ml-workloads',
      serviceCatalog: 'ml-inference',
      serviceName: 'ollama-phi',
      workloadType: 'OLLAMA_INFERENCE_LOAD',
    });
    expect(printLeaf(leaf)).toBe(`workloadType: OLLAMA_INFERENCE_LOAD
serviceName: ollama-phi
serviceCatalog: ml-inference
namespace: ml-workloads
environment: dev
model: phi:latest
gpu:
  count: 1
container:
  replicas: 1
  resources:
    limits:
      cpu: "2"
      memory: 4Gi
`);
  });

  it('keeps strings that look like numbers or booleans strings', () => {
    const leaf = normalizeLeaf({
      workloadType: 'BASIC_CONTAINER_LOAD',
      serviceName: 'a',
      serviceCatalog: 'b',
      namespace: 'c',
      environment: 'd',
      container: {
        image: 'nginx:1.27',
        environment: { A: 'true', B: '010', C: 'null', D: 3 },
      },
    });
    const printed = printLeaf(leaf);
    const reparsed = parseLeafFile(printed);
    expect(reparsed.leaf).toEqual(leaf);
    expect(printed).toContain('A: "true"');
  });

  it('is stable: printing a parsed print gives the same text', () => {
    const once = printLeaf(normalizeLeaf(parseLeafFile(SEED).value));
    expect(printLeaf(parseLeafFile(once).leaf)).toBe(once);
  });
});

describe('YAML 1.1 booleans', () => {
  it('rejects unquoted yes/no/on/off that Helm would read as booleans', () => {
    const text = SEED.replace(
      '  replicas: 1\n',
      '  replicas: 1\n  environment:\n    FEATURE: on\n    MODE: "off"\n',
    );
    expect(parseLeafFile(text).issues).toEqual([
      {
        path: 'container.environment.FEATURE',
        line: 15,
        column: 14,
        message:
          'write "on" in quotes: unquoted, Helm and Argo CD (YAML 1.1) read it as true or false, not as the text "on"',
      },
    ]);
  });

  it('prints such text quoted, so the printed leaf means the same to Helm', () => {
    const leaf = normalizeLeaf({
      ...parseLeafFile(SEED).value!,
      container: {
        replicas: 1,
        environment: { A: 'yes', B: 'No', C: 'maybe' },
      },
    } as any);
    const printed = printLeaf(leaf);
    expect(printed).toContain('A: "yes"');
    expect(printed).toContain('B: "No"');
    expect(printed).toContain('C: maybe');
    expect(parseLeafFile(printed).valid).toBe(true);
  });
});

describe('hostile text: refused before any parser', () => {
  const both = (text: string) => [
    parseLeafFile(text),
    parseWithPositions(text),
  ];

  it.each([
    [
      'a NUL character',
      SEED.replace('ollama-phi', 'ollama\0phi'),
      2,
      20,
      'a NUL character (byte 0x00) at line 2, column 20: a leaf is UTF-8 text, remove it',
    ],
    [
      'a byte-order mark',
      `\uFEFF${SEED}`,
      1,
      1,
      'a byte-order mark (U+FEFF) at line 1, column 1: save the file as UTF-8 without a byte-order mark',
    ],
    [
      'the replacement character (bytes that were not UTF-8)',
      SEED.replace('ml-inference', 'ml-\uFFFD'),
      3,
      20,
      'the replacement character U+FFFD at line 3, column 20: the file is not valid UTF-8 there (or holds U+FFFD itself); save it as UTF-8 and write the intended character',
    ],
    [
      'a %YAML directive',
      `%YAML 1.1\n---\n${SEED}`,
      1,
      1,
      'a YAML directive ("%YAML") at line 1, column 1: a leaf has none (its YAML version is fixed and it uses no tags); remove the line',
    ],
    [
      'a %TAG directive',
      `%TAG !e! tag:example.com,2000:\n---\n${SEED}`,
      1,
      1,
      'a YAML directive ("%TAG") at line 1, column 1: a leaf has none (its YAML version is fixed and it uses no tags); remove the line',
    ],
  ])('%s', (_name, text, line, column, message) => {
    for (const r of both(text)) {
      expect(r.valid).toBe(false);
      expect(r.issues).toEqual([{ path: '(document)', line, column, message }]);
    }
  });

  it('refuses flow nesting deeper than the limit, naming the line', () => {
    const text = `${SEED}extra: ${'['.repeat(20000)}`;
    for (const r of both(text)) {
      expect(r.issues).toEqual([
        {
          path: '(document)',
          line: 17,
          // "extra" is one level, so the 32nd "[" is one too many
          column: 7 + MAX_NESTING_DEPTH,
          message: `nesting deeper than ${MAX_NESTING_DEPTH} levels at line 17; a leaf is a few levels deep`,
        },
      ]);
    }
    // what used to end in "Invalid regular expression: ... Stack overflow"
    const closed = `a: ${'['.repeat(3000)}${']'.repeat(3000)}`;
    expect(parseLeafFile(closed).issues[0].message).toBe(
      `nesting deeper than ${MAX_NESTING_DEPTH} levels at line 1; a leaf is a few levels deep`,
    );
  });

  it('refuses block nesting deeper than the limit (indentation and "- ")', () => {
    const lines = (depth: number) =>
      Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k${i}:`).join(
        '\n',
      );
    expect(
      tooDeepAt(`${lines(MAX_NESTING_DEPTH)} 1\n`, MAX_NESTING_DEPTH),
    ).toBe(undefined);
    const r = parseLeafFile(`${lines(MAX_NESTING_DEPTH + 1)} 1\n`);
    expect(r.issues).toEqual([
      expect.objectContaining({
        line: MAX_NESTING_DEPTH + 1,
        message: `nesting deeper than ${MAX_NESTING_DEPTH} levels at line ${MAX_NESTING_DEPTH + 1}; a leaf is a few levels deep`,
      }),
    ]);
    expect(parseLeafFile('- '.repeat(10000)).issues[0].message).toMatch(
      /^nesting deeper than 32 levels at line 1;/,
    );
  });

  it('counts structure, not brackets inside quotes, comments or block scalars', () => {
    const many = '['.repeat(100);
    for (const text of [
      `a: "${many}"\n`,
      `a: '${many}'\n`,
      `a: x${many}\n`,
      `a: 1 # ${many}\n`,
      `a: |\n  ${many}\n  ${'{'.repeat(100)}\nb: 1\n`,
    ]) {
      expect(tooDeepAt(text, MAX_NESTING_DEPTH)).toBe(undefined);
    }
    // the seed leaf is 4 levels deep (container.resources.requests.cpu)
    expect(tooDeepAt(SEED, 4)).toBe(undefined);
    expect(tooDeepAt(SEED, 3)).toBeGreaterThan(0);
  });

  it('accepts what only looks like the refused text', () => {
    expect(textIssue(SEED.replace('ollama-phi', '"100%"'))).toBe(undefined);
    expect(textIssue(`${SEED}# %YAML in a comment\n`)).toBe(undefined);
  });

  it('refuses more YAML structure than any leaf has, before any parser', () => {
    const hostile = [
      `${SEED}${Array.from({ length: 25000 }, (_, i) => `x${i}: 1`).join('\n')}\n`,
      `a: [${'1,'.repeat(MAX_LEAF_ENTRIES)}1]\n`,
      `a: ${'- : '.repeat(MAX_LEAF_ENTRIES)}\n`,
      `a: ${'"'.repeat(MAX_LEAF_ENTRIES + 1)}\n`,
      `a: ${"'".repeat(MAX_LEAF_ENTRIES + 1)}\n`,
    ];
    for (const r of hostile.flatMap(both)) {
      expect(r.valid).toBe(false);
      expect(r.issues).toHaveLength(1);
    }
    // one newline a line: the 20,001st ends line 20,001, "- 1"
    const items = '- 1\n'.repeat(MAX_LEAF_ENTRIES + 1);
    expect(parseLeafFile(items).issues[0]).toEqual({
      path: '(document)',
      line: MAX_LEAF_ENTRIES + 1,
      column: 4,
      message: `more YAML structure than a leaf has: over 20,000 newlines, commas, colons and quotes (the limit is passed at line 20001, column 4); a leaf has a few hundred: keep one service's settings in it`,
    });
    // "[" and 20,000 "1,": the 20,001st is the newline after "1]"
    expect(
      parseLeafFile(`[${'1,'.repeat(MAX_LEAF_ENTRIES)}1]\n`).issues[0],
    ).toEqual(
      expect.objectContaining({ line: 1, column: 2 * MAX_LEAF_ENTRIES + 4 }),
    );
    // exactly at the limit: parsed as usual
    const inSeed = SEED.split('').filter(c => '\n,:"\''.includes(c)).length;
    const atLimit = `${SEED}${'# c\n'.repeat(MAX_LEAF_ENTRIES - inSeed)}`;
    expect(parseLeafFile(atLimit).valid).toBe(true);
    expect(parseLeafFile(`${atLimit}\n`).valid).toBe(false);
  });

  it('reports at most MAX_REPORTED_ISSUES problems, then counts the rest', () => {
    const keys = 5000;
    const text = `${SEED}${Array.from({ length: keys }, (_, i) => `x${i}: 1`).join('\n')}\n`;
    for (const r of both(text)) {
      expect(r.issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
      expect(r.issues[0]).toEqual(
        expect.objectContaining({ path: 'x0', line: 17, column: 1 }),
      );
      expect(r.issues[MAX_REPORTED_ISSUES]).toEqual({
        path: '(document)',
        line: 17 + MAX_REPORTED_ISSUES,
        column: 1,
        message: `... and 4,950 more problems (only the first ${MAX_REPORTED_ISSUES} are shown)`,
      });
    }
  });

  it('finds duplicate keys among many (in linear time) and caps them too', () => {
    const text = `${SEED}${'dup: 1\n'.repeat(200)}`;
    const r = parseLeafFile(text);
    expect(r.issues[0]).toEqual({
      path: 'dup',
      line: 18,
      column: 1,
      message: 'duplicate key: each field may appear only once in a mapping',
    });
    expect(r.issues[MAX_REPORTED_ISSUES].message).toBe(
      `... and 149 more problems (only the first ${MAX_REPORTED_ISSUES} are shown)`,
    );
  });

  it('cuts a huge key in a path to 200 characters', () => {
    const r = parseLeafFile(`${SEED}${'k'.repeat(100000)}: 1\n`);
    expect(r.issues[0].path).toHaveLength(200);
    expect(r.issues[0].path.endsWith('…')).toBe(true);
  });
});

describe('NEEDS_FULL_PARSER', () => {
  it.each([
    ['an anchor', 'a: &x 1'],
    ['an alias in a flow sequence', 'a: [1, *x]'],
    ['a tag', 'a: !!str 1'],
    ['a directive', '%YAML 1.2'],
    ['a complex key', '? a\n: 1'],
    ['a flow collection as key', '[a]: 1'],
    ['null as key', '~: 1'],
    ['a YAML 1.1 boolean', 'a: on'],
    ['a binary integer', 'a: 0b101'],
    ['negative zero', 'a: -0.0'],
    ['a tab', 'a:\t1'],
  ])('sends %s to the full parser', (_name, text) => {
    expect(NEEDS_FULL_PARSER.test(text)).toBe(true);
  });

  it('lets the seed leaf take the fast path', () => {
    expect(NEEDS_FULL_PARSER.test(SEED)).toBe(false);
  });
});
