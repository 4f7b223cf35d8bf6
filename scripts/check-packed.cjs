#!/usr/bin/env node
/*
 * Checks packed tarballs (`yarn pack` of a published package, after its build): every file the
 * packed package.json names (main, module, types, browser, bin, exports, typesVersions,
 * configSchema) is in the tarball, no entry point still names src/, and every `files` entry
 * matched something. Usage: node scripts/check-packed.cjs TARBALL...
 * Exit 0 when all are complete, 1 with one line per missing file otherwise, 2 on a usage error.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

function listTarball(file) {
  return execFileSync('tar', ['-tzf', file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\n')
    .filter(Boolean)
    .map(entry => entry.replace(/^package\//, ''));
}

function readPackageJson(file) {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', file, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
}

/** exports without the `backstage` conditions (they name a feature type, not a file). */
function stripFeatureConditions(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'backstage')
      .map(([key, v]) => [key, stripFeatureConditions(v)]),
  );
}

/** Every [field, path] pair the package.json names as a file of the package. */
function namedFiles(pkg) {
  const out = [];
  for (const field of ['main', 'module', 'types', 'typings', 'browser']) {
    if (typeof pkg[field] === 'string') out.push([field, pkg[field]]);
  }
  if (typeof pkg.bin === 'string') out.push(['bin', pkg.bin]);
  else
    for (const [name, p] of Object.entries(pkg.bin ?? {}))
      out.push([`bin.${name}`, p]);
  if (typeof pkg.configSchema === 'string')
    out.push(['configSchema', pkg.configSchema]);
  const walk = (value, where) => {
    if (typeof value === 'string') out.push([where, value]);
    else if (Array.isArray(value))
      value.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`);
  };
  walk(stripFeatureConditions(pkg.exports), 'exports');
  walk(pkg.typesVersions, 'typesVersions');
  // patterns (exports "./*") name no single file
  return out.filter(([, p]) => !p.includes('*'));
}

function check(file) {
  const entries = listTarball(file);
  const have = new Set(entries);
  const pkg = readPackageJson(file);
  const problems = [];
  for (const [field, p] of namedFiles(pkg)) {
    const rel = path.posix.normalize(p).replace(/^\.\//, '');
    if (/^src\//.test(rel)) problems.push(`${field} names ${p}, a source file`);
    else if (!have.has(rel))
      problems.push(`${field} names ${p}, which is not in the tarball`);
  }
  for (const pattern of pkg.files ?? []) {
    const rel = path.posix
      .normalize(pattern)
      .replace(/^\.\//, '')
      .replace(/\/$/, '');
    if (rel.includes('*')) continue;
    if (!entries.some(e => e === rel || e.startsWith(`${rel}/`))) {
      problems.push(`files lists ${pattern}, which matched nothing`);
    }
  }
  return {
    name: `${pkg.name}@${pkg.version}`,
    count: entries.length,
    problems,
  };
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node scripts/check-packed.cjs TARBALL...\n');
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  const { name, count, problems } = check(file);
  if (problems.length === 0) {
    process.stdout.write(`ok ${name} (${count} files)\n`);
  } else {
    failed++;
    for (const p of problems)
      process.stdout.write(`${path.basename(file)}: error: ${name}: ${p}\n`);
  }
}
process.exit(failed ? 1 : 0);
