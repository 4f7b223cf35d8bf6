/*
 * Which files of the catalog repo are leaves, and what their path says about them: the
 * configured pattern (workloadCatalog.catalogRepo.leafPathPattern) read backwards.
 */
import {
  checkLeafPathPattern,
  LEAF_PATH_FIELDS,
} from '@workload-catalog/plugin-workload-catalog-common';

/** The fields a leaf's path gives (what the pattern has placeholders for). */
export type LeafPathFields = Partial<
  Record<(typeof LEAF_PATH_FIELDS)[number], string>
> & { serviceName: string };

const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A function that returns the fields of a leaf path, or undefined when the path is not a
 * leaf. `workloadType` comes back as the workload type (`OLLAMA_INFERENCE_LOAD`).
 */
export function leafPathMatcher(
  pattern: string,
): (path: string) => LeafPathFields | undefined {
  const problem = checkLeafPathPattern(pattern);
  if (problem) throw new Error(`leaf path pattern "${pattern}" ${problem}`);
  const seen = new Set<string>();
  let source = '^';
  let last = 0;
  for (const m of pattern.matchAll(/\{([^}]*)\}/g)) {
    source += escape(pattern.slice(last, m.index));
    const field = m[1];
    source += seen.has(field) ? `\\k<${field}>` : `(?<${field}>${LABEL})`;
    seen.add(field);
    last = m.index! + m[0].length;
  }
  source += `${escape(pattern.slice(last))}$`;
  const re = new RegExp(source);
  return path => {
    const groups = re.exec(path)?.groups;
    if (!groups) return undefined;
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
