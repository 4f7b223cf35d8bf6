/*
 * Which files of the catalog repo are leaves, and what their path says about them: the
 * configured pattern (workloadCatalog.catalogRepo.leafPathPattern) read backwards. A leaf
 * is every file Argo CD's files generator reads (the pattern's glob, hidden names included:
 * common's leafPathGlobMatcher, which the pull-request action uses too), not only the paths
 * the pattern would make.
 */
import {
  checkLeafPathPattern,
  LEAF_PATH_FIELDS,
  leafPathGlobMatcher,
} from '@workload-catalog/plugin-workload-catalog-common';

/** The fields a leaf's path gives (what the pattern has placeholders for). */
export type LeafPathFields = Partial<
  Record<(typeof LEAF_PATH_FIELDS)[number], string>
> & { serviceName: string };

const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A name for a leaf whose path the pattern would not make (`.orders.yaml`, `Orders.yaml`):
 * its file name as a DNS-1123 label, for an entity when the leaf itself names nothing.
 */
function nameOfFile(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1).replace(/\.ya?ml$/i, '');
  const label = file
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join('-')
    .slice(0, 63);
  return (label.endsWith('-') ? label.slice(0, -1) : label) || 'leaf';
}

/**
 * A function that returns the fields of a leaf path, or undefined when the path is not a
 * leaf (Argo CD's files generator does not read it). `workloadType` comes back as the
 * workload type (`OLLAMA_INFERENCE_LOAD`). For a leaf at a path the pattern would not make
 * (a hidden file, a name that is not a DNS-1123 label) only `serviceName` comes back, from
 * the file name.
 */
export function leafPathMatcher(
  pattern: string,
): (path: string) => LeafPathFields | undefined {
  const problem = checkLeafPathPattern(pattern);
  if (problem) throw new Error(`leaf path pattern "${pattern}" ${problem}`);
  const isLeaf = leafPathGlobMatcher(pattern);
  const seen = new Set<string>();
  let source = '^';
  let last = 0;
  for (const m of pattern.matchAll(/\{([^{}]*)\}/g)) {
    source += escape(pattern.slice(last, m.index));
    const field = m[1];
    source += seen.has(field) ? `\\k<${field}>` : `(?<${field}>${LABEL})`;
    seen.add(field);
    last = m.index! + m[0].length;
  }
  source += `${escape(pattern.slice(last))}$`;
  const re = new RegExp(source);
  return path => {
    if (!isLeaf(path)) return undefined;
    const groups = re.exec(path)?.groups;
    if (!groups) return { serviceName: nameOfFile(path) };
    const out: Record<string, string> = { ...groups };
    if (out.workloadType)
      out.workloadType = out.workloadType.toUpperCase().replace(/-/g, '_');
    return out as LeafPathFields;
  };
}

/** The leaf path of a pull request branch (`<prefix>/<leaf path without .yaml>`). */
export function leafPathOfBranch(
  branch: string,
  prefix: string,
  pattern: string,
): string | undefined {
  if (!branch.startsWith(`${prefix}/`)) return undefined;
  const extension = /\.ya?ml$/.exec(pattern)?.[0] ?? '.yaml';
  return `${branch.slice(prefix.length + 1)}${extension}`;
}
