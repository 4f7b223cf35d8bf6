/*
 * A small cache for the status sources: answers (and failures) are kept for a short time,
 * and concurrent requests for the same key share one call, so a busy entity page does not
 * hammer GitHub, Argo CD or Ollama. Immutable facts (a file at a commit) use `immutable`.
 */

interface Entry<T> {
  at: number;
  result: { ok: true; value: T } | { ok: false; error: unknown };
}

export class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly options: {
      ttlMs: number;
      /** How long a failure is kept (default ttlMs; 0: failures are not kept). */
      errorTtlMs?: number;
      /** Most entries kept; the oldest go first. Default 1000. */
      maxEntries?: number;
      now?: () => number;
    },
  ) {}

  private now() {
    return (this.options.now ?? Date.now)();
  }

  /** The cached answer for `key`, or the answer of `load` (one call for concurrent requests). */
  async get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    const ttl = entry?.result.ok
      ? this.options.ttlMs
      : (this.options.errorTtlMs ?? this.options.ttlMs);
    if (entry && this.now() - entry.at < ttl) {
      if (entry.result.ok) return entry.result.value;
      throw entry.result.error;
    }
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = load().then(
      value => {
        this.store(key, { ok: true, value });
        return value;
      },
      error => {
        this.store(key, { ok: false, error });
        throw error;
      },
    );
    this.inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private store(key: string, result: Entry<T>['result']) {
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), result });
    const max = this.options.maxEntries ?? 1000;
    while (this.entries.size > max) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }

  /** Forgets `key`: the next `get` loads it again (after a write that changed it). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
