#!/usr/bin/env node
/* The anchor for the validation benchmark: what a catalog repo's CI would do without our
 * CLI. Walk the folder, `yaml.parse` each file, validate it with ajv against the generated
 * JSON Schema (schemas/workload-leaf.schema.json). No positions, no semantic checks. */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('yaml');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(
  require('../../schemas/workload-leaf.schema.json'),
);

function* walk(dir) {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(full);
    else if (/\.ya?ml$/.test(e.name)) yield full;
  }
}

let invalid = 0;
for (const file of walk(process.argv[2])) {
  let ok = false;
  try {
    ok = validate(yaml.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    ok = false;
  }
  if (!ok) {
    invalid++;
    process.stdout.write(`${file}: invalid\n`);
  }
}
process.exitCode = invalid ? 1 : 0;
