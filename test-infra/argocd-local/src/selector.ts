/*
 * Kubernetes label selectors, as Argo CD's `GET /api/v1/applications?selector=` takes them
 * (k8s.io/apimachinery/pkg/labels): `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
 * `a` (exists), `!a` (does not exist), joined by commas (all must hold).
 */

export type Requirement =
  | { key: string; op: 'in'; values: string[] }
  | { key: string; op: 'notin'; values: string[] }
  | { key: string; op: 'exists' }
  | { key: string; op: '!exists' };

/** A selector that Kubernetes would reject; the message says why, as the API server does. */
export class SelectorError extends Error {
  name = 'SelectorError';
}

const KEY_RE =
  // eslint-disable-next-line redos/no-vulnerable -- test infrastructure: a local stand-in server whose input comes from the tests
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function checkKey(key: string): string {
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  if (!KEY_RE.test(key) || prefix.length > 253) {
    throw new SelectorError(
      `unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  return key;
}

function checkValue(value: string): string {
  if (!VALUE_RE.test(value)) {
    throw new SelectorError(
      `unable to parse requirement: invalid label value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  return value;
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) throw new SelectorError(`found ')', expected: identifier`);
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  if (depth !== 0) throw new SelectorError(`found '', expected: ')'`);
  terms.push(current);
  return terms;
}

/** Parses a selector; an empty selector matches everything. Throws SelectorError. */
export function parseSelector(selector: string): Requirement[] {
  if (selector.trim() === '') return [];
  return splitTerms(selector).map(raw => {
    const term = raw.trim();
    if (term === '')
      throw new SelectorError(
        `found ',', expected: !, identifier, or 'end of string'`,
      );
    let m = /^!\s*(\S+)$/.exec(term);
    if (m) return { key: checkKey(m[1]), op: '!exists' };
    m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (m) {
      const values = m[3].split(',').map(v => checkValue(v.trim()));
      return { key: checkKey(m[1]), op: m[2] as 'in' | 'notin', values };
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (m) {
      const key = checkKey(m[1]);
      const value = checkValue(m[3]);
      return m[2] === '!='
        ? { key, op: 'notin', values: [value] }
        : { key, op: 'in', values: [value] };
    }
    if (/^\S+$/.test(term)) return { key: checkKey(term), op: 'exists' };
    throw new SelectorError(`unable to parse requirement: "${term}"`);
  });
}

/** Whether labels satisfy every requirement. */
export function matchesSelector(
  requirements: Requirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      default:
        return false;
    }
  });
}
