export type FieldPath = (string | number)[];

/** `container.resources.limits.cpu`, `customModels[0].name`. */
export function formatPath(path: FieldPath): string {
  if (path.length === 0) return '(leaf)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
