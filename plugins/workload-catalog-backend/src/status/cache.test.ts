import { TtlCache } from './cache';

describe('TtlCache', () => {
  let now = 0;
  const clock = () => now;

  it('keeps an answer for its time to live', async () => {
    const cache = new TtlCache<number>({ ttlMs: 100, now: clock });
    const load = jest.fn().mockResolvedValueOnce(1).mockResolvedValueOnce(2);
    expect(await cache.get('k', load)).toBe(1);
    now = 99;
    expect(await cache.get('k', load)).toBe(1);
    now = 100;
    expect(await cache.get('k', load)).toBe(2);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps failures too, unless told not to', async () => {
    now = 0;
    const cache = new TtlCache<number>({ ttlMs: 100, now: clock });
    const load = jest.fn().mockRejectedValue(new Error('down'));
    await expect(cache.get('k', load)).rejects.toThrow('down');
    await expect(cache.get('k', load)).rejects.toThrow('down');
    expect(load).toHaveBeenCalledTimes(1);
    const noErrors = new TtlCache<number>({
      ttlMs: 100,
      errorTtlMs: 0,
      now: clock,
    });
    await expect(noErrors.get('k', load)).rejects.toThrow('down');
    await expect(noErrors.get('k', load)).rejects.toThrow('down');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('shares one call between concurrent requests', async () => {
    const cache = new TtlCache<string>({ ttlMs: 0, now: clock });
    let resolve!: (v: string) => void;
    const load = jest.fn(() => new Promise<string>(r => (resolve = r)));
    const a = cache.get('k', load);
    const b = cache.get('k', load);
    resolve('x');
    expect(await Promise.all([a, b])).toEqual(['x', 'x']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('forgets the oldest entries beyond its size', async () => {
    const cache = new TtlCache<string>({
      ttlMs: 1000,
      maxEntries: 2,
      now: clock,
    });
    const load = jest.fn(async () => 'v');
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('c', load);
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(4);
    cache.clear();
    await cache.get('c', load);
    expect(load).toHaveBeenCalledTimes(5);
  });
});
