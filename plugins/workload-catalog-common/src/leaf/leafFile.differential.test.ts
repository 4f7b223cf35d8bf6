import fc from 'fast-check';
import { arbitraryLeaf } from '../testUtils';
import { parseLeafFile, parseWithPositions } from './leafFile';
import { printLeaf } from './printLeaf';

/** The fast path (js-yaml first) and the full parser must agree on every text. */
function expectSameVerdict(text: string) {
  const fast = parseLeafFile(text);
  const full = parseWithPositions(text);
  expect({ valid: fast.valid, issues: fast.issues }).toEqual({
    valid: full.valid,
    issues: full.issues,
  });
  expect(fast.leaf).toEqual(full.leaf);
  if (full.valid) expect(fast.value).toEqual(full.value);
}

const TRICKY_SCALARS = [
  '0b101',
  '0x1F',
  '0o17',
  '017',
  '1_000',
  '1e3',
  '-0',
  '.inf',
  '.NaN',
  '~',
  'null',
  'NULL',
  'True',
  'yes',
  'on',
  '2024-01-01',
  '12:30:00',
  '+12',
  '"\\u00e9"',
  "'it''s'",
  '!!str 1',
  '&a x',
  '*a',
  '|\n    x',
  '>-\n    folded',
  '[1, 2]',
  '{a: 1}',
  '""',
  "''",
  '"#not a comment"',
  'a # comment',
  '1.0',
  '.5',
];

describe('fast path and full parser agree', () => {
  it('on generated valid leaves', () => {
    fc.assert(
      fc.property(arbitraryLeaf(), leaf => expectSameVerdict(printLeaf(leaf))),
      { numRuns: 300 },
    );
  });

  it('on generated leaves with a tricky scalar in any field', () => {
    fc.assert(
      fc.property(
        arbitraryLeaf(),
        fc.nat(),
        fc.constantFrom(...TRICKY_SCALARS),
        (leaf, at, scalar) => {
          const lines = printLeaf(leaf).split('\n');
          const candidates = lines
            .map((l, i) => [l, i] as const)
            .filter(([l]) => /^\s*[A-Za-z_][\w-]*: \S/.test(l));
          const [line, i] = candidates[at % candidates.length];
          lines[i] = line.replace(/: .*$/, `: ${scalar}`);
          expectSameVerdict(lines.join('\n'));
        },
      ),
      { numRuns: 400 },
    );
  });

  it.each([
    [
      'null key in the environment',
      'container:\n  environment:\n    null: x\n',
    ],
    ['complex key', '? [a]\n: 1\n'],
    ['flow key', '[a]: x\n'],
    ['YAML 1.1 directive', '%YAML 1.1\n---\nworkloadType: x\n'],
    ['custom tag', 'serviceName: !custom x\n'],
    ['tab indentation', 'gpu:\n\tcount: 1\n'],
    ['duplicate key', 'a: 1\na: 2\n'],
    ['multiple documents', 'a: 1\n---\nb: 2\n'],
  ])('on %s', (_, text) => {
    expectSameVerdict(
      `workloadType: BASIC_CONTAINER_LOAD\nserviceName: a\nserviceCatalog: b\nnamespace: c\nenvironment: d\n${text}`,
    );
  });
});
