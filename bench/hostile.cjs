#!/usr/bin/env node
/* eslint-disable */
// Runs bench/hostile.bench.ts from source (TypeScript transpiled on load by sucrase).
// Usage: node bench/hostile.cjs [--kib N] [--runs R] [--only NAME]
'use strict';
require('sucrase/register/ts');
require('./hostile.bench.ts');
