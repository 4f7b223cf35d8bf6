import { FaultRegistry, type FaultSpecBase } from './faults';

type Route = 'list' | 'get';
interface Spec extends FaultSpecBase {
  route?: Route;
  kind?: 'status' | 'drop' | 'hang';
  body?: unknown;
}

const registry = () => new FaultRegistry<Spec, Route>(spec => spec.route);

describe('FaultRegistry', () => {
  it('fills in the defaults: status when a status is set, else drop; after 0, times 1', () => {
    const faults = registry();
    expect(faults.add({ status: 503 })).toEqual({
      spec: { status: 503 },
      kind: 'status',
      after: 0,
      times: 1,
      seen: 0,
      fired: 0,
    });
    expect(faults.add({}).kind).toBe('drop');
    expect(faults.add({ kind: 'hang', status: 500 }).kind).toBe('hang');
  });

  it('fires once by default, then lets calls through', () => {
    const faults = registry();
    const fault = faults.add({ route: 'list', status: 500 });
    expect(faults.take('list')).toBe(fault);
    expect(faults.take('list')).toBeUndefined();
    expect(fault).toMatchObject({ seen: 2, fired: 1 });
  });

  it('lets `after` calls through, then fails `times` calls', () => {
    const faults = registry();
    faults.add({ route: 'get', after: 2, times: 2, kind: 'hang' });
    const fired = [1, 2, 3, 4, 5].map(() => faults.take('get')?.kind);
    expect(fired).toEqual([undefined, undefined, 'hang', 'hang', undefined]);
  });

  it('fails every call with times Infinity', () => {
    const faults = registry();
    faults.add({ times: Infinity });
    for (let i = 0; i < 50; i++) expect(faults.take('get')?.kind).toBe('drop');
  });

  it('matches on the target; a spec without one matches every call', () => {
    const faults = registry();
    const onList = faults.add({ route: 'list', status: 503 });
    expect(faults.take('get')).toBeUndefined();
    expect(onList.seen).toBe(0);
    const any = faults.add({ kind: 'drop' });
    expect(faults.take('get')).toBe(any);
    expect(faults.take('list')).toBe(onList);
  });

  it('applies the first due fault; the call still counts for the later ones', () => {
    const faults = registry();
    const first = faults.add({ status: 500 });
    const second = faults.add({ status: 502, after: 1 });
    // call 1: first fires; second has seen it (so its `after` is used up)
    expect(faults.take('list')).toBe(first);
    expect(second).toMatchObject({ seen: 1, fired: 0 });
    // call 2: first is spent; second fires
    expect(faults.take('list')).toBe(second);
    expect(faults.take('list')).toBeUndefined();
  });

  it('clears, and lists the active faults', () => {
    const faults = registry();
    faults.add({ status: 500, times: Infinity });
    faults.add({ route: 'get' });
    expect(faults.active.map(f => f.kind)).toEqual(['status', 'drop']);
    faults.clear();
    expect(faults.active).toEqual([]);
    expect(faults.take('get')).toBeUndefined();
  });
});
