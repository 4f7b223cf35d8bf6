import { closest, describeValue, editDistance } from './describe';

describe('describeValue', () => {
  it('describes values for messages', () => {
    expect(describeValue('a')).toBe('"a"');
    expect(describeValue(1.5)).toBe('1.5');
    expect(describeValue(true)).toBe('true');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue([])).toBe('a list');
    expect(describeValue({})).toBe('a mapping');
    expect(describeValue('x'.repeat(100))).toHaveLength(82);
  });
});

describe('closest', () => {
  it('finds near misses', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('gpus', ['gpu', 'model', 'container'])).toBe('gpu');
    expect(closest('servicename', ['serviceName', 'namespace'])).toBe(
      'serviceName',
    );
    expect(closest('service_name', ['serviceName', 'namespace'])).toBe(
      'serviceName',
    );
    expect(closest('replica', ['replicas', 'resources'])).toBe('replicas');
  });

  it('stays quiet when nothing is close', () => {
    expect(closest('zzzzzz', ['gpu', 'model'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});
