/*
 * The workload form against a plain Backstage template form with the same fields, in Chromium:
 *   - time from navigation to an interactive form (the service name field enabled and shown)
 *   - per keystroke: time to the next frame, and the validation our form runs (with the full
 *     union schema) against the scaffolder's own validator on the same union schema
 *   - gzip bytes our plugin adds to the app's bundle, with the largest contributors
 *
 *   source scripts/toolchain.sh && node bench/form.bench.mts [--runs N] [--cold-runs N] [--reuse-builds]
 *
 * It builds the app twice (with and without the plugin, about 2 minutes), starts the e2e stack
 * (local GitHub, backend, both builds at one address: a cookie picks the build) on free ports,
 * and prints the results side by side; the numbers also go to bench/out/form.json. Timings
 * live here, never in tests.
 */
import { chromium, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ALT_APP_COOKIE, REPO_ROOT, startStack } from '../e2e/src/stack.ts';

const OUT = path.join(REPO_ROOT, 'bench/out');
// The app copies are built in a dot directory (TypeScript's and the linters' globs skip it)
// and removed at the end.
const BUILDS = path.join(OUT, '.builds');
const BACKSTAGE_CLI = path.join(
  REPO_ROOT,
  'node_modules/@backstage/cli/bin/backstage-cli',
);
const args = process.argv.slice(2);
const RUNS =
  Number(args[args.indexOf('--runs') + 1]) > 0
    ? Number(args[args.indexOf('--runs') + 1])
    : 7;
const COLD_RUNS =
  Number(args[args.indexOf('--cold-runs') + 1]) > 0
    ? Number(args[args.indexOf('--cold-runs') + 1])
    : 5;
/** Keep the two app builds in bench/out/.builds and use them next time instead of building. */
const REUSE_BUILDS = args.includes('--reuse-builds');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const log = (s: string) => process.stderr.write(`[form bench] ${s}\n`);
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.floor(xs.length * 0.9))
  ];
const ms = (x: number) =>
  x >= 100
    ? `${x.toFixed(0)} ms`
    : x >= 1
      ? `${x.toFixed(1)} ms`
      : `${(x * 1000).toFixed(0)} µs`;
const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

function run(cmd: string, argv: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    child.on('exit', code =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${argv.join(' ')}:\n${out.slice(-3000)}`)),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Bundle: build the app with and without the plugin, attribute gzip bytes to packages.

function packageOf(source: string): string {
  const i = source.lastIndexOf('node_modules/');
  if (i >= 0) {
    const rest = source.slice(i + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (source.includes('plugins/workload-catalog-common/'))
    return '@workload-catalog/plugin-workload-catalog-common';
  if (source.includes('plugins/workload-catalog/'))
    return '@workload-catalog/plugin-workload-catalog';
  if (source.includes('/src/')) return 'app';
  return '(bundler runtime and unmapped)';
}

const B64 = new Map(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map(
    (c, i) => [c, i],
  ),
);

/** Bytes of a generated file per source file, from its source map (as source-map-explorer does). */
function bytesPerSource(
  code: string,
  map: { sources: string[]; mappings: string },
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, n: number) =>
    n > 0 && out.set(key, (out.get(key) ?? 0) + n);
  const lines = code.split('\n');
  let source = 0;
  map.mappings.split(';').forEach((line, l) => {
    const length = (lines[l] ?? '').length;
    let col = 0;
    let prev: { col: number; src?: number } | undefined;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.get(ch)!;
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += fields[0];
      if (fields.length > 1) source += fields[1];
      if (prev)
        add(
          prev.src === undefined ? '' : map.sources[prev.src],
          col - prev.col,
        );
      prev = { col, src: fields.length > 1 ? source : undefined };
    }
    if (prev)
      add(
        prev.src === undefined ? '' : map.sources[prev.src],
        length - prev.col,
      );
  });
  return out;
}

interface BundleSummary {
  totalGzip: number;
  initialGzip: number;
  byPackage: Map<string, number>;
}

/**
 * Gzip bytes of every JS and CSS file of a build, each file's shared among the packages its
 * source map says its bytes come from. "Initial" is what index.html loads.
 */
async function summarize(dist: string): Promise<BundleSummary> {
  const index = await fs.readFile(path.join(dist, 'index.html'), 'utf8');
  const byPackage = new Map<string, number>();
  let totalGzip = 0;
  let initialGzip = 0;
  for (const name of await fs.readdir(path.join(dist, 'static'))) {
    if (!/\.(js|css)$/.test(name)) continue;
    const file = path.join(dist, 'static', name);
    const code = readFileSync(file);
    const gz = gzipSync(code, { level: 9 }).length;
    totalGzip += gz;
    if (index.includes(`static/${name}`)) initialGzip += gz;
    let shares = new Map<string, number>([['', 1]]);
    if (existsSync(`${file}.map`)) {
      shares = bytesPerSource(
        code.toString('utf8'),
        JSON.parse(readFileSync(`${file}.map`, 'utf8')),
      );
    }
    const total = [...shares.values()].reduce((a, b) => a + b, 0);
    for (const [src, n] of shares) {
      const key = packageOf(src);
      byPackage.set(key, (byPackage.get(key) ?? 0) + (gz * n) / total);
    }
  }
  return { totalGzip, initialGzip, byPackage };
}

async function buildApp(dir: string, config: string): Promise<BundleSummary> {
  if (REUSE_BUILDS && existsSync(path.join(dir, 'dist/index.html')))
    return summarize(path.join(dir, 'dist'));
  // backstage-cli itself, not through yarn: yarn refuses a package outside the workspaces.
  await run(
    process.execPath,
    [BACKSTAGE_CLI, 'package', 'build', '--config', config],
    dir,
  );
  return summarize(path.join(dir, 'dist'));
}

/** A copy of packages/app under bench/out: its build leaves packages/app/dist alone. */
async function copyApp(name: string): Promise<string> {
  const dir = path.join(BUILDS, name);
  if (REUSE_BUILDS && existsSync(path.join(dir, 'dist/index.html'))) return dir;
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  for (const part of ['package.json', 'public', 'src']) {
    await fs.cp(
      path.join(REPO_ROOT, 'packages/app', part),
      path.join(dir, part),
      { recursive: true },
    );
  }
  return dir;
}

const WITH_PLUGIN = path.join(BUILDS, 'app-with-plugin');
const WITHOUT_PLUGIN = path.join(BUILDS, 'app-without-plugin');

async function bundleBench() {
  const config = path.join(REPO_ROOT, 'app-config.yaml');
  log(
    'building the app with the plugin (a copy of packages/app in bench/out/.builds)',
  );
  const withPlugin = await buildApp(await copyApp('app-with-plugin'), config);
  log('building the same app without the plugin (bench/out/.builds)');
  const plainDir = await copyApp('app-without-plugin');
  const appFile = path.join(plainDir, 'src/App.tsx');
  // (idempotent: a reused copy has it out already)
  const app = (await fs.readFile(appFile, 'utf8'))
    .replace(/^import workloadCatalogPlugin from .*$/m, '')
    .replace('workloadCatalogPlugin, ', '');
  if (app.includes('workloadCatalogPlugin'))
    throw new Error('could not take the plugin out of App.tsx');
  await fs.writeFile(appFile, app);
  const pkgFile = path.join(plainDir, 'package.json');
  const pkg = JSON.parse(await fs.readFile(pkgFile, 'utf8'));
  delete pkg.dependencies['@workload-catalog/plugin-workload-catalog'];
  // (the name stays "app": backstage-cli looks the package up among the workspaces by name)
  await fs.writeFile(pkgFile, JSON.stringify(pkg, null, 2));
  const without = await buildApp(plainDir, config);
  const keys = new Set([
    ...withPlugin.byPackage.keys(),
    ...without.byPackage.keys(),
  ]);
  const contributors = [...keys]
    .map(k => ({
      package: k,
      addedGzip:
        (withPlugin.byPackage.get(k) ?? 0) - (without.byPackage.get(k) ?? 0),
    }))
    .filter(c => c.addedGzip > 512)
    .sort((a, b) => b.addedGzip - a.addedGzip);
  return {
    withPlugin: {
      totalGzip: withPlugin.totalGzip,
      initialGzip: withPlugin.initialGzip,
    },
    withoutPlugin: {
      totalGzip: without.totalGzip,
      initialGzip: without.initialGzip,
    },
    addedGzip: withPlugin.totalGzip - without.totalGzip,
    addedInitialGzip: withPlugin.initialGzip - without.initialGzip,
    contributors: contributors.slice(0, 12),
  };
}

// ---------------------------------------------------------------------------------------------
// The plain template: the same fields (the generated Ollama JSON Schema and uiSchema, without
// our custom fields) as ordinary template parameters.

function inlineUi(schema: any, ui: any): any {
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = { ...schema };
  for (const [k, v] of Object.entries(ui ?? {})) {
    if (k.startsWith('ui:') && k !== 'ui:field') out[k] = v;
  }
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, child]) => [
        name,
        inlineUi(child, ui?.[name]),
      ]),
    );
  }
  if (schema.items && ui?.items) out.items = inlineUi(schema.items, ui.items);
  return out;
}

async function writePlainTemplate(): Promise<string> {
  const {
    $schema: _s,
    $id: _i,
    title: _t,
    description: _d,
    ...schema
  } = JSON.parse(
    await fs.readFile(
      path.join(REPO_ROOT, 'schemas/ollama-inference-load.schema.json'),
      'utf8',
    ),
  );
  const ui = JSON.parse(
    await fs.readFile(
      path.join(REPO_ROOT, 'schemas/workload-leaf.ui-schema.json'),
      'utf8',
    ),
  ).OLLAMA_INFERENCE_LOAD;
  const template = {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'bench-plain-ollama',
      title: 'Ollama inference service (plain form)',
    },
    spec: {
      owner: 'group:default/platform-team',
      type: 'service',
      parameters: [{ title: 'Ollama service', ...inlineUi(schema, ui) }],
      steps: [
        {
          id: 'validate',
          name: 'Validate',
          action: 'workload:leaf:validate',
          input: { leaf: '${{ parameters }}' },
        },
      ],
    },
  };
  const file = path.join(OUT, 'plain-ollama.template.yaml');
  await fs.writeFile(file, JSON.stringify(template, null, 2)); // JSON is YAML
  return file;
}

// ---------------------------------------------------------------------------------------------
// Browser measurements

const FIELD = 'input[id$="serviceName"]';

interface Load {
  /** Milliseconds from navigation start until the service name field is shown and enabled. */
  total: number;
  /**
   * Milliseconds from the end of the template's parameter schema response (the backend's
   * part, the same for both forms) to that moment: the form's own loading and first render.
   */
  afterSchema: number;
  /** Milliseconds from navigation start until a field near the end (container replicas) is. */
  complete: number;
}

/** A field near the end of the form, shown in both forms when they open. */
const LAST_FIELD = 'input[id$="_container_replicas"]';

async function timeToInteractive(page: Page, url: string): Promise<Load> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    ([first, last]) => {
      const w = window as unknown as { __first?: number; __last?: number };
      const usable = (sel: string) => {
        const el = document.querySelector(sel) as HTMLInputElement | null;
        return !!el && !el.disabled && el.offsetParent !== null;
      };
      const now = performance.now();
      if (w.__first === undefined && usable(first)) w.__first = now;
      if (w.__last === undefined && usable(last)) w.__last = now;
      if (w.__first === undefined || w.__last === undefined) return 0;
      const schemaEnd = Math.max(
        0,
        ...performance
          .getEntriesByType('resource')
          .filter(e => e.name.includes('/parameter-schema'))
          .map(e => (e as PerformanceResourceTiming).responseEnd),
      );
      return {
        total: w.__first,
        afterSchema: w.__first - schemaEnd,
        complete: w.__last,
      };
    },
    [FIELD, LAST_FIELD],
    { polling: 'raf', timeout: 90_000 },
  );
  return (await handle.jsonValue()) as Load;
}

/** Per key: keydown to the frame after React's update; plus our form's validation measures. */
async function keystrokes(page: Page, text: string) {
  await page.evaluate(() => {
    const w = window as any;
    w.__keys = [];
    performance.clearMeasures('workload-catalog:validate');
    document.addEventListener(
      'keydown',
      () => {
        const t0 = performance.now();
        requestAnimationFrame(() =>
          setTimeout(() => w.__keys.push(performance.now() - t0), 0),
        );
      },
      true,
    );
  });
  const input = page.locator(FIELD);
  await input.click();
  await input.fill('');
  await page.waitForTimeout(300);
  await page.evaluate(() => {
    (window as any).__keys = [];
    performance.clearMeasures('workload-catalog:validate');
  });
  for (const ch of text) {
    await page.keyboard.press(ch);
    await page.waitForTimeout(120);
  }
  return page.evaluate(() => ({
    frames: (window as any).__keys as number[],
    validations: performance
      .getEntriesByName('workload-catalog:validate')
      .map(e => e.duration),
  }));
}

type Variant = 'ours' | 'plain' | 'plainNoPlugin';
const VARIANTS: Variant[] = ['ours', 'plain', 'plainNoPlugin'];

async function browserBench(appUrl: string) {
  const browser = await chromium.launch({
    executablePath: execFileSync('sh', ['-c', 'command -v chromium'])
      .toString()
      .trim(),
    args: CHROMIUM_ARGS,
  });
  try {
    const forms: Record<Variant, string> = {
      ours: `${appUrl}/create/templates/default/ollama-inference-service`,
      plain: `${appUrl}/create/templates/default/bench-plain-ollama`,
      plainNoPlugin: `${appUrl}/create/templates/default/bench-plain-ollama`,
    };
    /** A new browser context (empty HTTP cache), signed in as guest; the app build by variant. */
    const signedIn = async (variant: Variant) => {
      const context = await browser.newContext({
        viewport: { width: 1400, height: 1000 },
      });
      if (variant === 'plainNoPlugin') {
        const [name, value] = ALT_APP_COOKIE.split('=');
        await context.addCookies([{ name, value, url: appUrl }]);
      }
      const page = await context.newPage();
      await page.goto(`${appUrl}/`);
      await page.getByRole('button', { name: 'Enter' }).click();
      await page.getByRole('link', { name: 'Create' }).waitFor();
      return { context, page };
    };
    // The catalog has to have the plain template before anything is timed.
    {
      const { context, page } = await signedIn('plain');
      await timeToInteractive(page, forms.plain);
      await context.close();
    }
    // First visits: each in a new browser context, so each loads the scaffolder's chunks and
    // the form fields' chunks itself (signed in first: the app's start chunks are cached).
    const cold: Record<Variant, Load[]> = {
      ours: [],
      plain: [],
      plainNoPlugin: [],
    };
    for (let i = 0; i < COLD_RUNS; i++) {
      for (const v of i % 2 ? [...VARIANTS].reverse() : VARIANTS) {
        const { context, page } = await signedIn(v);
        cold[v].push(await timeToInteractive(page, forms[v]));
        await context.close();
      }
    }
    // Warm loads: the same pages again in one context per build.
    const main = await signedIn('ours');
    const alt = await signedIn('plainNoPlugin');
    const pageOf = (v: Variant) => (v === 'plainNoPlugin' ? alt : main).page;
    for (const v of VARIANTS) await timeToInteractive(pageOf(v), forms[v]);
    const tti: Record<Variant, Load[]> = {
      ours: [],
      plain: [],
      plainNoPlugin: [],
    };
    for (let i = 0; i < RUNS; i++) {
      for (const v of i % 2 ? [...VARIANTS].reverse() : VARIANTS) {
        tti[v].push(await timeToInteractive(pageOf(v), forms[v]));
      }
    }
    const page = main.page;
    const context = main.context;
    const text = 'ollama-inference-bench';
    await timeToInteractive(page, forms.ours);
    const oursKeys = await keystrokes(page, text);
    await timeToInteractive(page, forms.plain);
    const plainKeys = await keystrokes(page, text);

    // Validation alone, in the same browser: the bundle of bench/formValidation.entry.ts.
    const bundle = await build({
      entryPoints: [path.join(REPO_ROOT, 'bench/formValidation.entry.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    });
    const vpage = await context.newPage();
    await vpage.goto('about:blank');
    await vpage.addScriptTag({ content: bundle.outputFiles[0].text });
    const validation = await vpage.evaluate(() =>
      (globalThis as any).formValidationBench(),
    );
    return { cold, tti, oursKeys, plainKeys, validation };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  await fs.mkdir(OUT, { recursive: true });
  const bundle = await bundleBench();
  const plainTemplate = await writePlainTemplate();
  log('starting the stack (local GitHub, backend, app)');
  const stack = await startStack({
    extraTemplates: [plainTemplate],
    appDist: path.join(WITH_PLUGIN, 'dist'),
    altAppDist: path.join(WITHOUT_PLUGIN, 'dist'),
  });
  // The stack serves its own copies.
  if (!REUSE_BUILDS) await fs.rm(BUILDS, { recursive: true, force: true });
  let browser;
  try {
    log(`measuring in Chromium (${RUNS} warm loads of each form)`);
    browser = await browserBench(stack.appUrl);
  } finally {
    await stack.stop();
  }
  const { cold, tti, oursKeys, plainKeys, validation } = browser;
  const rows: string[][] = [
    [
      '',
      'our form (WorkloadConfig)',
      'plain template form',
      'plain form, app without the plugin',
    ],
    ...(
      [
        ['first visit', cold, COLD_RUNS],
        ['warm', tti, RUNS],
      ] as const
    ).flatMap(([visit, loads, n]) => [
      [
        `navigation -> interactive, ${visit}, median of ${n}`,
        ...VARIANTS.map(v => ms(median(loads[v].map(l => l.total)))),
      ],
      [
        `navigation -> interactive, ${visit}, p90 of ${n}`,
        ...VARIANTS.map(v => ms(p90(loads[v].map(l => l.total)))),
      ],
      [
        `schema response -> interactive, ${visit}, median of ${n}`,
        ...VARIANTS.map(v => ms(median(loads[v].map(l => l.afterSchema)))),
      ],
      [
        `navigation -> last field shown, ${visit}, median of ${n}`,
        ...VARIANTS.map(v => ms(median(loads[v].map(l => l.complete)))),
      ],
    ]),
    [
      'keystroke -> next frame, median',
      ms(median(oursKeys.frames)),
      ms(median(plainKeys.frames)),
    ],
    [
      'keystroke -> next frame, p90',
      ms(p90(oursKeys.frames)),
      ms(p90(plainKeys.frames)),
    ],
    [
      'validation per keystroke in the form',
      `${ms(median(oursKeys.validations))} median (${oursKeys.validations.length} runs)`,
      'none (validates on "Next")',
    ],
    [
      `union schema, per validation (${validation.keystrokes} leaves)`,
      `${ms(validation.oursMs)} (validateLeaf)`,
      `${ms(validation.plainSameSchemaMs)} cached / ${ms(validation.plainNewSchemaMs)} new schema object`,
    ],
    [
      'union schema, first validation',
      '-',
      `${ms(validation.plainFirstCompileMs)} (compile)`,
    ],
    [
      'errors for a leaf with 2 mistakes',
      `${validation.invalidLeaf.oursIssues}`,
      `${validation.invalidLeaf.plainErrors}`,
    ],
  ];
  for (const r of rows) while (r.length < rows[0].length) r.push('');
  const width = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
  const out = [
    line(rows[0]),
    `|${width.map(w => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ];
  process.stdout.write(
    `\nForm in Chromium (${execFileSync('sh', ['-c', 'chromium --version 2>/dev/null']).toString().trim()})\n\n${out.join('\n')}\n`,
  );
  if (bundle) {
    process.stdout.write(
      `\nBundle (gzip, all JS and CSS of the app)\n\n` +
        `| app                | total       | loaded at start |\n|--------------------|-------------|-----------------|\n` +
        `| with the plugin    | ${kb(bundle.withPlugin.totalGzip).padEnd(11)} | ${kb(bundle.withPlugin.initialGzip).padEnd(15)} |\n` +
        `| without the plugin | ${kb(bundle.withoutPlugin.totalGzip).padEnd(11)} | ${kb(bundle.withoutPlugin.initialGzip).padEnd(15)} |\n` +
        `| added by it        | ${kb(bundle.addedGzip).padEnd(11)} | ${kb(bundle.addedInitialGzip).padEnd(15)} |\n\n` +
        `Largest contributors to what the plugin adds (gzip of each file shared by its source map):\n` +
        bundle.contributors
          .map(c => `  ${kb(c.addedGzip).padStart(10)}  ${c.package}`)
          .join('\n') +
        '\n',
    );
  }
  await fs.writeFile(
    path.join(OUT, 'form.json'),
    JSON.stringify({ browser, bundle }, null, 2),
  );
  log(
    `numbers written to ${path.relative(REPO_ROOT, path.join(OUT, 'form.json'))}`,
  );
}

main().catch(async e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  await fs.rm(BUILDS, { recursive: true, force: true });
  process.exit(1);
});
