/* Walking zod schema trees: what the uiSchema generator, the printer and the unknown-key
 * suggestions share. */
import { z } from 'zod';

const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'readonly',
  'catch',
  'pipe',
]);

/** The schema under optional/default/pipe wrappers, and every layer met on the way. */
export function unwrapSchema(outer: z.core.$ZodType): {
  schema: z.core.$ZodType;
  layers: z.core.$ZodType[];
} {
  const layers = [outer];
  let schema = outer;
  let def = schema._zod.def as any;
  while (WRAPPERS.has(def.type)) {
    schema = def.type === 'pipe' ? def.in : def.innerType;
    layers.push(schema);
    def = schema._zod.def as any;
  }
  return { schema, layers };
}

/**
 * The option of a union that a value belongs to: by the discriminator's value, else (a union
 * of different shapes, such as container.environment's mapping or list) the first option of
 * the value's kind; the first option otherwise.
 */
export function unionOptionFor(
  union: z.core.$ZodType,
  value: unknown,
): z.core.$ZodType {
  const def = union._zod.def as any;
  const options = def.options as z.core.$ZodType[];
  const disc = def.discriminator as string | undefined;
  const tag =
    disc && value && typeof value === 'object'
      ? (value as any)[disc]
      : undefined;
  const match =
    tag === undefined
      ? undefined
      : options.find(o =>
          (o._zod.def as any).shape?.[disc!]?._zod.def.values?.includes(tag),
        );
  if (match) return match;
  if (!disc && value !== null && typeof value === 'object') {
    const kinds = Array.isArray(value) ? ['array'] : ['object', 'record'];
    const byKind = options.find(o =>
      kinds.includes((unwrapSchema(o).schema._zod.def as any).type),
    );
    if (byKind) return byKind;
  }
  return options[0];
}
