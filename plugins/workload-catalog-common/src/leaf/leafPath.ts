/*
 * Where a leaf lives in the catalog repo. The pattern is configurable; its placeholders are
 * leaf fields that the schema restricts to DNS-1123 labels, so each expands to one safe path
 * segment. The result is still checked: relative, normalised, no "..", inside the repo.
 */
import type { WorkloadLeaf } from '../schema/leaf';

export const DEFAULT_LEAF_PATH_PATTERN =
  'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml';

/** Fields a pattern may use: each is a DNS-1123 label in every workload type. */
export const LEAF_PATH_FIELDS = [
  'serviceCatalog',
  'environment',
  'serviceName',
  'namespace',
  'workloadType',
] as const;

const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why a pattern cannot be used, or undefined when it is fine. */
export function checkLeafPathPattern(pattern: string): string | undefined {
  if (!pattern.includes('{serviceName}')) return 'must contain {serviceName}';
  if (!/\.ya?ml$/.test(pattern)) return 'must end in .yaml or .yml';
  if (pattern.startsWith('/') || pattern.includes('\\'))
    return 'must be a relative path with "/" separators';
  for (const m of pattern.matchAll(/\{([^{}]*)\}/g)) {
    if (!(LEAF_PATH_FIELDS as readonly string[]).includes(m[1])) {
      return `unknown placeholder {${m[1]}}; allowed: ${LEAF_PATH_FIELDS.map(f => `{${f}}`).join(', ')}`;
    }
  }
  const literal = pattern.replace(/\{[^{}]*\}/g, 'x');
  if (
    literal.split('/').some(seg => seg === '' || seg === '.' || seg === '..')
  ) {
    return 'must not contain empty, "." or ".." segments';
  }
  return undefined;
}

/** The leaf's path in the catalog repo, e.g. `catalog/ml-inference/dev/ollama-phi.yaml`. */
export function leafPath(
  leaf: Pick<
    WorkloadLeaf,
    | 'serviceCatalog'
    | 'environment'
    | 'serviceName'
    | 'namespace'
    | 'workloadType'
  >,
  pattern: string = DEFAULT_LEAF_PATH_PATTERN,
): string {
  const problem = checkLeafPathPattern(pattern);
  if (problem) throw new Error(`leaf path pattern "${pattern}" ${problem}`);
  return pattern.replace(
    /\{([^{}]*)\}/g,
    (_, field: (typeof LEAF_PATH_FIELDS)[number]) => {
      const value = String(leaf[field]);
      const segment =
        field === 'workloadType'
          ? value.toLowerCase().replace(/_/g, '-')
          : value;
      if (!LABEL_RE.test(segment)) {
        throw new Error(
          `${field} "${value}" cannot be used in a path: it must be a DNS-1123 label`,
        );
      }
      return segment;
    },
  );
}

/**
 * The glob of Argo CD's git files generator that reads every leaf of a pattern
 * (`catalog/*\/*\/*.yaml` for the default): each placeholder becomes `*`. The ApplicationSet
 * in deploy/argocd uses exactly this glob (a test checks it), and the CLI, which searches a
 * folder recursively and hidden names included, checks every file it matches.
 */
export function leafPathGlob(
  pattern: string = DEFAULT_LEAF_PATH_PATTERN,
): string {
  const problem = checkLeafPathPattern(pattern);
  if (problem) throw new Error(`leaf path pattern "${pattern}" ${problem}`);
  return pattern.replace(/\{[^{}]*\}/g, '*');
}
