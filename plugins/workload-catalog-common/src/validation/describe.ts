/** Short, human description of a value for error messages: `"abc"`, `1.5`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(
      value.length > 80 ? `${value.slice(0, 77)}...` : value,
    );
  }
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** Damerau-free Levenshtein distance, small inputs only (field names). */
export function editDistance(a: string, b: string): number {
  const prev = new Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(
        prev[j] + 1,
        prev[j - 1] + 1,
        diag + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate to `word`, when it is close enough to be a likely typo. */
export function closest(
  word: string,
  candidates: Iterable<string>,
): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const normalized = (s: string) => s.replace(/[-_ ]/g, '');
    let d = editDistance(w, lc);
    if (normalized(w) === normalized(lc)) d = 0.5;
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  return bestScore <= limit ? best : undefined;
}

/**
 * A type error message for a field ("must be X; got Y"). A missing field falls through to
 * the generic "is required".
 */
export function typeError(expected: string) {
  return (iss: { input?: unknown }) =>
    iss.input === undefined
      ? undefined
      : `${expected}; got ${describeValue(iss.input)}`;
}
