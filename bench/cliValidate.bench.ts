/*
 * `workload-catalog validate` on 10,000 generated leaves, against the anchor a catalog repo
 * would otherwise use: a plain loop of `yaml.parse` + ajv with the generated JSON Schema
 * (bench/lib/plainYamlAjv.cjs). Both run as separate processes on the same files, so
 * start-up (loading zod or compiling the ajv schema) counts for both. Prints leaves/second,
 * the ratio, and each process's peak memory at 1/10 and at the full count (memory that does
 * not grow with the number of files is the goal).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { arbitraryLeaf } from '@workload-catalog/plugin-workload-catalog-common/testUtils';
import { printLeaf } from '@workload-catalog/plugin-workload-catalog-common';

const root = path.resolve(__dirname, '..');
const { values } = parseArgs({
  options: {
    leaves: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
  },
});
const total = Number(values.leaves);
const runs = Number(values.runs);

/** Writes `count` valid leaves (fixed seed) in the catalog repo layout, once per count. */
function corpus(count: number): string {
  const dir = path.join(os.tmpdir(), `wc-bench-leaves-${count}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const leaves = fc.sample(arbitraryLeaf(), { numRuns: count, seed: 20261127 });
  leaves.forEach((leaf, i) => {
    const named = { ...leaf, serviceName: `svc-${i}` };
    const file = path.join(
      dir,
      'catalog',
      named.serviceCatalog,
      named.environment,
      `${named.serviceName}.yaml`,
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, printLeaf(named));
  });
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

interface Sample {
  ms: number;
  /** peak resident set size */
  rssMiB: number;
  /** heap still in use after a full GC at exit: what the process retains */
  liveMiB: number;
  code: number | null;
}

function measure(args: string[]): Sample {
  const rssFile = path.join(os.tmpdir(), `wc-bench-rss-${process.pid}`);
  const start = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--require', path.join(__dirname, 'lib/rss.cjs'), ...args],
    {
      cwd: root,
      env: { ...process.env, WC_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const [rss, live] = fs.readFileSync(rssFile, 'utf8').split(' ').map(Number);
  return { ms, rssMiB: rss / 1024, liveMiB: live / 1024, code: r.status };
}

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const tools = {
  'workload-catalog validate': (dir: string) => [
    path.join(root, 'packages/cli/bin/workload-catalog'),
    'validate',
    '-q',
    dir,
  ],
  'yaml.parse + ajv (anchor)': (dir: string) => [
    path.join(__dirname, 'lib/plainYamlAjv.cjs'),
    dir,
  ],
};

const tenth = Math.max(1, Math.round(total / 10));
const small = corpus(tenth);
const big = corpus(total);
type Row = { ms: number; rss: [number, number]; live: [number, number] };
const results: Record<string, Row> = {};
for (const [name, argv] of Object.entries(tools)) {
  measure(argv(small)); // warm the file cache
  const bigRuns = Array.from({ length: runs }, () => measure(argv(big)));
  if (bigRuns.some(s => s.code !== 0)) {
    throw new Error(`${name} did not accept the generated leaves`);
  }
  const smallRuns = Array.from({ length: runs }, () => measure(argv(small)));
  results[name] = {
    ms: median(bigRuns.map(s => s.ms)),
    rss: [
      median(smallRuns.map(s => s.rssMiB)),
      median(bigRuns.map(s => s.rssMiB)),
    ],
    live: [
      median(smallRuns.map(s => s.liveMiB)),
      median(bigRuns.map(s => s.liveMiB)),
    ],
  };
}

const [ours, anchor] = Object.values(results);
const mib = (n: number) => `${n.toFixed(n < 20 ? 1 : 0)}`;
const table = [
  [
    'tool',
    'wall',
    'leaves/s',
    `peak RSS MiB ${tenth} -> ${total}`,
    `retained heap MiB ${tenth} -> ${total}`,
  ],
  ...Object.entries(results).map(([name, r]) => [
    name,
    `${(r.ms / 1000).toFixed(2)} s`,
    String(Math.round((total / r.ms) * 1000)),
    `${mib(r.rss[0])} -> ${mib(r.rss[1])}`,
    `${mib(r.live[0])} -> ${mib(r.live[1])}`,
  ]),
];
const widths = table[0].map(
  (_, c) => Math.max(...table.map(row => row[c].length)) + 2,
);
console.log(
  `\nValidating ${total} generated leaves (${os.cpus().length} cores, Node ${process.version}, median of ${runs} runs)\n`,
);
for (const row of table)
  console.log(row.map((cell, c) => cell.padEnd(widths[c])).join(''));
console.log(
  `\nratio (ours / anchor, leaves per second): ${(anchor.ms / ours.ms).toFixed(2)}x`,
);
console.log(
  `goal: >= 1.00x, ${total} leaves in < 3 s, retained memory flat from ${tenth} to ${total} leaves`,
);
console.log(
  'peak RSS includes garbage V8 has not collected yet; retained heap is what is still in use after a full GC',
);
