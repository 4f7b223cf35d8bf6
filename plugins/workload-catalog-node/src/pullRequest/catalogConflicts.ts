/*
 * The catalog-wide rules (common's catalogIssues, the same the CLI applies in the catalog
 * repo's CI) for one new or changed leaf against the leaves of the base branch: a pull
 * request that CI would refuse, or that would make two Argo CD Applications own one
 * Deployment, is refused before anything is written.
 */
import {
  catalogIssues,
  parseLeafFile,
  type CatalogLeafEntry,
  type CatalogRule,
  type WorkloadLeaf,
} from '@workload-catalog/plugin-workload-catalog-common';
import type { CatalogFile } from '../github/catalogRepo';

/** A leaf of the base branch that the request's leaf would conflict with. */
export type CatalogConflict = {
  rule: CatalogRule;
  /** The field that, with serviceName, must be unique across the catalog. */
  field: 'namespace' | 'environment';
  /** The other leaf's path on the base branch. */
  otherPath: string;
  /** One sentence: the field, the other leaf, what to do. */
  message: string;
};

/**
 * The conflicts of `leaf` (to be written at `leafPath`) with the base branch's `files`
 * (those that may name the same service: both rules need the same serviceName). The leaf
 * at `leafPath` itself is left out (an update does not conflict with the leaf it replaces).
 * Only files whose text can hold the serviceName are parsed (the name written out, or a
 * file with an escape sequence). Invalid leaves are left out, as the CLI leaves them out.
 */
export function catalogConflicts(
  files: CatalogFile[],
  leaf: WorkloadLeaf,
  leafPath: string,
  baseBranch: string,
): CatalogConflict[] {
  const entries: CatalogLeafEntry[] = [{ path: leafPath, leaf }];
  for (const file of files) {
    if (file.path === leafPath) continue;
    if (!file.text.includes(leaf.serviceName) && !file.text.includes('\\'))
      continue;
    const parsed = parseLeafFile(file.text);
    if (parsed.valid && parsed.leaf?.serviceName === leaf.serviceName)
      entries.push({ path: file.path, leaf: parsed.leaf });
  }
  const conflicts: CatalogConflict[] = [];
  const seen = new Set<string>();
  for (const issue of catalogIssues(entries)) {
    let otherPath: string;
    if (issue.file === leafPath) otherPath = issue.conflictsWith;
    else if (issue.conflictsWith === leafPath) otherPath = issue.file;
    else continue; // two leaves of the base branch: not this request's doing
    const key = `${issue.rule}\u0000${otherPath}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const on = `${otherPath} on ${baseBranch}`;
    if (issue.rule === 'unique-in-namespace') {
      conflicts.push({
        rule: issue.rule,
        field: 'namespace',
        otherPath,
        message: `serviceName "${leaf.serviceName}" in namespace "${leaf.namespace}" is already the workload of ${on}: the Kubernetes objects are named after serviceName, so Argo CD would make two Applications own the same Deployment, Service and route, and one would silently replace the other. Choose another serviceName, or another namespace.`,
      });
    } else {
      conflicts.push({
        rule: issue.rule,
        field: 'environment',
        otherPath,
        message: `serviceName "${leaf.serviceName}" is already deployed to environment "${leaf.environment}" by ${on}: a service has one leaf per environment across the whole catalog. Choose another serviceName or another environment; to change that workload, update ${otherPath} instead.`,
      });
    }
  }
  return conflicts;
}
