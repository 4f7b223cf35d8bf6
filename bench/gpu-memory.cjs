#!/usr/bin/env node
/* eslint-disable */
// Runs bench/gpuMemory.bench.ts from source (TypeScript transpiled on load by sucrase).
// Usage: node bench/gpu-memory.cjs
'use strict';
require('sucrase/register/ts');
require('./gpuMemory.bench.ts');
