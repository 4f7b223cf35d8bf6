/*
 * fast-check arbitraries for catalog leaves, derived from the zod schemas: every field the
 * schema declares is generated from its own definition (patterns through
 * fc.stringMatching, bounds, enums, optional fields left out at random). The few rules that
 * span several fields (a secret has exactly one source, limits >= requests, ...) are then
 * satisfied by `repairLeaf`, and a final filter keeps only what `validateLeaf` accepts.
 *
 * Used by the property tests, the chart parity test and the benchmarks.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { ollamaPullName } from '../models/ollamaRef';
import { RESOURCE_PRESETS, type ResourcePresetName } from '../models/presets';
import { secretLikeEnvironment, WORKLOAD_TYPES } from '../schema/base';
import { DEFAULT_MAX_GPU_COUNT } from '../schema/inference';
import { leafSchemasByType } from '../schema/leaf';
// Through the package's main entry point, so that the API of /testUtils names these types
// from there instead of declaring them a second time.
import type {
  WorkloadLeafInput,
  WorkloadType,
} from '@workload-catalog/plugin-workload-catalog-common';
import { parseQuantity } from '../schema/quantity';
import { validateLeaf } from '../validation/validate';

type Arb = fc.Arbitrary<unknown>;

const cache = new WeakMap<object, Arb>();

function checksOf(def: any): any[] {
  return (def.checks ?? []).map((c: any) => c._zod.def);
}

function stringArb(def: any): Arb {
  const checks = checksOf(def);
  let min = 0;
  let max = 40;
  let pattern: RegExp | undefined;
  for (const c of checks) {
    if (c.check === 'min_length') min = Math.max(min, c.minimum);
    if (c.check === 'max_length') max = Math.min(max, c.maximum);
    if (c.check === 'length_equals') min = max = c.length;
    if (c.check === 'string_format' && c.format === 'regex')
      pattern = c.pattern;
  }
  if (pattern) {
    return fc
      .stringMatching(pattern)
      .filter(s => s.length >= min && s.length <= max);
  }
  return fc.string({ minLength: min, maxLength: Math.max(min, max) });
}

function numberArb(def: any): Arb {
  let min = -1e6;
  let max = 1e6;
  let int = false;
  for (const c of checksOf(def)) {
    if (c.check === 'greater_than')
      min = Math.max(min, c.inclusive ? c.value : c.value + 1e-9);
    if (c.check === 'less_than')
      max = Math.min(max, c.inclusive ? c.value : c.value - 1e-9);
    if (c.check === 'number_format' && /int/.test(c.format)) int = true;
  }
  if (int) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.oneof(
    fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
    fc
      .double({ min, max, noNaN: true, noDefaultInfinity: true })
      .map(n => Math.round(n * 1000) / 1000 + 0) // + 0 turns -0 into 0, as a person would write it
      .filter(n => n >= min && n <= max),
  );
}

/** An arbitrary for any value the schema accepts (single-field rules only). */
export function arbitraryFor(schema: z.core.$ZodType): Arb {
  const hit = cache.get(schema);
  if (hit) return hit;
  const def = schema._zod.def as any;
  let arb: Arb;
  switch (def.type) {
    case 'string':
      arb = stringArb(def);
      break;
    case 'number':
      arb = numberArb(def);
      break;
    case 'boolean':
      arb = fc.boolean();
      break;
    case 'literal':
      arb = fc.constantFrom(...def.values);
      break;
    case 'enum':
      arb = fc.constantFrom(...Object.values(def.entries));
      break;
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
      arb = arbitraryFor(def.innerType);
      break;
    case 'pipe':
      arb = arbitraryFor(def.in);
      break;
    case 'union':
      arb = fc.oneof(
        ...def.options.map((o: z.core.$ZodType) => arbitraryFor(o)),
      );
      break;
    case 'array': {
      let minLength = 0;
      let maxLength = 3;
      for (const c of checksOf(def)) {
        if (c.check === 'min_length') minLength = c.minimum;
        if (c.check === 'max_length')
          maxLength = Math.min(maxLength, c.maximum);
      }
      arb = fc.array(arbitraryFor(def.element), {
        minLength,
        maxLength: Math.max(minLength, maxLength),
      });
      break;
    }
    case 'record':
      arb = fc.dictionary(
        arbitraryFor(def.keyType) as fc.Arbitrary<string>,
        arbitraryFor(def.valueType),
        {
          maxKeys: 3,
        },
      );
      break;
    case 'object': {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      const requiredKeys = Object.keys(shape).filter(k => {
        const t = (shape[k]._zod.def as any).type;
        return t !== 'optional' && t !== 'default' && t !== 'prefault';
      });
      arb = fc.record(
        Object.fromEntries(
          Object.entries(shape).map(([k, v]) => [k, arbitraryFor(v)]),
        ),
        { requiredKeys },
      );
      break;
    }
    default:
      throw new Error(`no arbitrary for zod type "${def.type}"`);
  }
  cache.set(schema, arb);
  return arb;
}

/** Makes a generated leaf satisfy the rules that span several fields. */
export function repairLeaf(input: Record<string, any>): Record<string, any> {
  const leaf = structuredClone(input);
  const c = leaf.container;
  if (c) {
    if (c.resources && c.resourcePreset) delete c.resourcePreset;
    const res = c.resources;
    if (res) {
      for (const side of ['requests', 'limits']) {
        const amounts = res[side];
        if (
          amounts?.memory !== undefined &&
          /^[0-9.]+m$/.test(String(amounts.memory))
        )
          amounts.memory = '1Gi';
        if (amounts?.cpu !== undefined && /i$/.test(String(amounts.cpu)))
          amounts.cpu = '1';
      }
      for (const r of ['cpu', 'memory']) {
        const req = res.requests?.[r];
        const lim = res.limits?.[r];
        if (
          req !== undefined &&
          lim !== undefined &&
          parseQuantity(lim)! < parseQuantity(req)!
        ) {
          res.limits[r] = req;
        }
      }
    }
    const unwanted = (k: string, v: unknown) =>
      secretLikeEnvironment(k, v) ||
      k.startsWith('OLLAMA_') ||
      /^(CUDA|NVIDIA)_VISIBLE_DEVICES$/.test(k);
    if (Array.isArray(c.environment)) {
      // the list form: each name once
      const names = new Set<string>();
      c.environment = c.environment.filter((v: any) => {
        if (names.has(v.name) || unwanted(v.name, v.value)) return false;
        names.add(v.name);
        return true;
      });
    } else if (c.environment) {
      for (const [k, v] of Object.entries(c.environment)) {
        if (unwanted(k, v)) delete c.environment[k];
      }
    }
    if (c.secrets) {
      const seen = new Set<string>(
        Array.isArray(c.environment)
          ? c.environment.map((v: any) => v.name)
          : Object.keys(c.environment ?? {}),
      );
      c.secrets = c.secrets.filter((s: any) => {
        if (s.secretKeyRef && s.vault) delete s.vault;
        if (!s.secretKeyRef && !s.vault) return false;
        if (seen.has(s.name)) return false;
        seen.add(s.name);
        return true;
      });
    }
  }
  if (leaf.workloadType === 'OLLAMA_INFERENCE_LOAD') {
    const seen = new Set([ollamaPullName(leaf.model)]);
    if (leaf.additionalModels) {
      leaf.additionalModels = leaf.additionalModels.filter((m: string) => {
        const key = ollamaPullName(m);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    leaf.customModels?.forEach((m: any, i: number) => {
      m.name = `custom-${i}:latest`;
    });
  }
  if (leaf.gpu && typeof leaf.gpu.count === 'number') {
    leaf.gpu.count = Math.min(leaf.gpu.count, DEFAULT_MAX_GPU_COUNT);
  }
  if (leaf.ingress?.enabled && !leaf.ingress.host)
    leaf.ingress.host = 'svc.example.com';
  const ms = leaf.modelStorage;
  if (ms) {
    if (ms.size !== undefined && ms.existingClaim !== undefined)
      delete ms.existingClaim;
    if (ms.size === undefined && ms.existingClaim === undefined)
      ms.size = '20Gi';
  }
  const rollout = leaf.rollout;
  if (rollout) {
    if (rollout.canary && rollout.blueGreen) delete rollout.blueGreen;
    if (!rollout.canary && !rollout.blueGreen) rollout.canary = {};
    if (rollout.canary?.steps) {
      let last = 0;
      rollout.canary.steps = rollout.canary.steps.map((s: any) => {
        if (s.setWeight !== undefined && s.pause !== undefined) delete s.pause;
        if (s.setWeight === undefined && s.pause === undefined)
          return { pause: {} };
        if (s.setWeight !== undefined) {
          last = Math.max(last, s.setWeight);
          return { setWeight: last };
        }
        return s;
      });
    }
  }
  return leaf;
}

/** Valid leaves of one workload type (or of any type). */
export function arbitraryLeaf(
  type?: WorkloadType,
): fc.Arbitrary<WorkloadLeafInput> {
  const types = type ? [type] : WORKLOAD_TYPES;
  return fc
    .oneof(...types.map(t => arbitraryFor(leafSchemasByType[t])))
    .map(v => repairLeaf(v as Record<string, any>))
    .filter(v => validateLeaf(v).valid) as fc.Arbitrary<WorkloadLeafInput>;
}

/** A preset's resources, for building realistic leaves by hand. */
export function presetResources(name: ResourcePresetName) {
  const { requests, limits } = RESOURCE_PRESETS[name];
  return { requests: { ...requests }, limits: { ...limits } };
}
