/*
 * The root README's "Add Workload Catalog to your Backstage" section, applied to a Backstage
 * app: the README is the install guide and this file only executes it, so the guide cannot
 * drift from what the fresh-app test proves.
 *
 * In that section:
 *   - every `sh` block is run in the app's root, one `yarn ...` command a line (any other
 *     command is refused: the guide must stay something a person types);
 *   - a block whose info string names a file (```ts packages/backend/src/index.ts) is applied
 *     to that file: TypeScript is inserted before `backend.start()`, YAML is merged into the
 *     file (maps merged key by key, lists appended to the app's own);
 *   - blocks without a file name (the legacy frontend wiring, examples) are only shown.
 *
 * With `tarballs` (the fresh-app test) the packages come from `yarn pack` tarballs instead of
 * the registry. Nothing else differs from what a platform team does.
 *
 * usage: node e2e/fresh-app/installGuide.ts APP_DIR [TARBALL_DIR]   (scripts/install-into-app.sh)
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const GUIDE_HEADING = '## Add Workload Catalog to your Backstage';

export interface GuideBlock {
  lang: string;
  /** The file the block is applied to (relative to the app root), when its info string names one. */
  file?: string;
  code: string;
  /** 1-based line of the opening fence in the README. */
  line: number;
}

/** The fenced code blocks of the README's install section, in order. */
export function readInstallGuide(
  readme = path.join(REPO_ROOT, 'README.md'),
): GuideBlock[] {
  const lines = readFileSync(readme, 'utf8').split('\n');
  const start = lines.indexOf(GUIDE_HEADING);
  if (start < 0) throw new Error(`${readme}: no "${GUIDE_HEADING}" section`);
  const blocks: GuideBlock[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].startsWith('## ')) break;
    const fence = lines[i].match(/^```(\S+)(?:\s+(\S+))?\s*$/);
    if (!fence) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j] !== '```'; j++) body.push(lines[j]);
    if (j === lines.length)
      throw new Error(`${readme}:${i + 1}: code block never closed`);
    blocks.push({
      lang: fence[1],
      file: fence[2],
      code: body.join('\n') + '\n',
      line: i + 1,
    });
    i = j;
  }
  if (!blocks.some(b => b.lang === 'sh'))
    throw new Error(`${readme}: the install section has no sh block`);
  return blocks;
}

/** `name` → absolute path of its tarball, for every `*.tgz` that `yarn pack` wrote in `dir`. */
export function tarballsIn(dir: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
    const full = path.resolve(dir, file);
    const pkg = spawnSync('tar', ['-xzOf', full, 'package/package.json'], {
      encoding: 'utf8',
    });
    if (pkg.status !== 0)
      throw new Error(`${full}: no package/package.json (${pkg.stderr})`);
    map.set(JSON.parse(pkg.stdout).name, full);
  }
  if (map.size === 0) throw new Error(`${dir}: no *.tgz tarballs`);
  return map;
}

export interface ApplyOptions {
  /** Install our packages from these tarballs (name → path) instead of the registry. */
  tarballs?: Map<string, string>;
  /** Prints each step (default: to stderr). */
  log?: (line: string) => void;
  /** Environment of the yarn commands. */
  env?: NodeJS.ProcessEnv;
  /** Where the yarn commands' output goes (default: this process's stdout and stderr). */
  outputFile?: string;
}

/** Applies the README's install section to the Backstage app in `appDir`. */
export function applyInstallGuide(
  appDir: string,
  options: ApplyOptions = {},
  blocks: GuideBlock[] = readInstallGuide(),
): void {
  const log = options.log ?? (l => process.stderr.write(`${l}\n`));
  if (options.tarballs) pinToTarballs(appDir, options.tarballs);
  for (const block of blocks) {
    const where = `README.md:${block.line}`;
    if (block.lang === 'sh' && !block.file) {
      for (const command of block.code.split('\n').filter(l => l.trim())) {
        runYarn(appDir, command, where, options, log);
      }
    } else if (block.file && /^(ts|tsx)$/.test(block.lang)) {
      insertBeforeStart(path.join(appDir, block.file), block.code, where);
      log(`${where}: inserted into ${block.file}`);
    } else if (block.file && block.lang === 'yaml') {
      mergeYaml(path.join(appDir, block.file), block.code, where);
      log(`${where}: merged into ${block.file}`);
    } else if (block.file) {
      throw new Error(
        `${where}: cannot apply a ${block.lang} block to ${block.file}`,
      );
    }
  }
}

/** Test only: every @workload-catalog/* package (also the dependencies) from its tarball. */
function pinToTarballs(appDir: string, tarballs: Map<string, string>) {
  const file = path.join(appDir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  pkg.resolutions = { ...pkg.resolutions };
  for (const [name, tgz] of tarballs) pkg.resolutions[name] = `file:${tgz}`;
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

function runYarn(
  appDir: string,
  command: string,
  where: string,
  options: ApplyOptions,
  log: (line: string) => void,
) {
  const words = command.trim().split(/\s+/);
  if (words[0] !== 'yarn')
    throw new Error(
      `${where}: only yarn commands belong in the install guide, got: ${command}`,
    );
  const args = words.slice(1).map(word => {
    const tgz = options.tarballs?.get(word);
    if (tgz) return `${word}@file:${tgz}`;
    if (options.tarballs && word.startsWith('@workload-catalog/'))
      throw new Error(
        `${where}: ${word} is not one of the packed packages (${[...options.tarballs.keys()].join(', ')})`,
      );
    return word;
  });
  log(`${where}: ${command}`);
  const output = options.outputFile ? 'pipe' : 'inherit';
  const result = spawnSync('yarn', args, {
    cwd: appDir,
    stdio: ['ignore', output, output],
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (options.outputFile)
    appendFileSync(options.outputFile, `$ ${command}\n${text}`);
  if (result.status !== 0)
    throw new Error(
      `${where}: \`${command}\` failed in ${appDir} (exit ${result.status ?? result.signal}):\n${text.slice(-3000)}`,
    );
}

/** Inserts `code` before the backend's `backend.start()` (once: a second run changes nothing). */
export function insertBeforeStart(file: string, code: string, where: string) {
  if (!existsSync(file)) throw new Error(`${where}: ${file} does not exist`);
  const text = readFileSync(file, 'utf8');
  if (text.includes(code.trim())) return;
  const at = text.search(/^backend\.start\(\);?\s*$/m);
  if (at < 0)
    throw new Error(`${where}: ${file} has no \`backend.start()\` line`);
  writeFileSync(file, `${text.slice(0, at)}${code}\n${text.slice(at)}`);
}

/** Merges a YAML block into a YAML file: maps key by key, lists appended, comments kept. */
export function mergeYaml(file: string, code: string, where: string) {
  if (!existsSync(file)) throw new Error(`${where}: ${file} does not exist`);
  const target = parseDocument(readFileSync(file, 'utf8'));
  const block = parseDocument(code);
  for (const doc of [target, block]) {
    if (doc.errors.length)
      throw new Error(`${where}: ${doc.errors[0].message}`);
  }
  if (!isMap(block.contents) || !isMap(target.contents))
    throw new Error(`${where}: both the block and ${file} must be YAML maps`);
  mergeMaps(target.contents, block.contents);
  writeFileSync(
    file,
    target.toString({ flowCollectionPadding: false, lineWidth: 0 }),
  );
}

function mergeMaps(into: YAMLMap, from: YAMLMap) {
  for (const pair of from.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    const existing = into.get(key, true);
    if (isMap(existing) && isMap(pair.value)) {
      mergeMaps(existing, pair.value);
    } else if (isSeq(existing) && isSeq(pair.value)) {
      const have = new Set(existing.items.map(i => JSON.stringify(toJson(i))));
      for (const item of pair.value.items) {
        if (!have.has(JSON.stringify(toJson(item)))) existing.items.push(item);
      }
    } else {
      into.set(key, pair.value);
    }
  }
}

const toJson = (node: unknown) =>
  (node as { toJSON?: () => unknown })?.toJSON?.() ?? node;

/** What the README's frontend snippets use without importing it (an App.tsx or EntityPage.tsx has it). */
const SNIPPET_CONTEXT = `import { Grid } from '@material-ui/core';
import { Route } from 'react-router-dom';
import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { EntityLayout, EntitySwitch } from '@backstage/plugin-catalog';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { ScaffolderPage } from '@backstage/plugin-scaffolder';
import { ScaffolderFieldExtensions } from '@backstage/plugin-scaffolder-react';
`;

/**
 * One TSX module made of the install section's frontend snippets that are shown but not
 * applied (the new frontend system's feature list, the legacy App.tsx and EntityPage.tsx
 * wiring): their imports on top, each snippet's code in a function of its own. Type-checked
 * in an app that has our packages installed, it fails when a snippet names an export we do
 * not have or passes a wrong prop.
 */
export function frontendSnippetsModule(
  blocks: GuideBlock[] = readInstallGuide(),
): string {
  const importRe = /^import[\s\S]*?from\s+'[^']+';[ \t]*$/gm;
  const imports: string[] = [];
  const bodies: string[] = [];
  for (const block of blocks.filter(b => b.lang === 'tsx' && !b.file)) {
    imports.push(...(block.code.match(importRe) ?? []));
    const body = block.code
      .replace(importRe, '')
      .replace(/^export default /m, '')
      .trim();
    bodies.push(
      `// README.md:${block.line}\nexport function snippet${bodies.length + 1}() {\n${body}\n}\n`,
    );
  }
  if (bodies.length === 0)
    throw new Error(
      'README.md: the install section has no frontend (tsx) snippets',
    );
  return `// Generated by the fresh-app test from the README's install section.\n${SNIPPET_CONTEXT}${[...new Set(imports)].join('\n')}\n\n${bodies.join('\n')}`;
}

/** The install section's backend snippets shown but not applied (whole modules, e.g. a permission policy). */
export function backendSnippetModules(
  blocks: GuideBlock[] = readInstallGuide(),
): Array<{ line: number; code: string }> {
  return blocks
    .filter(b => b.lang === 'ts' && !b.file)
    .map(b => ({
      line: b.line,
      code: `// Generated by the fresh-app test from README.md:${b.line}.\n${b.code}`,
    }));
}

/**
 * Where each plugin's README disagrees with the root README's install section: it must give
 * the same `yarn --cwd DIR add NAME` line for its package, and the same `backend.add(...)`
 * statement when the root section has one for it. Returns one line per problem.
 */
export function pluginReadmeProblems(
  blocks: GuideBlock[] = readInstallGuide(),
): string[] {
  const squash = (text: string) => text.replace(/\s+/g, '');
  const plugins = new Map<string, string>();
  const pluginsDir = path.join(REPO_ROOT, 'plugins');
  for (const dir of readdirSync(pluginsDir)) {
    const pkg = path.join(pluginsDir, dir, 'package.json');
    if (existsSync(pkg))
      plugins.set(
        JSON.parse(readFileSync(pkg, 'utf8')).name,
        path.join(pluginsDir, dir),
      );
  }
  const backendCode = squash(
    blocks
      .filter(b => b.file === 'packages/backend/src/index.ts')
      .map(b => b.code)
      .join('\n'),
  );
  const problems: string[] = [];
  for (const block of blocks.filter(b => b.lang === 'sh' && !b.file)) {
    for (const line of block.code.split('\n')) {
      const m = line.trim().match(/^yarn --cwd (\S+) add (.+)$/);
      if (!m) continue;
      for (const name of m[2].split(/\s+/)) {
        const dir = plugins.get(name);
        if (!dir) {
          problems.push(
            `README.md:${block.line}: ${name} is not a package in plugins/`,
          );
          continue;
        }
        const readmePath = path.relative(
          REPO_ROOT,
          path.join(dir, 'README.md'),
        );
        const readme = existsSync(path.join(dir, 'README.md'))
          ? readFileSync(path.join(dir, 'README.md'), 'utf8')
          : '';
        const command = `yarn --cwd ${m[1]} add ${name}`;
        if (!readme.split('\n').some(l => l.trim() === command))
          problems.push(`${readmePath}: no install line \`${command}\``);
        const statement = `backend.add(import('${name}'));`;
        if (
          backendCode.includes(squash(statement)) &&
          !squash(readme).includes(squash(statement))
        )
          problems.push(`${readmePath}: no \`${statement}\``);
      }
    }
  }
  return problems;
}

if (import.meta.main) {
  const [appDir, tarballDir] = process.argv.slice(2);
  if (!appDir || !existsSync(path.join(appDir, 'backstage.json'))) {
    process.stderr.write(
      'usage: install-into-app.sh APP_DIR [TARBALL_DIR]\n  APP_DIR: the root of a Backstage app (it has backstage.json)\n  TARBALL_DIR: install our packages from the *.tgz files `yarn pack` wrote there\n',
    );
    process.exit(2);
  }
  applyInstallGuide(path.resolve(appDir), {
    tarballs: tarballDir ? tarballsIn(tarballDir) : undefined,
  });
}
