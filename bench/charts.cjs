#!/usr/bin/env node
/*
 * Charts vs CLI: the time to check and render every valid example leaf through Helm
 * (`helm template` with the chart's values.schema.json and render-time checks, then the
 * rendered manifests validated offline against the Kubernetes and CRD schemas), and the
 * CLI's time for the same leaves (`workload-catalog validate`, as a process and in-process).
 *
 *   node bench/charts.cjs [--runs 10]      (npm run bench -- charts)
 *
 * Needs the real helm binary (scripts/toolchain.sh ensure_helm; bench.sh does it).
 */
'use strict';
const { execFileSync, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 10;
const cache = path.join(
  process.env.WORKLOAD_CATALOG_CACHE ||
    path.join(
      process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
      'workload-catalog',
    ),
  'bin',
);
const helmBin = fs.existsSync(path.join(cache, 'helm'))
  ? path.join(cache, 'helm')
  : 'helm';

function leaves(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...leaves(full));
    else if (/\.ya?ml$/.test(e.name)) out.push(full);
  }
  return out.sort();
}
const files = leaves(path.join(root, 'examples/catalog/valid'));
const chartOf = file => {
  const type = /^workloadType:\s*(\S+)/m.exec(fs.readFileSync(file, 'utf8'))[1];
  return path.join(root, 'charts', type.toLowerCase().replace(/_/g, '-'));
};

const ms = ns => Number(ns) / 1e6;
const now = () => process.hrtime.bigint();
function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = p => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9), min: s[0] };
}

function helmTemplate(file) {
  return new Promise((resolve, reject) =>
    execFile(
      helmBin,
      ['template', 'bench', chartOf(file), '-f', file],
      { maxBuffer: 1 << 26, env: { ...process.env, HELM_LOG_LEVEL: 'error' } },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    ),
  );
}

async function main() {
  require(path.join(root, 'node_modules/sucrase/register/ts'));
  const { parseAllDocuments } = require(path.join(root, 'node_modules/yaml'));
  const common = require(
    path.join(root, 'plugins/workload-catalog-common/src/index.ts'),
  );
  const texts = files.map(f => fs.readFileSync(f, 'utf8'));
  const validator = path.join(
    root,
    'test-infra/chart-tests/src/k8s/validate-k8s.mjs',
  );

  const rows = {
    sequential: [],
    parallel: [],
    k8s: [],
    cliProcess: [],
    cliInProcess: [],
  };
  let docsCount = 0;
  for (let r = 0; r < runs; r++) {
    let t = now();
    const outputs = [];
    for (const f of files) outputs.push(await helmTemplate(f));
    rows.sequential.push(ms(now() - t));

    t = now();
    const queue = [...files];
    await Promise.all(
      Array.from({ length: os.cpus().length }, async () => {
        while (queue.length) await helmTemplate(queue.shift());
      }),
    );
    rows.parallel.push(ms(now() - t));

    const docs = outputs.flatMap(o =>
      parseAllDocuments(o)
        .map(d => d.toJS())
        .filter(Boolean),
    );
    docsCount = docs.length;
    t = now();
    const result = JSON.parse(
      execFileSync(process.execPath, [validator], {
        input: JSON.stringify(docs),
        maxBuffer: 1 << 26,
      }).toString(),
    );
    rows.k8s.push(ms(now() - t));
    if (result.some(x => x.errors.length))
      throw new Error(
        `invalid manifests: ${JSON.stringify(result.filter(x => x.errors.length))}`,
      );

    t = now();
    execFileSync(process.execPath, [
      path.join(root, 'packages/cli/bin/workload-catalog'),
      'validate',
      '-q',
      ...files,
    ]);
    rows.cliProcess.push(ms(now() - t));

    t = now();
    for (const text of texts) {
      if (!common.parseLeafFile(text).valid)
        throw new Error('an example leaf is invalid');
    }
    rows.cliInProcess.push(ms(now() - t));
  }

  const line = (label, samples, per = files.length) => {
    const s = stats(samples);
    console.log(
      `${label.padEnd(58)} ${s.median.toFixed(1).padStart(8)} ms ${s.p90.toFixed(1).padStart(8)} ms ${(s.median / per).toFixed(2).padStart(8)} ms`,
    );
  };
  console.log(
    `${files.length} valid example leaves (${docsCount} rendered manifests), ${runs} runs, ${os.cpus().length} cores, helm ${execFileSync(helmBin, ['version', '--short']).toString().trim()}`,
  );
  console.log(
    `${'all leaves'.padEnd(58)} ${'median'.padStart(11)} ${'p90'.padStart(11)} ${'per leaf'.padStart(11)}`,
  );
  line('Helm: helm template each leaf, one after another', rows.sequential);
  line(`Helm: helm template, ${os.cpus().length} in parallel`, rows.parallel);
  line('Helm: rendered manifests vs Kubernetes 1.35 + CRD schemas', rows.k8s);
  line(
    'CLI: workload-catalog validate (one process, all leaves)',
    rows.cliProcess,
  );
  line(
    'CLI: parseLeafFile in-process (YAML + zod + positions)',
    rows.cliInProcess,
  );
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
