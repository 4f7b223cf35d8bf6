/**
 * The leaf a form value stands for: fields the user cleared (undefined, empty objects from
 * sections never filled in) are left out, so the preview and the pull request show only what
 * was chosen. Inside lists nothing but undefined is dropped: there `{}` can mean something
 * (a canary step `pause: {}` waits for a promotion).
 */
export function cleanLeaf(value: unknown): Record<string, unknown> {
  const cleaned = clean(value, false);
  return cleaned && typeof cleaned === 'object' && !Array.isArray(cleaned)
    ? (cleaned as Record<string, unknown>)
    : {};
}

function clean(value: unknown, inList: boolean): unknown {
  if (Array.isArray(value)) {
    const items = value.filter(v => v !== undefined).map(v => clean(v, true));
    return items.length === 0 && !inList ? undefined : items;
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const c = clean(v, inList);
    if (c !== undefined) out[k] = c;
  }
  return Object.keys(out).length === 0 && !inList ? undefined : out;
}
