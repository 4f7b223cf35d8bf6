/*
 * Fault injection: make chosen calls fail the way the real server (or the network) does.
 * Each server says what a fault is matched on (a route, an operation) and which kinds it
 * knows beyond `status` and `drop`.
 */

/** What every fault spec has; a server adds the field it is matched on, and its own fields. */
export interface FaultSpecBase {
  /** Let this many matching calls through before the fault fires (default 0). */
  after?: number;
  /** How many matching calls fail (default 1; `Infinity` for all). */
  times?: number;
  /** Default: `status` when `status` is set, else `drop`. */
  kind?: string;
  status?: number;
}

/** The kinds of fault a spec can name: its own, and the two defaults. */
export type FaultKindOf<Spec extends FaultSpecBase> =
  NonNullable<Spec['kind']> | 'status' | 'drop';

/** A fault as kept: its spec with the defaults filled in, and its counters. */
export interface ActiveFault<Spec extends FaultSpecBase> {
  spec: Spec;
  kind: FaultKindOf<Spec>;
  after: number;
  times: number;
  /** Matching calls seen so far. */
  seen: number;
  /** How many times the fault fired. */
  fired: number;
}

export class FaultRegistry<Spec extends FaultSpecBase, Target = string> {
  private faults: ActiveFault<Spec>[] = [];

  /**
   * @param targetOf - what a spec is matched on (its route or operation); a spec without
   * one matches every call
   */
  constructor(private readonly targetOf: (spec: Spec) => Target | undefined) {}

  /** Adds a fault; returns it so a test can read how often it fired. */
  add(spec: Spec): ActiveFault<Spec> {
    const fault: ActiveFault<Spec> = {
      spec,
      after: spec.after ?? 0,
      times: spec.times ?? 1,
      kind: spec.kind ?? (spec.status !== undefined ? 'status' : 'drop'),
      seen: 0,
      fired: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  /**
   * The fault to apply to a call of `target`, if any: the first matching fault whose
   * `after` calls have passed and that has fired fewer than `times` times. The call counts
   * as seen for every matching fault, the chosen one included.
   */
  take(target: Target): ActiveFault<Spec> | undefined {
    let chosen: ActiveFault<Spec> | undefined;
    for (const fault of this.faults) {
      const wanted = this.targetOf(fault.spec);
      if (wanted !== undefined && wanted !== target) continue;
      fault.seen++;
      if (chosen) continue;
      if (fault.seen > fault.after && fault.fired < fault.times) {
        fault.fired++;
        chosen = fault;
      }
    }
    return chosen;
  }

  clear(): void {
    this.faults = [];
  }

  get active(): readonly ActiveFault<Spec>[] {
    return this.faults;
  }
}
