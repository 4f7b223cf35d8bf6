/*
 * YAML 1.1 look-alikes: plain scalars (values and keys) that Helm and Argo CD (YAML 1.1:
 * go-yaml, sigs.k8s.io/yaml) read otherwise than the CLI (YAML 1.2), or as a boolean, null
 * or number: refused with the field path and what to write, on the fast path and the full
 * one alike; quoted, the same text is accepted, and printLeaf quotes it.
 */
import { checkSync } from 'recheck';
import { parse } from 'yaml';
import {
  parseLeafFile,
  parseWithPositions,
  NEEDS_FULL_PARSER,
  YAML11_LOOKALIKE_TEXT,
} from './leafFile';
import {
  normalizeLeaf,
  printLeaf,
  yaml11LookAlike,
  YAML11_LOOKALIKE_FORMS,
} from './printLeaf';
import { SEED_LEAF_YAML as SEED } from '../testUtils/seed';

const LEAF = [
  'workloadType: BASIC_CONTAINER_LOAD',
  'serviceName: svc',
  'serviceCatalog: shop',
  'namespace: shop',
  'environment: dev',
  'container:',
  '  image: nginx:1.27',
  '',
].join('\n');

/** Both parsers' problems for a leaf with extra container lines. */
function issuesOf(containerLines: string) {
  const text = LEAF + containerLines;
  const fast = parseLeafFile(text);
  const full = parseWithPositions(text);
  expect(fast.issues).toEqual(full.issues);
  expect(fast.valid).toBe(false);
  return fast.issues;
}

describe('YAML 1.1 look-alike numbers', () => {
  it.each([
    [
      'an octal with a leading zero (replicas: 010)',
      '  replicas: 010\n',
      'container.replicas',
      8,
      13,
      'write "010" in quotes for the text, or write a plain number such as 10: unquoted, Helm and Argo CD (go-yaml, YAML 1.1) read it as the number 8 and this CLI (YAML 1.2) as the number 10',
    ],
    [
      'a YAML 1.2 octal (0o10)',
      '  replicas: 0o10\n',
      'container.replicas',
      8,
      13,
      'write "0o10" in quotes for the text, or write a plain number such as 8: unquoted, Helm and Argo CD (go-yaml) read it as the number 8, as this CLI (YAML 1.2) does, but other YAML 1.1 readers as the text "0o10"',
    ],
    [
      'underscores (1_000)',
      '  environment:\n    LIMIT: 1_000\n',
      'container.environment.LIMIT',
      9,
      12,
      'write "1_000" in quotes for the text, or write a plain number such as 1000: unquoted, Helm and Argo CD (go-yaml, YAML 1.1) read it as the number 1000 and this CLI (YAML 1.2) as the text "1_000"',
    ],
    [
      'base 60 (1:20)',
      '  environment:\n    AT: 1:20\n',
      'container.environment.AT',
      9,
      9,
      'write "1:20" in quotes for the text, or write a plain number such as 80: unquoted, Helm and Argo CD (go-yaml) read it as the text "1:20", as this CLI (YAML 1.2) does, but other YAML 1.1 readers as the number 80',
    ],
    [
      'base 60 (190:20:30) in a list',
      '  args: [--at, 190:20:30]\n',
      'container.args[1]',
      8,
      16,
      'write "190:20:30" in quotes for the text, or write a plain number such as 685230: unquoted, Helm and Argo CD (go-yaml) read it as the text "190:20:30", as this CLI (YAML 1.2) does, but other YAML 1.1 readers as the number 685230',
    ],
    [
      'binary (0b101)',
      '  environment:\n    MASK: 0b101\n',
      'container.environment.MASK',
      9,
      11,
      'write "0b101" in quotes for the text, or write a plain number such as 5: unquoted, Helm and Argo CD (go-yaml, YAML 1.1) read it as the number 5 and this CLI (YAML 1.2) as the text "0b101"',
    ],
    [
      'a plus sign (+1)',
      '  replicas: +1\n',
      'container.replicas',
      8,
      13,
      'write "+1" in quotes for the text, or write a plain number such as 1: unquoted, YAML readers disagree on a number written with a plus sign (js-yaml reads some as text)',
    ],
  ])('refuses %s', (_name, lines, path, line, column, message) => {
    expect(issuesOf(lines)).toEqual([{ path, line, column, message }]);
  });
});

describe('YAML 1.1 booleans and nulls', () => {
  it.each([
    ['y', 'true or false'],
    ['n', 'true or false'],
    ['yes', 'true or false'],
    ['No', 'true or false'],
    ['ON', 'true or false'],
    ['off', 'true or false'],
  ])('refuses the value %s', (word, reading) => {
    expect(issuesOf(`  environment:\n    MODE: ${word}\n`)).toEqual([
      {
        path: 'container.environment.MODE',
        line: 9,
        column: 11,
        message: `write "${word}" in quotes: unquoted, Helm and Argo CD (YAML 1.1) read it as ${reading}, not as the text "${word}"`,
      },
    ]);
  });

  it('refuses a boolean word in any case (yEs), saying what it looks like', () => {
    expect(issuesOf('  environment:\n    MODE: yEs\n')).toEqual([
      {
        path: 'container.environment.MODE',
        line: 9,
        column: 11,
        message:
          'write "yEs" in quotes: unquoted, it is a spelling of a YAML 1.1 boolean (y/n/yes/no/on/off), which YAML readers may take for true or false',
      },
    ]);
  });

  it.each(['~', 'null', 'NULL'])('refuses the value %s, null to YAML', word => {
    const issues = issuesOf(`  environment:\n    MODE: ${word}\n`);
    expect(issues).toContainEqual({
      path: 'container.environment.MODE',
      line: 9,
      column: 11,
      message: `write "${word}" in quotes: unquoted, YAML reads it as null (no value), not as the text "${word}"; leave the field out for no value`,
    });
  });

  it('refuses a spelling of null that is text to YAML (nULL), saying what it looks like', () => {
    expect(issuesOf('  environment:\n    MODE: nULL\n')).toEqual([
      {
        path: 'container.environment.MODE',
        line: 9,
        column: 11,
        message:
          'write "nULL" in quotes: unquoted, it is a spelling of null (~/null), which YAML readers may take for no value',
      },
    ]);
  });

  it.each([
    ['on', 'true or false'],
    ['y', 'true or false'],
    ['OFF', 'true or false'],
  ])('refuses the environment KEY %s', (key, reading) => {
    expect(issuesOf(`  environment:\n    ${key}: "1"\n`)).toEqual([
      {
        path: `container.environment.${key}`,
        line: 9,
        column: 5,
        message: `write "${key}" in quotes: unquoted, Helm and Argo CD (YAML 1.1) read it as ${reading}, not as the text "${key}"`,
      },
    ]);
  });

  it('refuses null as an environment key', () => {
    expect(issuesOf('  environment:\n    null: "1"\n')).toContainEqual({
      path: 'container.environment.null',
      line: 9,
      column: 5,
      message:
        'write "null" in quotes: unquoted, YAML reads it as null (no key), not as the text "null"',
    });
  });
});

describe('what is not a look-alike', () => {
  it('accepts the same text quoted, and keys quoted', () => {
    const text = `${LEAF}  replicas: 10\n  args: ["010", '1:20', "+1", "y", "~"]\n  environment:\n    "on": "1_000"\n    "y": "0b101"\n    A: "null"\n    B: 'yes'\n`;
    const r = parseLeafFile(text);
    expect(r.issues).toEqual([]);
    expect(r.leaf?.container).toMatchObject({
      replicas: 10,
      args: ['010', '1:20', '+1', 'y', '~'],
      environment: { on: '1_000', y: '0b101', A: 'null', B: 'yes' },
    });
  });

  it('accepts numbers both YAML versions read alike (10, 0x1F, 1.5, 1e3, 0) and ordinary text', () => {
    const r = parseLeafFile(
      `${LEAF}  replicas: 2\n  environment:\n    A: 0x1F\n    B: 1.5\n    C: 1e3\n    D: 0\n    E: v1_2\n    F: 12:3x\n    G: yesterday\n    H: nulled\n    I: -5\n`,
    );
    expect(r.issues).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it.each([
    ['10'],
    ['0x1F'],
    ['1.5'],
    ['1e3'],
    ['.inf'],
    ['v1_2'],
    ['yesterday'],
    ['true'],
    ['nginx:1.27'],
    ['12:3x'],
    ['_1'],
  ])('yaml11LookAlike(%s) is undefined', text => {
    expect(yaml11LookAlike(text)).toBeUndefined();
  });

  it.each([
    ['010', 'number'],
    ['-010', 'number'],
    ['0o17', 'number'],
    ['1_000', 'number'],
    ['1_000.5', 'number'],
    ['0x_1F', 'number'],
    ['1:20', 'number'],
    ['190:20:30.15', 'number'],
    ['0b101', 'number'],
    ['+1', 'number'],
    ['+.5', 'number'],
    ['Y', 'boolean'],
    ['oFf', 'boolean'],
    ['~', 'null'],
    ['Null', 'null'],
  ])('yaml11LookAlike(%s) is %s', (text, kind) => {
    expect(yaml11LookAlike(text)).toBe(kind);
  });
});

describe('printLeaf and the fast path', () => {
  it('quotes every look-alike, so the printed leaf is valid and means the same to YAML 1.1', () => {
    const words = ['010', '0o10', '1_000', '1:20', '0b101', '+1', 'y', 'yEs'];
    const leaf = normalizeLeaf({
      workloadType: 'BASIC_CONTAINER_LOAD',
      serviceName: 'svc',
      serviceCatalog: 'shop',
      namespace: 'shop',
      environment: 'dev',
      container: {
        image: 'nginx:1.27',
        args: [...words, 'null', '~'],
        environment: {
          on: 'x',
          y: 'x',
          ...Object.fromEntries(words.map((w, i) => [`V${i}`, w])),
        },
      },
    });
    const printed = printLeaf(leaf);
    const again = parseLeafFile(printed);
    expect(again.issues).toEqual([]);
    expect(again.leaf).toEqual(leaf);
    const asHelmReadsIt = parse(printed, { version: '1.1' });
    expect(asHelmReadsIt.container.args).toEqual([...words, 'null', '~']);
    expect(asHelmReadsIt.container.environment).toEqual(
      leaf.container.environment,
    );
  });

  it('sends the look-alikes to the full parser, and lets the seed leaf take the fast path', () => {
    for (const text of [
      'a: 010',
      'a: [0o10]',
      'a: 1_000',
      'a: 1:20',
      'a: +1',
      'a: ~',
      'a: nULL',
      'nULL: 1',
    ])
      expect(YAML11_LOOKALIKE_TEXT.test(text)).toBe(true);
    for (const text of ['on: 1', 'a: yEs', 'a: {b: Off}'])
      expect(NEEDS_FULL_PARSER.test(text)).toBe(true);
    expect(YAML11_LOOKALIKE_TEXT.test(SEED)).toBe(false);
    expect(NEEDS_FULL_PARSER.test(SEED)).toBe(false);
  });

  it.each<[string, RegExp]>([
    ['YAML11_LOOKALIKE_TEXT', YAML11_LOOKALIKE_TEXT],
    ...YAML11_LOOKALIKE_FORMS.map((form, i): [string, RegExp] => [
      `YAML11_LOOKALIKE_FORMS[${i}]`,
      form,
    ]),
  ])('%s runs in linear time (recheck)', (_name, form) => {
    expect(checkSync(form.source, form.flags).status).toBe('safe');
  });
});
