/*
 * The call log: one record per request a server answered (or did not), for tests to count.
 */

/** What every call record has; a server adds its route or operation. */
export interface CallRecordBase {
  /** 1 for the first call; not reset by `reset()`. */
  seq: number;
  method: string;
  /** The path as requested, with the query. */
  path: string;
  /** The status sent; 0 when the connection was dropped or left hanging. */
  status: number;
  /** The fault applied, if any. */
  fault?: string;
}

export interface CallLogOptions<Record extends CallRecordBase, Target> {
  /** What `count` matches a record on (its route or operation). */
  targetOf: (record: Record) => Target | undefined;
  /** Receives one line per call: `GET /path -> 200 (fault: status)`. */
  log?: (line: string) => void;
  /** Written instead of status 0. Default "no answer". */
  unanswered?: string;
}

export class CallLog<Record extends CallRecordBase, Target = string> {
  /** The records, oldest first (the same array for the log's lifetime). */
  readonly calls: Record[] = [];
  private seq = 0;

  constructor(private readonly options: CallLogOptions<Record, Target>) {}

  /** Records a call under the next sequence number, logs it, and returns the record. */
  record(call: Omit<Record, 'seq'>): Record {
    const record = { seq: ++this.seq, ...call } as Record;
    this.calls.push(record);
    this.options.log?.(
      `${record.method} ${record.path} -> ${record.status || (this.options.unanswered ?? 'no answer')}${record.fault ? ` (fault: ${record.fault})` : ''}`,
    );
    return record;
  }

  /** Calls of one target, or all calls. */
  count(target?: Target): number {
    return this.calls.filter(
      c => target === undefined || this.options.targetOf(c) === target,
    ).length;
  }

  /** Forgets the records (sequence numbers go on). */
  reset(): void {
    this.calls.length = 0;
  }

  /** The sequence number of the last record; 0 before the first. */
  get lastSeq(): number {
    return this.seq;
  }
}
