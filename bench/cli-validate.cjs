#!/usr/bin/env node
/* eslint-disable */
// Runs bench/cliValidate.bench.ts from source (TypeScript transpiled on load by sucrase).
// Usage: node bench/cli-validate.cjs [--leaves N] [--runs R]
'use strict';
require('sucrase/register/ts');
require('./cliValidate.bench.ts');
