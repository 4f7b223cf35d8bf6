#!/usr/bin/env node
/* eslint-disable */
// Runs bench/pullRequest.bench.ts from source (TypeScript transpiled on load by sucrase).
// Usage: node bench/pull-request.cjs [--runs N] [--latency MS]
'use strict';
require('sucrase/register/ts');
require('./pullRequest.bench.ts');
