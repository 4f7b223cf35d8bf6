import fc from 'fast-check';
import { arbitraryLeaf } from '../testUtils';
import { validateLeaf } from '../validation/validate';
import { parseLeafFile } from './leafFile';
import { normalizeLeaf, printLeaf } from './printLeaf';
import { WORKLOAD_TYPES } from '../schema/base';

/** The leaf with container.environment in the printed form (the list form as a mapping). */
function withMappingEnvironment(leaf: any): unknown {
  if (!Array.isArray(leaf.container?.environment)) return leaf;
  return {
    ...leaf,
    container: {
      ...leaf.container,
      environment: Object.fromEntries(
        leaf.container.environment.map((v: any) => [v.name, v.value]),
      ),
    },
  };
}

describe('generated leaves (property)', () => {
  it.each(WORKLOAD_TYPES)(
    '%s: validate, print and parse back to the same object',
    type => {
      fc.assert(
        fc.property(arbitraryLeaf(type), leaf => {
          expect(validateLeaf(leaf).valid).toBe(true);
          // as written, but for container.environment, which is printed as a mapping
          const reparsed = parseLeafFile(printLeaf(leaf));
          expect(reparsed.issues).toEqual([]);
          expect(reparsed.value).toEqual(withMappingEnvironment(leaf));
          // normalised: defaults applied, printing is a fixed point
          const normal = normalizeLeaf(leaf);
          const text = printLeaf(normal);
          const again = parseLeafFile(text);
          expect(again.leaf).toEqual(normal);
          expect(printLeaf(again.leaf)).toBe(text);
        }),
        { numRuns: 150 },
      );
    },
  );

  it('positions a broken field at its own line in any generated leaf', () => {
    fc.assert(
      fc.property(
        arbitraryLeaf(),
        fc.constantFrom('serviceName', 'namespace', 'environment'),
        (leaf, field) => {
          const text = printLeaf({ ...leaf, [field]: 'Not_A_Label' });
          const line =
            text.split('\n').findIndex(l => l.startsWith(`${field}:`)) + 1;
          const r = parseLeafFile(text);
          expect(r.issues).toEqual([
            expect.objectContaining({
              path: field,
              line,
              column: field.length + 3,
            }),
          ]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
