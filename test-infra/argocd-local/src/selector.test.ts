import { matchesSelector, parseSelector, SelectorError } from './selector';

describe('label selectors', () => {
  const labels = {
    'workload-catalog.dev/service-name': 'phi',
    'workload-catalog.dev/environment': 'dev',
    tier: '',
  };
  const matches = (selector: string) =>
    matchesSelector(parseSelector(selector), labels);

  it.each([
    ['', true],
    ['workload-catalog.dev/service-name=phi', true],
    ['workload-catalog.dev/service-name==phi', true],
    ['workload-catalog.dev/service-name = phi', true],
    ['workload-catalog.dev/service-name=llama', false],
    ['workload-catalog.dev/service-name!=llama', true],
    ['workload-catalog.dev/service-name!=phi', false],
    ['absent!=x', true],
    ['workload-catalog.dev/environment in (dev,staging)', true],
    ['workload-catalog.dev/environment in (prod)', false],
    ['workload-catalog.dev/environment notin (prod, staging)', true],
    ['absent in (x)', false],
    ['absent notin (x)', true],
    ['tier', true],
    ['tier=', true],
    ['!tier', false],
    ['!absent', true],
    [
      'workload-catalog.dev/service-name=phi,workload-catalog.dev/environment=dev',
      true,
    ],
    [
      'workload-catalog.dev/service-name=phi,workload-catalog.dev/environment=prod',
      false,
    ],
  ])('%j matches: %s', (selector, expected) => {
    expect(matches(selector)).toBe(expected);
  });

  it.each([
    ['a,,b', /expected: !, identifier/],
    ['a in (b', /expected: '\)'/],
    ['a)', /found '\)'/],
    ['-a=b', /invalid label key "-a"/],
    ['a=b c', /unable to parse requirement/],
    ['a=-b', /invalid label value: "-b"/],
    [`a=${'x'.repeat(64)}`, /invalid label value/],
  ])('rejects %j', (selector, message) => {
    expect(() => parseSelector(selector)).toThrow(SelectorError);
    expect(() => parseSelector(selector)).toThrow(message);
  });

  it('treats missing labels as no labels', () => {
    expect(matchesSelector(parseSelector('!a'), undefined)).toBe(true);
    expect(matchesSelector(parseSelector('a'), undefined)).toBe(false);
  });
});
