/** Where the CLI writes: the process's streams, or a buffer in tests. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Collects small writes into larger ones: one write per leaf would dominate the time of a
 * 10,000-leaf run. Flushed when it grows past 64 KiB and at the end.
 */
export class BufferedWriter {
  private chunks: string[] = [];
  private size = 0;

  constructor(private readonly sink: (text: string) => void) {}

  write(text: string) {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size > 65536) this.flush();
  }

  flush() {
    if (this.chunks.length === 0) return;
    this.sink(this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }
}
