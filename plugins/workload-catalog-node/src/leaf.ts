/*
 * What both actions do first: validate the leaf from the form against the schema and the
 * configured policy (never trusting the form), then derive its YAML and path.
 */
import { InputError } from '@backstage/errors';
import {
  formatPath,
  leafPath,
  printLeaf,
  validateLeaf,
  type LeafIssue,
  type LeafPolicy,
  type WorkloadLeaf,
} from '@workload-catalog/plugin-workload-catalog-common';

export interface PreparedLeaf {
  leaf: WorkloadLeaf;
  yaml: string;
  path: string;
}

/** The problems, one per line: `- gpu.count: must be at most 8 ...`. */
export function formatIssues(issues: LeafIssue[]): string {
  return issues
    .map(i => `- ${formatPath(i.path) || '(leaf)'}: ${i.message}`)
    .join('\n');
}

/** The error an invalid leaf fails a step with: every problem, by field path. */
export class InvalidLeafError extends InputError {
  constructor(readonly issues: LeafIssue[]) {
    super(
      `The workload leaf is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}); nothing was written:\n${formatIssues(issues)}`,
    );
  }
}

/**
 * Validates `value` and returns the normalised leaf, its YAML and its path in the catalog
 * repo; throws InvalidLeafError listing every problem.
 */
export function prepareLeaf(
  value: unknown,
  policy: LeafPolicy,
  pathPattern: string,
): PreparedLeaf {
  const result = validateLeaf(value, policy);
  if (!result.valid) throw new InvalidLeafError(result.issues);
  return {
    leaf: result.leaf,
    yaml: printLeaf(result.leaf),
    path: leafPath(result.leaf, pathPattern),
  };
}
