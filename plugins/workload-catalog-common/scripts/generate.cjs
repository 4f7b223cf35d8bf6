#!/usr/bin/env node
/* Writes every file generated from the zod schemas (see src/generate/artifacts.ts).
 * `yarn generate` from the repository root. src/generate/artifacts.test.ts fails when the
 * committed files differ from what this writes. */
'use strict';
/* eslint-disable no-console */
require('sucrase/register/ts');
const fs = require('node:fs');
const path = require('node:path');
const { generatedArtifacts } = require('../src/generate/artifacts.ts');

const root = path.resolve(__dirname, '../../..');
let changed = 0;
for (const [rel, content] of Object.entries(generatedArtifacts())) {
  const file = path.join(root, rel);
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (old === content) continue;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  console.log(`wrote ${rel}`);
  changed++;
}
console.log(
  changed ? `${changed} file(s) updated` : 'generated files are up to date',
);
