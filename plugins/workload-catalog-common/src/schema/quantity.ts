/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): a decimal number
 * with an optional binary (Ki..Ei), decimal (n, u, m, k, M..E) or exponent suffix. The
 * exponent has at most two digits: beyond, a number stops being a finite float64, which the
 * charts (Go) read as 0 and JavaScript as Infinity, so the two sides would disagree.
 */
export const QUANTITY_PATTERN =
  '^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]{1,2}|[numkMGTPE]|[KMGTPE]i)?$';

const QUANTITY_RE = new RegExp(QUANTITY_PATTERN);

/**
 * A quantity above 0, as every size, CPU and memory amount of a leaf must be: the same
 * shapes as QUANTITY_PATTERN with at least one digit from 1 to 9 in the number ("0", "0Gi",
 * "0.0", ".0e5" do not match). The two branches cannot both match (a non-zero digit before
 * the point, or a point first), so it stays linear.
 */
export const POSITIVE_QUANTITY_PATTERN =
  '^(0*[1-9][0-9]*(\\.[0-9]*)?|0*\\.0*[1-9][0-9]*)([eE][-+]?[0-9]{1,2}|[numkMGTPE]|[KMGTPE]i)?$';

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export function isQuantity(value: unknown): boolean {
  return parseQuantity(value) !== undefined;
}

/** The quantity's value in base units (cores, bytes), or undefined when it does not parse. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string' || !QUANTITY_RE.test(value)) return undefined;
  const m = /^([0-9.]+)(.*)$/s.exec(value)!;
  const n = Number(m[1]);
  const suffix = m[2];
  // "E" alone is the exa suffix (10^18); an exponent has digits: "1e3", "5E-2".
  if (/^[eE][-+]?[0-9]/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  return n * SUFFIX[suffix];
}

/** Formats a byte count the way people write memory: "4Gi", "512Mi". */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes >= size) {
      const v = bytes / size;
      return `${Number.isInteger(v) ? v : Number(v.toFixed(1))}${unit}`;
    }
  }
  return String(bytes);
}
