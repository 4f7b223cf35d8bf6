/*
 * Hostile leaves: what a leaf parser meets when someone tries to make it slow. Each case is
 * generated to about 1 MB (--kib), then parsed and validated in-process with
 * `parseLeafFile` (the CLI's, the scaffolder action's and the catalog module's parser), the
 * size limit raised above the file so the parser sees all of it (with the default 256 KiB
 * limit each one is refused after one read). Prints the time per file and per KiB, the
 * verdict, and the worst of each against the goal: no 1 MB input over 1 s. Then runs
 * `workload-catalog validate` over all of them as one process and prints its output size
 * (bounded: at most 50 problems a file, 1,000 a run).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseLeafFile } from '@workload-catalog/plugin-workload-catalog-common';

const root = path.resolve(__dirname, '..');
const { values } = parseArgs({
  options: {
    kib: { type: 'string', default: '1024' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const target = Number(values.kib) * 1024;
const runs = Number(values.runs);

const SEED = fs.readFileSync(
  path.join(root, 'examples/catalog/valid/ml-inference/dev/ollama-phi.yaml'),
  'utf8',
);

/** `unit` repeated until the result is about `bytes` long. */
const fill = (unit: string, bytes = target) =>
  unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
/** Lines from `line(i)` until about `bytes`. */
function lines(line: (i: number) => string, bytes = target): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = `${line(i)}\n`;
    out.push(l);
    size += l.length;
  }
  return out.join('');
}
const seedWith = (extra: string) => `${SEED}${extra}`;
const pad = (i: number) => String(i).padStart(6, '0');

const CASES: [string, () => string][] = [
  ['one line of "["', () => `x: ${fill('[')}\n`],
  ['one line of "{"', () => `x: ${fill('{')}\n`],
  [
    '"[" closed: [[[...]]]',
    () => `x: ${fill('[', target / 2)}${fill(']', target / 2)}\n`,
  ],
  [
    '"{a: " nested',
    () => `x: ${fill('{a: ', target / 2)}1${fill('}', target / 8)}\n`,
  ],
  [
    'block nesting (indent)',
    () => lines(i => `${' '.repeat(Math.min(i, 2000))}a${i}:`),
  ],
  [
    '25,000 unknown keys',
    () => seedWith(lines(i => `unknown${pad(i)}: 1`, 25000 * 15)),
  ],
  [
    'unknown keys to the size',
    () => seedWith(lines(i => `unknown_key_${pad(i)}: 1`)),
  ],
  [
    '25,000 unknown nested keys',
    () => seedWith(`extra:\n${lines(i => `  k${pad(i)}: 1`, 25000 * 13)}`),
  ],
  ['many duplicate keys', () => seedWith(lines(() => 'serviceName: x'))],
  [
    'many environment variables',
    () => seedWith(`  environment:\n${lines(i => `    VAR_${pad(i)}: "v"`)}`),
  ],
  [
    'environment list items',
    () =>
      seedWith(
        `  environment:\n${lines(i => `    - { name: V${pad(i)}, value: "v" }`)}`,
      ),
  ],
  ['many list items (flow)', () => `x: [${fill('1,')}1]\n`],
  ['many list items (block)', () => `x:\n${lines(() => '  - 1')}`],
  ['many aliases', () => `a: &a [1]\nb: [${fill('*a,')}*a]\n`],
  [
    'alias bomb (laughs)',
    () => {
      let s = 'l0: &l0 [x,x,x,x,x,x,x,x,x,x]\n';
      for (let i = 1; i < 40; i++)
        s += `l${i}: &l${i} [${Array(10)
          .fill(`*l${i - 1}`)
          .join(',')}]\n`;
      return s;
    },
  ],
  ['many anchors', () => `x: [${fill('&a 1,')}1]\n`],
  ['many tags', () => `x: [${fill('!t 1,')}1]\n`],
  [
    'long plain string',
    () =>
      `${SEED.replace('serviceName: ollama-phi', `serviceName: ${fill('a')}`)}`,
  ],
  [
    'long quoted string',
    () =>
      SEED.replace('serviceName: ollama-phi', `serviceName: "${fill('a')}"`),
  ],
  ['long key', () => `${fill('k')}: 1\n`],
  ["quotes: one line of '", () => `x: ${fill("'")}\n`],
  ['quotes: one line of "', () => `x: ${fill('"')}\n`],
  ['backslashes in "..."', () => `x: "${fill('\\\\')}"\n`],
  ['escapes \\u in "..."', () => `x: "${fill('\\u00e9')}"\n`],
  ["'' escapes in '...'", () => `x: '${fill("''")}'\n`],
  ['huge integer', () => SEED.replace('count: 1', `count: ${fill('9')}`)],
  [
    'huge float exponent',
    () => SEED.replace('count: 1', `count: 1e${fill('9', 1000)}`),
  ],
  [
    'huge quantity',
    () => SEED.replace('memory: "4Gi"', `memory: "${fill('9')}Gi"`),
  ],
  ['many documents', () => fill('---\n')],
  ['many comments', () => seedWith(lines(i => `# comment ${i}`))],
  ['one long comment', () => seedWith(`# ${fill('x')}\n`)],
  ['blank lines', () => seedWith(fill('\n'))],
  ['spaces at line ends', () => seedWith(lines(() => `${' '.repeat(200)}`))],
  ['colons and dashes', () => `x: ${fill('- : ')}\n`],
  ['many flow mappings', () => `x: [${fill('{a: 1},')}{}]\n`],
  [
    'non-ASCII text',
    () => SEED.replace('serviceName: ollama-phi', `serviceName: ${fill('é')}`),
  ],
  // Just under the structure bound (20,000 newlines, commas, colons and quotes), each
  // padded to the size: the most an attacker gets past the bound to the parsers.
  [
    'bound: 9,900 unknown keys',
    () =>
      seedWith(
        lines(i => `unknown_${pad(i)}_${'x'.repeat(90)}: 1`, target)
          .split('\n')
          .slice(0, 9900)
          .join('\n'),
      ),
  ],
  [
    'bound: 19,900 flow items',
    () =>
      `x: [${Array.from({ length: 19900 }, () => 'a'.repeat(50)).join(',')}]\n`,
  ],
  [
    'bound: 19,900 "- :"',
    () =>
      `x: ${Array.from({ length: 19900 }, () => `- :${' '.repeat(48)}`).join('')}\n`,
  ],
  [
    'bound: 19,900 quotes',
    () =>
      `x: ${Array.from({ length: 19900 }, () => `"${' '.repeat(50)}`).join('')}\n`,
  ],
  [
    'bound: 19,900 tags',
    () =>
      `x: [${Array.from({ length: 19900 }, (_, i) => `!t${i}${'a'.repeat(40)} 1`).join(',')}]\n`,
  ],
  [
    'bound: 19,900 aliases',
    () =>
      `a: &a 1\nx: [${Array.from({ length: 19900 }, () => `*a${' '.repeat(48)}`).join(',')}]\n`,
  ],
  [
    'bound: 9,900 env variables',
    () =>
      seedWith(
        `  environment:\n${Array.from({ length: 9900 }, (_, i) => `    V${pad(i)}${'X'.repeat(90)}: 1`).join('\n')}\n`,
      ),
  ],
];

const cases = CASES.filter(
  ([name]) => !values.only || name.includes(values.only),
);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-bench-hostile-'));
const options = { maxBytes: 4 * target };

interface Row {
  name: string;
  kib: number;
  ms: number;
  verdict: string;
}
const rows: Row[] = [];
for (const [i, [name, make]] of cases.entries()) {
  const text = make();
  fs.writeFileSync(path.join(dir, `${String(i).padStart(2, '0')}.yaml`), text);
  let best = Infinity;
  let verdict = '';
  for (let r = 0; r < runs; r++) {
    const started = process.hrtime.bigint();
    const result = parseLeafFile(text, options);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    best = Math.min(best, ms);
    verdict = result.valid
      ? 'valid'
      : `${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}: ${result.issues[0].message}`;
  }
  const kib = Buffer.byteLength(text) / 1024;
  rows.push({ name, kib, ms: best, verdict });
  console.log(
    `${name.padEnd(30)} ${kib.toFixed(0).padStart(6)} KiB ${best.toFixed(1).padStart(9)} ms ${((best * 1000) / kib).toFixed(1).padStart(8)} µs/KiB  ${verdict.slice(0, 90)}`,
  );
}

const worstFile = rows.reduce((a, b) => (b.ms > a.ms ? b : a));
// per KiB over the files of at least 64 KiB: a 2 KiB file's fixed costs say nothing per KiB
const sizable = rows.filter(r => r.kib >= 64);
const worstKib = sizable.reduce((a, b) =>
  b.ms / b.kib > a.ms / a.kib ? b : a,
);
const goalMsPerKib = 1000 / 1024;
console.log(
  `\nworst per file: ${worstFile.ms.toFixed(0)} ms (${worstFile.name}, ${worstFile.kib.toFixed(0)} KiB)   goal: under 1000 ms for 1 MB`,
);
console.log(
  `worst per KiB:  ${((worstKib.ms * 1000) / worstKib.kib).toFixed(0)} µs (${worstKib.name}; files of 64 KiB or more)   goal: under ${(goalMsPerKib * 1000).toFixed(0)} µs`,
);

// The CLI over all of them, as a catalog repo's CI would run it: output stays bounded.
const cli = spawnSync(
  process.execPath,
  [
    path.join(root, 'packages/cli/bin/workload-catalog'),
    'validate',
    '--max-leaf-kib',
    String(Math.ceil((4 * target) / 1024)),
    dir,
  ],
  { encoding: 'utf8', maxBuffer: 1 << 30 },
);
console.log(
  `\nworkload-catalog validate over the ${cases.length} files: exit ${cli.status}, ${(Buffer.byteLength(cli.stdout) / 1024).toFixed(1)} KiB of output, ${cli.stdout.split('\n').length - 1} lines; ${cli.stderr.trim()}`,
);
fs.rmSync(dir, { recursive: true, force: true });
const failed = worstFile.ms > 1000 * (target / (1024 * 1024));
process.exitCode = failed ? 1 : 0;
