/*
 * The rules across the whole catalog repo, one definition for the CLI (the catalog repo's
 * CI), the pull-request service (against the base branch, before anything is written) and
 * the catalog module's entity provider. Two leaves in different catalogs with the same
 * serviceName and namespace would make two Argo CD Applications own the same Deployment,
 * Service and route (the second silently replaces the first's image); two leaves of one
 * service for one environment would be one Backstage entity and one status.
 *
 * Also here: which files of the catalog repo those rules see. Argo CD's files generator reads
 * every file its glob (`leafPathGlob`) matches, hidden names included, so every such file
 * counts, whatever the pattern's placeholders would allow.
 */
import type { WorkloadLeaf } from '../schema/leaf';
import type { FieldPath } from '../validation/path';
import type { PositionedIssue } from './leafFile';
import { leafPathGlob } from './leafPath';

/** The fields of a leaf the catalog-wide rules compare. */
export type CatalogRuleLeaf = Pick<
  WorkloadLeaf,
  'serviceName' | 'namespace' | 'environment'
>;

/** One valid leaf of the catalog and where it is. */
export interface CatalogLeafEntry {
  /** The leaf's path (in the repository, or as the CLI was given it). */
  path: string;
  leaf: CatalogRuleLeaf;
  /** Line and column of a field in the leaf's file (without it: line 1, column 1). */
  positionOf?: (path: FieldPath) => { line: number; column: number };
}

/**
 * The catalog-wide rules: `unique-per-environment`, one leaf per serviceName and
 * environment; `unique-in-namespace`, one leaf per serviceName and namespace.
 */
export type CatalogRule = 'unique-per-environment' | 'unique-in-namespace';

/** A leaf that breaks a catalog-wide rule: the problem, as the CLI prints it. */
export interface CatalogIssue extends PositionedIssue {
  /** The leaf that breaks the rule (the later one). */
  file: string;
  rule: CatalogRule;
  /** The leaf that holds the name (the earlier one). */
  conflictsWith: string;
}

/**
 * The order the rules go through a catalog: path segment by segment, each compared by code
 * units (the CLI's walk: depth first, names in code-unit order), so the same leaf is
 * reported whichever tool looks. `catalog/a/dev/x.yaml` comes before `catalog/a-b/dev/x.yaml`.
 */
export function compareCatalogPaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

/**
 * The rules applied leaf by leaf, in the order given: the first leaf of a name holds it,
 * each later one is reported. Keeps one entry per name, so a streaming caller (the CLI)
 * holds no leaves.
 */
export class CatalogRules {
  private readonly perEnvironment = new Map<string, string>();
  private readonly inNamespace = new Map<string, string>();

  /** The problems of one more leaf. */
  check(entry: CatalogLeafEntry): CatalogIssue[] {
    const { path: file, leaf } = entry;
    const issues: CatalogIssue[] = [];
    const at = (field: string) =>
      entry.positionOf?.([field]) ?? { line: 1, column: 1 };
    const key = `${leaf.serviceName}\u0000${leaf.environment}`;
    const other = this.perEnvironment.get(key);
    if (other !== undefined) {
      issues.push({
        file,
        rule: 'unique-per-environment',
        conflictsWith: other,
        path: 'serviceName',
        ...at('serviceName'),
        message: `"${leaf.serviceName}" is already deployed to environment "${leaf.environment}" by ${other}; service names are unique per environment`,
      });
    } else {
      this.perEnvironment.set(key, file);
    }
    const name = `${leaf.serviceName}\u0000${leaf.namespace}`;
    const owner = this.inNamespace.get(name);
    if (owner !== undefined) {
      issues.push({
        file,
        rule: 'unique-in-namespace',
        conflictsWith: owner,
        path: 'serviceName',
        ...at('serviceName'),
        message: `"${leaf.serviceName}" in namespace "${leaf.namespace}" is already the workload of ${owner}; the Kubernetes objects are named after serviceName, so it must be unique in its namespace across the whole catalog`,
      });
    } else {
      this.inNamespace.set(name, file);
    }
    return issues;
  }
}

/**
 * The problems of a whole catalog: every leaf that breaks a catalog-wide rule, with the
 * leaf it conflicts with. Leaves are taken in `compareCatalogPaths` order (the one the CLI
 * reports in), whatever order they are given in; pass valid leaves only, as the CLI does
 * (an invalid leaf has its own problems).
 */
export function catalogIssues(
  leaves: Iterable<CatalogLeafEntry>,
): CatalogIssue[] {
  const rules = new CatalogRules();
  return [...leaves]
    .sort((a, b) => compareCatalogPaths(a.path, b.path))
    .flatMap(entry => rules.check(entry));
}

/**
 * A test for "Argo CD's files generator reads this file": the repository path matches the
 * pattern's glob (`leafPathGlob`) as Go's `filepath.Match` matches it, where `*` is any run
 * of characters but `/`, a leading dot and the empty run included, and `?` one such
 * character. So `catalog/a/dev/.x.yaml` and `catalog/ML/dev/x.yaml` are files the rules
 * see, although no leaf's fields would place a leaf there. (A `[` class, which no layout
 * needs, is taken literally.)
 */
export function leafPathGlobMatcher(
  pattern: string,
): (path: string) => boolean {
  const glob = leafPathGlob(pattern);
  let source = '^';
  for (const c of glob) {
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const re = new RegExp(`${source}$`);
  return path => re.test(path);
}
