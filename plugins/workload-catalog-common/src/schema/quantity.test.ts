import { formatBytes, isQuantity, parseQuantity } from './quantity';

describe('Kubernetes quantities', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    [2, 2],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['4Gi', 4 * 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['1k', 1000],
    ['1M', 1e6],
    ['1e3', 1000],
    ['2e-3', 0.002],
    ['15E2', 1500],
    ['100n', 100e-9],
  ])('%p is %p', (input, value) => {
    expect(parseQuantity(input)).toBeCloseTo(value as number);
    expect(isQuantity(input)).toBe(true);
  });

  it.each([
    '',
    '4GB',
    '1 Gi',
    '-1',
    'Gi',
    '1.2.3',
    'two',
    '1gi',
    '37e09436316504',
    '1e400',
    null,
    {},
    -1,
    Infinity,
  ])('rejects %p', input => {
    expect(parseQuantity(input)).toBeUndefined();
  });

  it('formats byte counts', () => {
    expect(formatBytes(4 * 2 ** 30)).toBe('4Gi');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5Gi');
    expect(formatBytes(512 * 2 ** 20)).toBe('512Mi');
    expect(formatBytes(100)).toBe('100');
  });
});
