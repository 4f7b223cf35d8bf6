/*
 * No regular expression applied to leaf text or leaf values may take super-linear time.
 * recheck (https://makenowjust-labs.github.io/recheck/) decides it for each one: "safe"
 * means linear in the input's length whatever the input. A pattern that recheck finds
 * vulnerable fails here with the attack recheck built, shortened.
 *
 * The patterns are found by export, not listed by hand: every exported `*_PATTERN` string
 * and every exported RegExp of the modules that check leaves, so a new field pattern is
 * checked as soon as it is exported.
 */
import { checkSync } from 'recheck';
import * as leafFile from './leafFile';
import * as printLeaf from './printLeaf';
import * as leafPath from './leafPath';
import * as fields from '../schema/fields';
import * as base from '../schema/base';
import * as quantity from '../schema/quantity';
import * as inference from '../schema/inference';
import * as rollout from '../schema/basicContainerRollout';
import * as ollamaRef from '../models/ollamaRef';
import * as huggingFace from '../models/huggingFace';

const MODULES: Record<string, Record<string, unknown>> = {
  leafFile,
  printLeaf,
  leafPath,
  fields,
  base,
  quantity,
  inference,
  rollout,
  ollamaRef,
  huggingFace,
};

function appliedPatterns(): [string, string, string][] {
  const found: [string, string, string][] = [];
  for (const [module, exports] of Object.entries(MODULES)) {
    for (const [name, value] of Object.entries(exports)) {
      if (value instanceof RegExp) {
        found.push([`${module}.${name}`, value.source, value.flags]);
      } else if (name.endsWith('_PATTERN') && typeof value === 'string') {
        // leaf path patterns are templates ("catalog/{serviceCatalog}/..."), not regexes
        if (module !== 'leafPath') found.push([`${module}.${name}`, value, '']);
      }
    }
  }
  return found;
}

describe('regular expressions applied to leaves', () => {
  const patterns = appliedPatterns();

  it('finds the patterns it has to check', () => {
    const names = patterns.map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'leafFile.NEEDS_FULL_PARSER',
        'printLeaf.YAML11_BOOLEAN',
        'fields.DNS_LABEL_PATTERN',
        'fields.ENTITY_REF_PATTERN',
        'fields.IMAGE_PATTERN',
        'quantity.QUANTITY_PATTERN',
        'ollamaRef.OLLAMA_REF_PATTERN',
        'huggingFace.HF_MODEL_ID_PATTERN',
      ]),
    );
  });

  it('detects a backtracking pattern (the checker itself works)', () => {
    // the first NEEDS_FULL_PARSER: 185 s on one 250 KB line of "["
    const old = String.raw`^[^\n]*[[{][^\n]*[,[{]\s*[&*!]\S`;
    expect(checkSync(old, 'm').status).toBe('vulnerable');
  });

  // recheck's own choice of checker (automata theory where it can decide in time, else
  // fuzzing: the counters of HOSTNAME_PATTERN and IMAGE_PATTERN are too big for automata),
  // with a generous time limit, so a loaded machine cannot turn "safe" into "timeout".
  it.each(patterns)(
    '%s runs in linear time',
    (_name, source, flags) => {
      const result = checkSync(source, flags, { timeout: 60_000 });
      const verdict =
        result.status === 'vulnerable'
          ? `vulnerable (${result.complexity.summary}), e.g. ${result.attack.pattern.slice(0, 200)}`
          : result.status;
      expect(verdict).toBe('safe');
    },
    120_000,
  );
});
