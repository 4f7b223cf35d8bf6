/*
 * Parity of the bytes and the YAML syntax of a leaf file (parity.test.ts compares the
 * values): NUL, invalid UTF-8, a byte-order mark, directives, several documents, duplicate
 * and merge keys, and the YAML 1.1 look-alikes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseLeafFile } from '@workload-catalog/plugin-workload-catalog-common';
import { template } from '../helm';
import { chartOf } from '../paths';

// helm runs real processes; on a busy 2-core machine a test may take a while
jest.setTimeout(180_000);

/**
 * The bytes and the YAML of a leaf file, one verdict: for each case the CLI's verdict
 * (parseLeafFile on the file decoded by Node, a byte-order mark kept and invalid bytes
 * turned into U+FFFD; `workload-catalog validate` decodes strictly and names the first bad
 * byte before parseLeafFile sees the text, packages/cli/src/readLeafFile.ts) and
 * Helm's (the file as the values file of `helm template`). Where Helm can express the rule
 * they agree; where it cannot, the CLI refuses and the test records what Helm makes of it.
 * The catalog repo's CI runs the CLI as a required check (README, security), so what only
 * the CLI refuses never reaches Argo CD.
 */
describe('the bytes and YAML of a leaf file: the CLI and Helm, one verdict', () => {
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
  const text = (s: string) => Buffer.from(s, 'utf8');
  const withContainer = (lines: string) => text(LEAF + lines);

  type ByteCase = {
    name: string;
    bytes: Buffer;
    /** The CLI's message (it refuses every case). */
    cli: RegExp;
  } & (
    | { helm: 'refuses'; helmSays: string }
    | {
        helm: 'accepts';
        /** Why the schema cannot refuse it. */
        why: string;
        /** What Helm renders instead of the CLI's reading. */
        renders: (docs: Record<string, any>[]) => unknown;
        expected: unknown;
      }
  );

  const deployment = (docs: Record<string, any>[]) =>
    docs.find(d => d.kind === 'Deployment')!;
  const env = (docs: Record<string, any>[]) =>
    deployment(docs).spec.template.spec.containers[0].env;

  const CASES: ByteCase[] = [
    {
      name: 'a NUL byte',
      bytes: withContainer('  args: ["a\u0000b"]\n'),
      cli: /a NUL character \(byte 0x00\) at line 8/,
      helm: 'refuses',
      helmSays: 'yaml: control characters are not allowed',
    },
    {
      name: 'invalid UTF-8',
      bytes: Buffer.concat([
        withContainer('  args: ["caf'),
        Buffer.from([0xc3, 0x28]),
        text('"]\n'),
      ]),
      cli: /the replacement character U\+FFFD at line 8.*not valid UTF-8/,
      helm: 'refuses',
      helmSays: 'yaml: invalid trailing UTF-8 octet',
    },
    {
      name: 'a %YAML directive',
      bytes: text(`%YAML 1.1\n---\n${LEAF}`),
      cli: /a YAML directive \("%YAML"\) at line 1/,
      helm: 'refuses',
      helmSays: 'did not find expected <document start>',
    },
    {
      name: 'a %TAG directive',
      bytes: text(`%TAG !e! tag:example.com,2000:\n---\n${LEAF}`),
      cli: /a YAML directive \("%TAG"\) at line 1/,
      helm: 'refuses',
      helmSays: 'did not find expected <document start>',
    },
    {
      name: 'an unquoted on in a list of strings (a boolean to YAML 1.1)',
      bytes: withContainer('  args: [--verbose, on]\n'),
      cli: /write "on" in quotes/,
      helm: 'refuses',
      helmSays: "at '/container/args/1': got boolean, want string",
    },
    {
      name: 'an unquoted y as a string field (serviceName)',
      bytes: text(LEAF.replace('serviceName: svc', 'serviceName: y')),
      cli: /write "y" in quotes/,
      helm: 'refuses',
      helmSays: "at '/serviceName': got boolean, want string",
    },
    {
      name: 'an octal-looking namespace (010: 8 to YAML 1.1)',
      bytes: text(LEAF.replace('namespace: shop', 'namespace: 010')),
      cli: /write "010" in quotes for the text/,
      helm: 'refuses',
      helmSays: "at '/namespace': got number, want string",
    },
    {
      name: 'an unquoted ~ as a value (null)',
      bytes: withContainer('  environment:\n    MODE: ~\n'),
      cli: /write "~" in quotes: unquoted, YAML reads it as null/,
      helm: 'refuses',
      helmSays: "at '/container/environment'",
    },
    {
      name: 'a byte-order mark',
      bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text(LEAF)]),
      cli: /a byte-order mark \(U\+FEFF\) at line 1, column 1/,
      helm: 'accepts',
      why: 'YAML allows a BOM at the start and go-yaml drops it; the CLI keeps leaves plain UTF-8',
      renders: docs => deployment(docs).metadata.name,
      expected: 'svc',
    },
    {
      name: 'several documents',
      bytes: text(`${LEAF}---\nserviceName: other\n`),
      cli: /a leaf file holds one YAML document/,
      helm: 'accepts',
      why: 'Helm merges every document of a values file, the last one winning: a second document silently renames the workload',
      renders: docs => deployment(docs).metadata.name,
      expected: 'other',
    },
    {
      name: 'a duplicate key',
      bytes: withContainer('  replicas: 1\n  replicas: 3\n'),
      cli: /duplicate key: each field may appear only once/,
      helm: 'accepts',
      why: 'go-yaml keeps the last value of a repeated key; JSON Schema sees the parsed mapping only',
      renders: docs => deployment(docs).spec.replicas,
      expected: 3,
    },
    {
      name: 'a merge key',
      bytes: text(
        `${LEAF}ingress:\n  <<: {enabled: true, host: a.example.com}\n`,
      ),
      cli: /unknown field "<<"/,
      helm: 'accepts',
      why: 'YAML 1.1 merge keys are expanded by go-yaml before the schema sees the values; YAML 1.2 has none',
      renders: docs => docs.some(d => d.kind === 'HTTPRoute'),
      expected: true,
    },
    {
      name: 'an octal-looking number (replicas: 010)',
      bytes: withContainer('  replicas: 010\n'),
      cli: /write "010" in quotes for the text, or write a plain number such as 10: unquoted, Helm and Argo CD \(go-yaml, YAML 1.1\) read it as the number 8 and this CLI \(YAML 1.2\) as the number 10/,
      helm: 'accepts',
      why: 'a number either way: the schema sees 8 and cannot know it was written 010 (the CLI reads 10)',
      renders: docs => deployment(docs).spec.replicas,
      expected: 8,
    },
    {
      name: 'a 0o octal (replicas: 0o10)',
      bytes: withContainer('  replicas: 0o10\n'),
      cli: /write "0o10" in quotes for the text, or write a plain number such as 8: unquoted, Helm and Argo CD \(go-yaml\) read it as the number 8, as this CLI \(YAML 1.2\) does, but other YAML 1.1 readers as the text "0o10"/,
      helm: 'accepts',
      why: 'go-yaml parses numbers with Go\'s base prefixes, so 0o10 is 8 to Helm as to the CLI; other YAML 1.1 readers read the text "0o10"',
      renders: docs => deployment(docs).spec.replicas,
      expected: 8,
    },
    {
      name: 'a plus sign (replicas: +1)',
      bytes: withContainer('  replicas: +1\n'),
      cli: /write "\+1" in quotes for the text, or write a plain number such as 1/,
      helm: 'accepts',
      why: 'the number 1 to Helm; YAML readers disagree on a leading "+" (js-yaml reads "+.5" as text)',
      renders: docs => deployment(docs).spec.replicas,
      expected: 1,
    },
    {
      name: 'underscores in a number (1_000)',
      bytes: withContainer('  environment:\n    LIMIT: 1_000\n'),
      cli: /write "1_000" in quotes for the text, or write a plain number such as 1000/,
      helm: 'accepts',
      why: 'an environment value may be a number: Helm reads 1000, the CLI (YAML 1.2) the text "1_000"',
      renders: docs => env(docs).find((e: any) => e.name === 'LIMIT').value,
      expected: '1000',
    },
    {
      name: 'a binary number (0b101)',
      bytes: withContainer('  environment:\n    MASK: 0b101\n'),
      cli: /write "0b101" in quotes for the text, or write a plain number such as 5/,
      helm: 'accepts',
      why: 'an environment value may be a number: Helm reads 5, the CLI the text "0b101"',
      renders: docs => env(docs).find((e: any) => e.name === 'MASK').value,
      expected: '5',
    },
    {
      name: 'a base-60 number (1:20)',
      bytes: withContainer('  args: [1:20]\n'),
      cli: /write "1:20" in quotes for the text, or write a plain number such as 80: unquoted, Helm and Argo CD \(go-yaml\) read it as the text "1:20", as this CLI \(YAML 1.2\) does, but other YAML 1.1 readers as the number 80/,
      helm: 'accepts',
      why: 'go-yaml has no base 60 and reads the text "1:20", as the CLI does; other YAML 1.1 readers read 80',
      renders: docs => deployment(docs).spec.template.spec.containers[0].args,
      expected: ['1:20'],
    },
    {
      name: 'a boolean word as an environment KEY (on)',
      bytes: withContainer('  environment:\n    on: x\n'),
      cli: /container\.environment\.on: write "on" in quotes/,
      helm: 'accepts',
      why: 'the key is the boolean true to YAML 1.1 and becomes the name "true", a valid variable name: the schema cannot see it was written on',
      renders: docs =>
        env(docs)
          .map((e: any) => e.name)
          .filter((n: string) => n === 'true' || n === 'on'),
      expected: ['true'],
    },
  ];

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-bytes-'));

  /** Both verdicts of a case: the CLI's messages, and helm's result on the file. */
  async function verdicts(c: ByteCase) {
    const cli = parseLeafFile(c.bytes.toString('utf8'));
    const file = path.join(dir, `${c.name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
    fs.writeFileSync(file, c.bytes);
    const helm = await template(chartOf('BASIC_CONTAINER_LOAD'), file);
    return {
      cliValid: cli.valid,
      cliSays: cli.issues.map(
        i => `${i.path === '(document)' ? '' : `${i.path}: `}${i.message}`,
      ),
      helm,
    };
  }

  const refused = CASES.flatMap(c => (c.helm === 'refuses' ? [c] : []));
  const acceptedByHelm = CASES.flatMap(c => (c.helm === 'accepts' ? [c] : []));

  it.each(refused.map(c => [c.name, c] as const))(
    'both refuse %s',
    async (_name, c) => {
      const { cliValid, cliSays, helm } = await verdicts(c);
      expect(cliValid).toBe(false);
      expect(cliSays).toContainEqual(expect.stringMatching(c.cli));
      expect(helm.code).not.toBe(0);
      expect(helm.stderr).toContain(c.helmSays);
    },
  );

  it.each(acceptedByHelm.map(c => [c.name, c.why, c] as const))(
    'the CLI refuses %s; Helm accepts it (%s)',
    async (_name, _why, c) => {
      const { cliValid, cliSays, helm } = await verdicts(c);
      expect(cliValid).toBe(false);
      expect(cliSays).toContainEqual(expect.stringMatching(c.cli));
      expect(helm.stderr).toBe('');
      expect(helm.code).toBe(0);
      expect(c.renders(helm.docs)).toEqual(c.expected);
    },
  );
});
