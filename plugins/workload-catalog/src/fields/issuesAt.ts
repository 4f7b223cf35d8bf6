import {
  formatPath,
  validateLeaf,
  type FieldPath,
  type LeafPolicy,
} from '@workload-catalog/plugin-workload-catalog-common';

/**
 * The common package's messages for one field's value, as the backend and the CLI would give
 * them: the value is checked in place in an Ollama leaf and only the issues at `path` are kept.
 */
export function issuesAt(
  path: FieldPath,
  value: unknown,
  policy: LeafPolicy = {},
): string[] {
  const leaf: Record<string, any> = { workloadType: 'OLLAMA_INFERENCE_LOAD' };
  let node = leaf;
  path.slice(0, -1).forEach(seg => {
    node[seg] = {};
    node = node[seg];
  });
  node[path[path.length - 1]] = value;
  const where = formatPath(path);
  return validateLeaf(leaf, policy)
    .issues.filter(i => formatPath(i.path) === where)
    .map(i => i.message);
}
