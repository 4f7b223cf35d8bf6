#!/usr/bin/env node
/* eslint-disable */
// Runs bench/entityProvider.bench.ts from source (TypeScript transpiled on load by sucrase).
// Usage: node bench/entity-provider.cjs [--leaves N] [--pulls N] [--latency MS]
'use strict';
require('sucrase/register/ts');
require('./entityProvider.bench.ts');
