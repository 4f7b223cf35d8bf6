import { CallLog, type CallRecordBase } from './calls';

interface Call extends CallRecordBase {
  route?: 'version' | 'list';
}

describe('CallLog', () => {
  it('numbers the calls and counts them per target', () => {
    const log = new CallLog<Call>({ targetOf: c => c.route });
    const first = log.record({
      method: 'GET',
      path: '/v',
      route: 'version',
      status: 200,
    });
    log.record({ method: 'GET', path: '/l', route: 'list', status: 200 });
    log.record({ method: 'GET', path: '/l?x', route: 'list', status: 503 });
    log.record({ method: 'GET', path: '/nope', status: 404 });
    expect(first).toEqual({
      seq: 1,
      method: 'GET',
      path: '/v',
      route: 'version',
      status: 200,
    });
    expect(log.calls.map(c => c.seq)).toEqual([1, 2, 3, 4]);
    expect(log.count('list')).toBe(2);
    expect(log.count('version')).toBe(1);
    expect(log.count()).toBe(4);
    expect(log.lastSeq).toBe(4);
  });

  it('forgets the records on reset, in the same array; numbers go on', () => {
    const log = new CallLog<Call>({ targetOf: c => c.route });
    const calls = log.calls;
    log.record({ method: 'GET', path: '/', route: 'list', status: 200 });
    log.reset();
    expect(log.calls).toBe(calls);
    expect(calls).toEqual([]);
    expect(log.count()).toBe(0);
    expect(log.record({ method: 'GET', path: '/', status: 200 }).seq).toBe(2);
  });

  it('writes one line per call', () => {
    const lines: string[] = [];
    const log = new CallLog<Call>({
      targetOf: c => c.route,
      log: line => lines.push(line),
    });
    log.record({ method: 'GET', path: '/a', status: 200 });
    log.record({ method: 'GET', path: '/b', status: 0, fault: 'hang' });
    log.record({ method: 'POST', path: '/c', status: 503, fault: 'status' });
    expect(lines).toEqual([
      'GET /a -> 200',
      'GET /b -> no answer (fault: hang)',
      'POST /c -> 503 (fault: status)',
    ]);
  });

  it('says what it was told for unanswered calls', () => {
    const lines: string[] = [];
    const log = new CallLog<Call>({
      targetOf: c => c.route,
      log: line => lines.push(line),
      unanswered: 'dropped',
    });
    log.record({ method: 'GET', path: '/b', status: 0, fault: 'drop' });
    expect(lines).toEqual(['GET /b -> dropped (fault: drop)']);
  });
});
